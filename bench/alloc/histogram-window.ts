// Where an open-loop tail is spent, from the coordinator's own /metrics over one window: the
// handling time of AllocateMachine inside the coordinator (grpc_server_handling_seconds, from the
// call's arrival to its answer, the commit's fsync included) and the store's commit time
// (store_commit_duration_seconds). Two scrapes, before and after; the difference of the cumulative
// bucket counts is the window's histogram. A quantile is read as the upper bound of the bucket it
// falls in (prom-client's buckets: 1, 2.5, 5, 10, 25, 50, 100, 250 ms ...), so it is coarse but
// never flattering. A client-side p99 far above the handling p99 was spent outside the
// coordinator's handler: in the transport, in the load generator, or waiting for a core.

const HANDLING = 'mooring_coordinator_grpc_server_handling_seconds_bucket';
const COMMIT = 'mooring_coordinator_store_commit_duration_seconds_bucket';

/** Cumulative bucket counts by upper bound (seconds), of the series whose labels contain `match`. */
function buckets(text: string, metric: string, match: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) || !line.includes(match)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    counts.set(bound, (counts.get(bound) ?? 0) + value);
  }
  return counts;
}

/** The upper bound, in ms, of the bucket holding quantile `q` of the window (before -> after). */
function quantileMs(before: Map<number, number>, after: Map<number, number>, q: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return null;
  for (const bound of bounds) {
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= q * total) return bound * 1000;
  }
  return null;
}

async function scrape(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: HTTP ${response.status}`);
  return response.text();
}

export interface HandlingFigures {
  /** AllocateMachine inside the coordinator: p50 and p99 bucket bounds, ms (Infinity past the last bucket). */
  readonly allocateHandlingP50Ms: number | null;
  readonly allocateHandlingP99Ms: number | null;
  /** Store commits (transaction start to durable): p50 and p99 bucket bounds, ms. */
  readonly commitP50Ms: number | null;
  readonly commitP99Ms: number | null;
}

/** Starts the window; the returned function ends it with the window's figures. */
export async function handlingWindow(metricsUrl: string): Promise<() => Promise<HandlingFigures>> {
  const first = await scrape(metricsUrl);
  const allocate = 'method="AllocateMachine"';
  const commit = 'result="ok"';
  return async () => {
    const last = await scrape(metricsUrl);
    const [a0, a1] = [buckets(first, HANDLING, allocate), buckets(last, HANDLING, allocate)];
    const [c0, c1] = [buckets(first, COMMIT, commit), buckets(last, COMMIT, commit)];
    return {
      allocateHandlingP50Ms: quantileMs(a0, a1, 0.5),
      allocateHandlingP99Ms: quantileMs(a0, a1, 0.99),
      commitP50Ms: quantileMs(c0, c1, 0.5),
      commitP99Ms: quantileMs(c0, c1, 0.99),
    };
  };
}

/** The sum of every series of `name` (a counter, or a histogram's _count) in one exposition. */
function total(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

export interface StoreWindowFigures {
  /** How often, on average, a write's change ran again because another coordinator's commit conflicted with what it read (0 on LMDB). */
  readonly rerunsPerWrite: number;
  /** Transactions the coordinators committed (LMDB group commits, etcd Txns), from their own counts. */
  readonly transactions: number;
  /** Writes each of those carried, on average. */
  readonly writesPerTransaction: number | null;
}

/**
 * Starts a window over the store writes of every coordinator of a set; the returned function ends
 * it with the window's reruns per write and the transactions that carried the writes.
 */
export async function storeWindow(metricsUrls: readonly string[]): Promise<() => Promise<StoreWindowFigures>> {
  const read = async (): Promise<{ reruns: number; writes: number; transactions: number; carried: number }> => {
    const counts = { reruns: 0, writes: 0, transactions: 0, carried: 0 };
    for (const url of metricsUrls) {
      const text = await scrape(url);
      counts.reruns += total(text, 'mooring_coordinator_store_write_reruns_total');
      counts.writes += total(text, 'mooring_coordinator_store_commit_duration_seconds_count');
      counts.transactions += total(text, 'mooring_coordinator_store_transaction_writes_count');
      counts.carried += total(text, 'mooring_coordinator_store_transaction_writes_sum');
    }
    return counts;
  };
  const first = await read();
  return async () => {
    const last = await read();
    const transactions = last.transactions - first.transactions;
    return {
      rerunsPerWrite: Number(((last.reruns - first.reruns) / Math.max(1, last.writes - first.writes)).toFixed(3)),
      transactions,
      writesPerTransaction: transactions > 0 ? Number(((last.carried - first.carried) / transactions).toFixed(2)) : null,
    };
  };
}
