// The floor under an allocation's latency on LMDB, measured beside the open loop: every commit
// (group commit: one for all the writes that gathered) is durable, so an allocation and its
// release each wait for at least one fdatasync of the data file's disk. This probe does exactly
// that on the same filesystem, under the same load: every PROBE_INTERVAL_MS it writes one 4 KiB
// page of a file of its own in the coordinator's data dir and fdatasyncs it, timed in a worker
// thread (synchronous calls, so the load generator's busy event loop does not lengthen them).
// Its p99 is a part of the open-loop p99 no coordinator code can remove on this machine.
import { Worker } from 'node:worker_threads';
import { percentile } from './open-loop.js';

const PROBE_INTERVAL_MS = 20;

export interface FsyncFigures {
  readonly fsyncProbes: number;
  readonly fsyncP50Ms: number;
  readonly fsyncP99Ms: number;
}

const WORKER = `
const { closeSync, fdatasyncSync, openSync, rmSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const file = join(workerData.dir, 'fsync-probe');
const fd = openSync(file, 'w', 0o600);
const page = Buffer.alloc(4096, 1);
const times = [];
const timer = setInterval(() => {
  const started = performance.now();
  writeSync(fd, page, 0, page.length, 0);
  fdatasyncSync(fd);
  times.push(performance.now() - started);
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  closeSync(fd);
  rmSync(file, { force: true });
  parentPort.postMessage(times);
});
`;

/** Starts probing in `dir`; the returned function stops it and gives the figures. */
export function startFsyncProbe(dir: string): () => Promise<FsyncFigures> {
  const worker = new Worker(WORKER, { eval: true, workerData: { dir, intervalMs: PROBE_INTERVAL_MS } });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  return async () => {
    const times = new Promise<number[]>((resolve) => worker.once('message', resolve));
    worker.postMessage('stop');
    const latencies = await Promise.race([times, failed]);
    await worker.terminate();
    const sorted = Float64Array.from(latencies).sort();
    return {
      fsyncProbes: latencies.length,
      fsyncP50Ms: Number(percentile(sorted, 50).toFixed(2)),
      fsyncP99Ms: Number(percentile(sorted, 99).toFixed(2)),
    };
  };
}
