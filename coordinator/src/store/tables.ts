// The named tables of the coordinator's LMDB environment. Keys are lmdb-js ordered keys (arrays
// sort element by element), values msgpack-encoded records.
// Database is the backend-neutral table API (table-api.ts); lmdb-js's Database and the etcd table implement it.
import type { StoreTable as Database, TableOpener } from './table-api.js';

export interface Tables {
  readonly meta: Database<unknown, string>;
  readonly machines: Database<unknown, string>;
  readonly secrets: Database<unknown, string>;
  readonly hostnames: Database<string, string>;
  readonly statusIndex: Database<null, [string, string]>;
  readonly readyIndex: Database<unknown, (string | number)[]>;
  /** What members may see, by share (member-index.ts): entries -> null. */
  readonly memberIndex: Database<null, string[]>;
  readonly pools: Database<unknown, string>;
  readonly users: Database<unknown, string>;
  readonly groups: Database<unknown, string>;
  readonly tokens: Database<unknown, string>;
  readonly events: Database<unknown, number>;
  readonly agents: Database<unknown, string>;
  readonly enrollmentTokens: Database<unknown, string>;
  readonly sequences: Database<unknown, string>;
  /** Machines whose smartNIC ports a sequence has bound (and not yet unbound): id -> sequence id. */
  readonly networkBindings: Database<string, string>;
  /** VM hosts (vmhosts/vm-host.ts) by name. */
  readonly vmHosts: Database<unknown, string>;
  /** The machine of each instance in a VM host's project: [host, instance] -> machine id. */
  readonly vmInstances: Database<string, [string, string]>;
  /** Each agent's desired SR-IOV state (sriov.proto SriovDesired): agent id -> desired. */
  readonly sriovDesired: Database<unknown, string>;
  /** Tenant networks (networks/network-records.ts) by id, and their ids by name. */
  readonly networks: Database<unknown, string>;
  readonly networkNames: Database<string, string>;
  /** Addresses given out per network: [network id, address as a number] -> port id. */
  readonly networkAddresses: Database<string, [string, number]>;
  /** The same, looked up by port: [network id, port id] -> address as a number. */
  readonly networkPortAddresses: Database<number, [string, string]>;
  /** Machine ports attached to networks: LSP name -> NetworkAttachment. */
  readonly networkAttachments: Database<unknown, string>;
  /** Security groups by id, and their ids by name. */
  readonly securityGroups: Database<unknown, string>;
  readonly securityGroupNames: Database<string, string>;
  /** OS images (images/image-record.ts) by name; their bytes are files in the holder's data dir. */
  readonly images: Database<unknown, string>;
  /** Live deploy tokens of the boot service (boot/deploy-tokens.ts): sha256 of the token -> grant. */
  readonly bootTokens: Database<unknown, string>;
}

/**
 * The meta record holding the seq through which the event log was pruned (events/event-retention.ts).
 * It is written in the transaction that removes those events, so it is the log's floor at every
 * commit; an etcd replica drops its copies of the events at or below it when it sees it
 * (etcd-replica-feed.ts), since the removal of an event appended there names its stored key, not its seq.
 */
export const EVENTS_PRUNED_THROUGH = 'events-pruned-through';

/**
 * The stored names of the indexes MachineTable keeps over the machine records. LMDB stores them;
 * on etcd every replica derives them from the machine records instead (etcd-derived-indexes.ts).
 */
export const MACHINE_INDEX_NAMES = { statusIndex: 'status-index', readyIndex: 'ready-index', memberIndex: 'member-index' } as const;

export function openTables(root: TableOpener): Tables {
  const table = <V, K extends string | number | (string | number)[]>(name: string): Database<V, K> => root.openDB<V, K>({ name });
  return {
    meta: table('meta'),
    machines: table('machines'),
    secrets: table('secrets'),
    hostnames: table('hostnames'),
    statusIndex: table(MACHINE_INDEX_NAMES.statusIndex),
    readyIndex: table(MACHINE_INDEX_NAMES.readyIndex),
    memberIndex: table(MACHINE_INDEX_NAMES.memberIndex),
    pools: table('pools'),
    users: table('users'),
    groups: table('groups'),
    tokens: table('tokens'),
    events: table('events'),
    agents: table('agents'),
    enrollmentTokens: table('enrollment-tokens'),
    sequences: table('sequences'),
    networkBindings: table('network-bindings'),
    vmHosts: table('vm-hosts'),
    vmInstances: table('vm-instances'),
    sriovDesired: table('sriov-desired'),
    networks: table('networks'),
    networkNames: table('network-names'),
    networkAddresses: table('network-addresses'),
    networkPortAddresses: table('network-port-addresses'),
    networkAttachments: table('network-attachments'),
    securityGroups: table('security-groups'),
    securityGroupNames: table('security-group-names'),
    images: table('images'),
    bootTokens: table('boot-tokens'),
  };
}
