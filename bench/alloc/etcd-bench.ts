// npm run bench:alloc -- --store etcd [--coordinators 3|1|1,3] [--machines N] [--clients C]
//   [--seconds S] [--rate R] [--warmup S] [--json] [--profile DIR] [--trace-gc]
// Issue 18's comparison, in one run on one machine: one coordinator on LMDB (the embedded
// default), then N coordinators sharing one prefix of a real 3-member etcd cluster on 127.0.0.1,
// each measured the same way (etcd-workload.ts): allocations/s at saturation, p50/p99, p99 of an
// open loop at half that rate, double allocations from the event log, and CPU per cycle of the
// coordinators, the etcd members and the load generator. Targets: 0 doubles always; 3 coordinators
// on etcd at >= 40% of the LMDB rate; open-loop p99 <= 50 ms. Beside a second open loop of each etcd
// set at the same rate, a bare put until its watch shows it, on the same cluster under the same load
// (etcd-probe.ts): the floor under that p99 (putWatchP50Ms, putWatchP99Ms; that loop's own p99 is
// probedOpenLoopP99Ms), and how late the load generator itself sent the measured open loop's cycles
// (openLoopSendLateP99Ms). Then, for every set, bare authenticated calls (WhoAmI) on the same
// schedule, clients and coordinators: the transport's own tail at that rate (bareOpenLoopP50Ms,
// bareOpenLoopP99Ms), as bench:alloc measures it for one coordinator. With --trace-gc every
// coordinator runs with node --trace-gc, and each set reports each coordinator's collections over
// the open loop (openLoopGc: pauses, full ones, the longest and their total, as bench:alloc does
// for LMDB): whether the tail sits on them.
import { EtcdCluster } from '../../test/harness/etcd.js';
import { startCoordinatorSet } from './etcd-coordinators.js';
import { startPutWatchProbe } from './etcd-probe.js';
import { oneOf, wholeNumber } from '../shared/cli.js';
import { measureCoordinatorSet, type StoreFigures } from './etcd-workload.js';

/** The command line's values the etcd comparison reads, as given. */
export interface EtcdBenchArgs {
  readonly coordinators?: string | undefined;
  readonly machines?: string | undefined;
  readonly clients?: string | undefined;
  readonly seconds?: string | undefined;
  /** The coordinators' --etcd-batch-gather-ms values, comma-separated: one etcd set per value and count. */
  readonly gather?: string | undefined;
  /** The coordinators' --etcd-batch-rejoin-ms, comma-separated: one etcd set per value and gather. */
  readonly rejoin?: string | undefined;
  /** all (default): clients spread evenly over the coordinators; first: every client on the first (a diagnostic, not judged). */
  readonly 'clients-on'?: string | undefined;
}

/** The etcd comparison's options, checked (etcdBenchOptions). */
export interface EtcdBenchOptions {
  readonly counts: readonly number[];
  readonly gathers: readonly (number | null)[];
  readonly rejoins: readonly (number | null)[];
  readonly machines: number;
  readonly clients: number;
  readonly seconds: number;
  readonly clientsOn: 'all' | 'first';
  readonly rate: number | null;
  /** Seconds each open loop runs untimed first (open-loop.ts). */
  readonly warmup: number;
  readonly json: boolean;
  readonly profile?: string | undefined;
  /** Run every coordinator with node --trace-gc and report its collections over the open loop. */
  readonly traceGc: boolean;
}

/** Machines enlisted when --machines is not given: enough for the READY index to matter, quick to enlist over etcd. */
const DEFAULT_MACHINES = 5000;
const TARGET_RATE_SHARE = 0.4;
const TARGET_OPEN_LOOP_P99_MS = 50;

/**
 * etcd_mvcc_txn_total of one member (every member applies every Txn). etcd 3.4 counts each of its
 * internal read and write views that did more than one operation, so a Txn that compares several
 * keys and puts several counts twice (its compares' read view, then its writes); the coordinators'
 * own histogram (mooring_coordinator_store_transaction_writes) counts their Txns exactly.
 */
async function etcdTxnCount(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_mvcc_txn_total '));
  if (!line) throw new Error(`${metricsUrl} has no etcd_mvcc_txn_total`);
  return Number(line.split(' ')[1]);
}

/** The values of a comma-separated list of waits (--gather, --rejoin); [null] (the coordinators' default) when not given. */
function waits(name: string, list: string | undefined): (number | null)[] {
  if (list === undefined) return [null];
  return list.split(',').map((value) => wholeNumber(value, `--${name} (milliseconds)`, 0, 100));
}

/** Checks the etcd comparison's values (throws naming the option); `common` are those bench:alloc checked already. */
export function etcdBenchOptions(
  args: EtcdBenchArgs,
  common: Pick<EtcdBenchOptions, 'rate' | 'warmup' | 'json' | 'profile' | 'traceGc'>,
): EtcdBenchOptions {
  return {
    ...common,
    counts: (args.coordinators ?? '3').split(',').map((c) => wholeNumber(c, '--coordinators', 1, 9)),
    gathers: waits('gather', args.gather),
    rejoins: waits('rejoin', args.rejoin),
    machines: args.machines === undefined ? DEFAULT_MACHINES : wholeNumber(args.machines, '--machines', 1, 1_000_000),
    clients: wholeNumber(args.clients ?? '64', '--clients', 1, 10_000),
    seconds: wholeNumber(args.seconds ?? '10', '--seconds', 1, 3600),
    clientsOn: oneOf(args['clients-on'] ?? 'all', '--clients-on', ['all', 'first']),
  };
}

export async function runEtcdBench(options: EtcdBenchOptions): Promise<void> {
  const { counts, gathers, rejoins, machines, clients, seconds, clientsOn } = options;
  const log = (line: string): void => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const workload = { machines, clients, seconds, rate: options.rate, warmup: options.warmup, log };
  const profileDir = options.profile ?? null;
  const traceGc = options.traceGc;

  log('starting a 3-member etcd cluster...');
  const cluster = await EtcdCluster.start(3, { dataOnDisk: true });
  const runs: (StoreFigures & { gatherMs?: number; rejoinMs?: number })[] = [];
  try {
    const lmdb = await startCoordinatorSet({ store: 'lmdb', count: 1, cluster: null, profileDir, traceGc });
    try {
      runs.push(await measureCoordinatorSet(lmdb, { ...workload, otherPids: [] }));
    } finally {
      await lmdb.stop();
    }
    for (const count of counts) {
      for (const gatherMs of gathers) {
        for (const rejoinMs of rejoins) {
          const set = await startCoordinatorSet({ store: 'etcd', count, cluster, profileDir, traceGc, gatherMs, rejoinMs });
          try {
            const probe = (): ReturnType<typeof startPutWatchProbe> => startPutWatchProbe(cluster.endpoints);
            const storeTxns = (): Promise<number> => etcdTxnCount(cluster.metricsUrls[0]!);
            const figures = await measureCoordinatorSet(set, { ...workload, otherPids: cluster.pids, probe, storeTxns, clientsOn });
            runs.push({ ...figures, ...(gatherMs === null ? {} : { gatherMs }), ...(rejoinMs === null ? {} : { rejoinMs }) });
          } finally {
            await set.stop();
          }
        }
      }
    }
  } finally {
    await cluster.stop();
  }

  const lmdbRate = runs[0]!.allocPerSec;
  const rows = runs.map((run) => ({ ...run, rateOverLmdb: Number((run.allocPerSec / Math.max(1, lmdbRate)).toFixed(2)) }));
  const three = rows.find((r) => r.store === 'etcd' && r.coordinators === 3);
  // The targets are for clients spread over the coordinators; --clients-on first only shows what spreading costs.
  const judged = clientsOn === 'all';
  const targets = {
    noDoubleAllocations: rows.every((r) => r.doubleAllocations === 0),
    ...(three && judged ? { threeOnEtcdRateShare: three.rateOverLmdb >= TARGET_RATE_SHARE } : {}),
    ...(judged ? { openLoopP99: rows.filter((r) => r.store === 'etcd').every((r) => r.openLoopP99Ms <= TARGET_OPEN_LOOP_P99_MS) } : {}),
  };
  if (options.json) {
    const openLoopWarmupSeconds = options.warmup;
    process.stdout.write(`${JSON.stringify({ machines, clients, seconds, openLoopWarmupSeconds, clientsOn, runs: rows, targets })}\n`);
  } else {
    const columns: [string, (r: (typeof rows)[number]) => string][] = [
      ['store', (r) => r.store],
      ['coordinators', (r) => String(r.coordinators)],
      ['gather ms', (r) => (r.gatherMs === undefined ? '-' : String(r.gatherMs))],
      ['rejoin ms', (r) => (r.rejoinMs === undefined ? '-' : String(r.rejoinMs))],
      ['alloc/s', (r) => String(r.allocPerSec)],
      ['vs LMDB', (r) => r.rateOverLmdb.toFixed(2)],
      ['p50 ms', (r) => String(r.p50Ms)],
      ['p99 ms', (r) => String(r.p99Ms)],
      ['open loop /s', (r) => String(r.openLoopRate)],
      ['open p99 ms', (r) => String(r.openLoopP99Ms)],
      ['open: sent late p99 ms', (r) => String(r.openLoopSendLateP99Ms)],
      ['bare calls: open p99 ms', (r) => String(r.bareOpenLoopP99Ms)],
      ['put+watch p99 ms', (r) => (r.putWatchP99Ms === undefined ? '-' : String(r.putWatchP99Ms))],
      ['beside it: open p99 ms', (r) => (r.probedOpenLoopP99Ms === undefined ? '-' : String(r.probedOpenLoopP99Ms))],
      ['open: loop delay p99 ms', (r) => r.openLoopEventLoopP99Ms?.join('/') ?? '-'],
      ['open: GC pauses (full)', (r) => r.openLoopGc?.map((gc) => `${gc.pauses} (${gc.fullCollections})`).join('/') ?? '-'],
      ['open: GC max / total ms', (r) => r.openLoopGc?.map((gc) => `${gc.maxPauseMs} / ${gc.totalPauseMs}`).join(', ') ?? '-'],
      ['doubles', (r) => String(r.doubleAllocations)],
      ['failed', (r) => String(r.failures + r.openLoopFailures)],
      ['coord CPU ms/cycle', (r) => String(r.coordinatorCpuMsPerCycle)],
      ['each coord', (r) => r.coordinatorCpuMsPerCycleEach.join('/')],
      ['etcd CPU ms/cycle', (r) => String(r.storeCpuMsPerCycle)],
      ['open: coord / etcd CPU', (r) => `${r.openLoopCoordinatorCpuMsPerCycle} / ${r.openLoopStoreCpuMsPerCycle}`],
      ['reruns/write', (r) => String(r.rerunsPerWrite ?? '-')],
      ['Txns/cycle', (r) => String(r.txnsPerCycle ?? '-')],
      ['writes/Txn', (r) => String(r.writesPerTxn ?? '-')],
      ['etcd txns/cycle', (r) => String(r.etcdTxnsPerCycle ?? '-')],
      ['enlist/s', (r) => String(r.enlistPerSec)],
    ];
    const widths = columns.map(([name, cell]) => Math.max(name.length, ...rows.map((r) => cell(r).length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
    const table = [line(columns.map(([name]) => name)), ...rows.map((r) => line(columns.map(([, cell]) => cell(r))))];
    const on = clientsOn === 'first' ? ', every client on the first coordinator (the targets are not judged)' : '';
    process.stdout.write(`${machines} machines, ${clients} clients${on}, ${seconds} s per loop\n${table.join('\n')}\n`);
    process.stdout.write(`targets: ${JSON.stringify(targets)}\n`);
  }
  if (!targets.noDoubleAllocations) process.exitCode = 1;
}
