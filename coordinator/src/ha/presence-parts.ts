// The coordinator registry and command relay for a store: on etcd, the shared ones (entries and
// commands under P/ha/, keys put with this coordinator's lease); on LMDB, the one coordinator
// itself and no relay.
import { hostname } from 'node:os';
import { PACKAGE_VERSION } from '../../../proto/shared/package-version.js';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import { EtcdStore } from '../store/etcd-store.js';
import type { Store } from '../store/store.js';
import type { RunningRelay } from './agent-presence.js';
import type { CoordinatorLease } from './coordinator-lease.js';
import { LocalCoordinatorRegistry, type CoordinatorEntry, type CoordinatorRegistry } from './coordinator-registry.js';
import { EtcdCommandRelay } from './etcd-command-relay.js';
import { EtcdCoordinatorRegistry } from './etcd-coordinator-registry.js';

export interface PresenceParts {
  readonly registry: CoordinatorRegistry;
  readonly relay: RunningRelay | null;
}

/** host:port as others reach it: a wildcard listen address is named by this host's name. */
export function reachableAddress(listen: ListenAddress, port: number): string {
  const host = ['0.0.0.0', '::', ''].includes(listen.host) ? hostname() : listen.host;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function presenceParts(store: Store, lease: CoordinatorLease, listen: ListenAddress, now: number, logger: Logger): PresenceParts {
  const entry: CoordinatorEntry = {
    id: lease.coordinatorId,
    leaseId: lease.leaseId,
    address: reachableAddress(listen, listen.port),
    startedAt: new Date(now).toISOString(),
    version: PACKAGE_VERSION,
    duties: [],
    agentSessions: 0,
  };
  if (!(store instanceof EtcdStore)) return { registry: new LocalCoordinatorRegistry(entry), relay: null };
  const { client, keyPrefix: prefix } = store;
  const registry = new EtcdCoordinatorRegistry({ client, prefix, entry, logger });
  // The store's write batches wait for more callers where several coordinators share the prefix.
  const spread = (): void => store.spreadOver(registry.live().length);
  registry.onJoined(spread);
  registry.onGone(spread);
  return {
    registry,
    relay: new EtcdCommandRelay({ client, prefix, self: { coordinator: entry.id, lease: entry.leaseId }, logger }),
  };
}
