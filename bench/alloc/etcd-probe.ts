// The floor under an allocation's latency on etcd, measured beside the open loop: an allocation
// commits one Txn and is answered once the coordinator's copy shows that commit, so it costs at
// least one put that reaches the quorum and comes back on a watch. This probe does exactly that, on
// the same cluster, under the same load (the coordinators carrying an open loop at the measured
// one's rate): every PROBE_INTERVAL_MS it puts a key of its own prefix and times until its own watch
// sees it. Its p99 is the part of the open-loop p99 no coordinator code can remove on this machine
// (the transport into and out of the coordinators comes on top). It adds 50 small puts a second to
// etcd's load, about as many Txns as three coordinators' open loop sends, so it runs beside a second
// loop, not the measured one (etcd-workload.ts).
import { connectEtcd } from '../../coordinator/src/store/etcd-client.js';
import { percentile } from './open-loop.js';

const PROBE_INTERVAL_MS = 20;

export interface PutWatchFigures {
  readonly putWatchProbes: number;
  readonly putWatchP50Ms: number;
  readonly putWatchP99Ms: number;
}

/** Starts probing; the returned function stops it and gives the figures. */
export async function startPutWatchProbe(endpoints: readonly string[]): Promise<() => Promise<PutWatchFigures>> {
  const client = await connectEtcd(endpoints, null);
  const prefix = `/bench-probe-${process.pid}-${Date.now()}/`;
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const watcher = await client.watch().prefix(prefix).create();
  watcher.on('put', (kv) => {
    const key = kv.key.toString();
    const at = sent.get(key);
    if (at === undefined) return;
    sent.delete(key);
    latencies.push(performance.now() - at);
  });
  let n = 0;
  // Timed from the put's send: a late timer shortens nothing here, so the floor is not overstated.
  const timer = setInterval(() => {
    const key = `${prefix}${n++}`;
    sent.set(key, performance.now());
    void client
      .put(key)
      .value('x')
      .exec()
      .catch(() => sent.delete(key));
  }, PROBE_INTERVAL_MS);
  return async () => {
    clearInterval(timer);
    // Those still unanswered get a moment; one that never shows stays out of the figures.
    const waitUntil = performance.now() + 2_000;
    while (sent.size > 0 && performance.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    await watcher.cancel();
    await client
      .delete()
      .prefix(prefix)
      .exec()
      .catch(() => undefined);
    client.close();
    const sorted = Float64Array.from(latencies).sort();
    return {
      putWatchProbes: latencies.length,
      putWatchP50Ms: Number(percentile(sorted, 50).toFixed(2)),
      putWatchP99Ms: Number(percentile(sorted, 99).toFixed(2)),
    };
  };
}
