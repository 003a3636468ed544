// The coordinators one run of the store comparison measures: one on its embedded LMDB, or N
// processes sharing one prefix of a real etcd cluster (test/harness/etcd.ts). Every coordinator on
// the prefix needs the first one's CA, secrets key and admin token in its data dir (README "Store
// backends"), so the first starts alone and the others start with copies of those files.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_HOST_NODE_FLAGS } from '../../coordinator/src/node-flags.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../../test/harness/coordinator-process.js';
import type { EtcdCluster } from '../../test/harness/etcd.js';
import { GcTrace } from '../fleet/gc-trace.js';

export type StoreKind = 'lmdb' | 'etcd';

export interface CoordinatorSet {
  readonly store: StoreKind;
  readonly coordinators: readonly CoordinatorProcess[];
  /** With traceGc: each coordinator's collections, read from its --trace-gc output (in the order of `coordinators`). */
  readonly gcTraces: readonly GcTrace[] | null;
  /** Kills every coordinator and removes their data dirs. */
  stop(): Promise<void>;
}

const SHARED_FILES = ['ca.crt', 'secrets.key', 'admin.token'];

export interface CoordinatorSetOptions {
  readonly store: StoreKind;
  readonly count: number;
  /** The cluster an etcd set shares (one prefix per set). */
  readonly cluster: EtcdCluster | null;
  /** Write a V8 CPU profile of every coordinator into this directory. */
  readonly profileDir: string | null;
  /** Run every coordinator with node --trace-gc --trace-gc-nvp and follow its collections. */
  readonly traceGc?: boolean;
  /** etcd: the coordinators' --etcd-batch-gather-ms (null: their default). */
  readonly gatherMs?: number | null;
  /** etcd: the coordinators' --etcd-batch-rejoin-ms (null: their default). */
  readonly rejoinMs?: number | null;
}

let sets = 0;

/** The node flags bench:alloc starts a coordinator with: a V8 CPU profile into `profileDir`, and the collections' lines GcTrace reads. */
export function benchNodeArgs(profileDir: string | null | undefined, traceGc: boolean): string[] {
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // Name=value lines: the same pauses, and what each full collection's pause was spent on.
  if (traceGc) nodeArgs.push('--trace-gc', '--trace-gc-nvp');
  return nodeArgs;
}

export async function startCoordinatorSet(options: CoordinatorSetOptions): Promise<CoordinatorSet> {
  const root = mkdtempSync(join(tmpdir(), `mooring-bench-${options.store}-`));
  const nodeArgs = benchNodeArgs(options.profileDir, options.traceGc ?? false);
  let extraArgs: string[] = [];
  if (options.store === 'etcd') {
    if (!options.cluster) throw new Error('an etcd coordinator set needs a cluster');
    // As the README's three-host layout runs them: sharing the cores with the etcd members.
    nodeArgs.push(...SHARED_HOST_NODE_FLAGS);
    extraArgs = ['--store', `etcd:${options.cluster.endpoints.join(',')}`, '--etcd-prefix', `/bench-${process.pid}-${sets++}`];
    if (options.gatherMs !== undefined && options.gatherMs !== null) extraArgs.push('--etcd-batch-gather-ms', String(options.gatherMs));
    if (options.rejoinMs !== undefined && options.rejoinMs !== null) extraArgs.push('--etcd-batch-rejoin-ms', String(options.rejoinMs));
  } else if (options.count !== 1) {
    throw new Error(`LMDB is one coordinator's embedded store: --coordinators ${options.count} needs --store etcd`);
  }
  const coordinators: CoordinatorProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const c of coordinators) await c.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const dataDir = join(root, `c${i}`);
      if (i > 0) {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        for (const file of SHARED_FILES) {
          const from = join(root, 'c0', file);
          if (existsSync(from)) copyFileSync(from, join(dataDir, file));
        }
      }
      coordinators.push(await startCoordinatorProcess(dataDir, { logLevel: 'warn', nodeArgs, extraArgs }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const gcTraces = options.traceGc ? coordinators.map((c) => new GcTrace(c.child.stdout!)) : null;
  return { store: options.store, coordinators, gcTraces, stop };
}
