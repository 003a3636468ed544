// Running a suite on both store backends (issue 18: "all of today's suite passes on both backends
// where it concerns the store"): `describe.each(STORE_BACKENDS)` and, per backend, the coordinator
// flags that select it. The etcd backend gets one real etcd member per test file, started on first
// use and shared by the file's suites (each on its own prefix); stopEtcd() in the file's afterAll.
import type { ConfigInputs } from '../../coordinator/src/config.js';
import { EtcdCluster } from './etcd.js';

export const STORE_BACKENDS = ['lmdb', 'etcd'] as const;
export type StoreBackendName = (typeof STORE_BACKENDS)[number];

let cluster: Promise<EtcdCluster> | null = null;
let prefixes = 0;

/** Flags for a coordinator on `backend`: none for LMDB (the data dir), else the file's etcd member and a fresh prefix. */
export async function storeFlags(backend: StoreBackendName): Promise<Partial<ConfigInputs['flags']>> {
  if (backend === 'lmdb') return {};
  cluster ??= EtcdCluster.start(1);
  const { endpoints } = await cluster;
  return { store: `etcd:${endpoints.join(',')}`, etcdPrefix: `/suite-${process.pid}-${++prefixes}` };
}

/** Stops the file's etcd member, if one was started. */
export async function stopEtcd(): Promise<void> {
  const started = cluster;
  cluster = null;
  if (started) await (await started).stop();
}
