// Schema versions and the migration hook. A data dir records the version it was written with;
// opening runs every migration above it, in order, in the same transaction that bumps the
// version, and refuses a data dir written by a newer coordinator.
import { SchemaTooNewError } from './errors.js';
import type { Tables } from './tables.js';
import { DEFAULT_IPMI_CIPHER_SUITE, type Machine } from '../machines/machine.js';
import { memberIndexKeys } from './member-index.js';

export const SCHEMA_VERSION = 11;

/**
 * From this version on an etcd prefix holds no machine indexes: each coordinator derives them
 * (etcd-derived-indexes.ts), and one that stored them must not write to such a prefix (it refuses
 * a version above its own). The keys an older layout stored are ignored, and deleted on the
 * upgrade (etcd-store.ts).
 */
export const ETCD_DERIVED_INDEXES_SINCE = 10;

interface Migration {
  readonly to: number;
  readonly run: (tables: Tables) => void;
}

/** Migration i brings a store from version i to i + 1 (version 0 is an empty data dir). */
const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    run: () => {
      // Version 1 is the first layout: the tables open empty; nothing to convert.
    },
  },
  {
    to: 2,
    run: () => {
      // Version 2 adds the agents and enrollment-tokens tables; they open empty.
    },
  },
  {
    to: 3,
    run: () => {
      // Version 3 adds the sequences and network-bindings tables (the BIOS-halt sequencer); they open empty.
    },
  },
  {
    to: 4,
    run: () => {
      // Version 4 adds the vm-hosts and vm-instances tables (LXD VM hosts); they open empty.
    },
  },
  {
    to: 5,
    run: () => {
      // Version 5 adds the sriov-desired table (each agent's desired SR-IOV state); it opens empty.
    },
  },
  {
    to: 6,
    run: () => {
      // Version 6 adds the tenant-network tables (networks, addresses, attachments, security groups); they open empty.
    },
  },
  {
    to: 7,
    run: (tables) => {
      // Version 7 adds per-machine power settings: the IPMI cipher suite (3, the suite every
      // machine used until now) and the Redfish TLS check (the coordinator's default, as before).
      for (const { key, value } of tables.machines.getRange({})) {
        const machine = value as Machine;
        const power = {
          ...machine.power,
          ipmiCipherSuite: machine.power.driver === 'ipmi' ? DEFAULT_IPMI_CIPHER_SUITE : null,
          redfishTls: machine.power.driver === 'redfish' ? { verify: 'default' as const } : null,
        };
        tables.machines.putSync(key, { ...machine, power } satisfies Machine);
      }
    },
  },
  {
    to: 8,
    run: (tables) => {
      // Version 8 adds the member index (member-index.ts): built here from the stored machines.
      for (const { value } of tables.machines.getRange({})) {
        for (const key of memberIndexKeys(value as Machine)) tables.memberIndex.putSync(key, null);
      }
    },
  },
  {
    to: 9,
    run: () => {
      // Version 9 adds the images and boot-tokens tables (OS images, the boot service); they open empty.
    },
  },
  {
    to: 10,
    run: () => {
      // Version 10: on etcd the machine indexes are derived, not stored (ETCD_DERIVED_INDEXES_SINCE).
      // LMDB stores them as before: nothing to convert.
    },
  },
  {
    to: 11,
    run: () => {
      // Version 11: LMDB values name record structures kept per table (record-structures.ts), which
      // a coordinator of version 10 or older cannot decode, so it must refuse the file. Values
      // written before carry their own structures and are read as they are. etcd: nothing changes.
    },
  },
];

/** Must run inside a write transaction. */
export function migrate(tables: Tables): { from: number; to: number } {
  const found = (tables.meta.get('schemaVersion') as number | undefined) ?? 0;
  if (found > SCHEMA_VERSION) throw new SchemaTooNewError(found, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (migration.to > found) {
      migration.run(tables);
      tables.meta.putSync('schemaVersion', migration.to);
    }
  }
  return { from: found, to: SCHEMA_VERSION };
}
