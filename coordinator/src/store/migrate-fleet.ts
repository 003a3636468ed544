// `mooring-coordinator migrate --from lmdb:DIR --to etcd:URLs`: copies a stopped coordinator's
// whole fleet - every table but the machine indexes (on etcd every coordinator derives them:
// etcd-derived-indexes.ts), meta (schema version, secrets key check) included, secrets as the
// sealed records they are - into an empty etcd prefix, in the layout the etcd store reads
// (etcd-keys.ts: ordered-binary keys, msgpack values). Tables go in name order, records in key
// order, in Txns etcd accepts (migrate-batches.ts), several in flight, each guarded so the prefix
// stays the migration's alone (migrate-target.ts). Then a verification pass reads both sides again and
// compares each table's record count and checksum.
//
// The secrets key does not go to etcd (nothing secret is stored there in clear text): every
// coordinator started on the prefix needs the same key file, which the summary says. The data
// dir's CA and admin token go into the meta table sealed with it (migrate-secrets.ts), so that
// key file is all a coordinator on the prefix needs; they are copied and verified as meta records.
import { createHash, type Hash } from 'node:crypto';
import { Packr } from 'msgpackr';
import { DERIVED_TABLES } from './etcd-derived-indexes.js';
import { encodeKey } from './etcd-keys.js';
import { batches, ETCD_BATCH_LIMITS, PutTooLargeError, type BatchLimits, type Put } from './migrate-batches.js';
import { MigrateError, MigrateVerifyError } from './migrate-errors.js';
import { sharedSecretRecords } from './migrate-secrets.js';
import { LmdbSource, type SourceRecord } from './migrate-source.js';
import { EtcdTarget } from './migrate-target.js';
import type { StoreLocation } from './store-location.js';

export interface MigrateOptions {
  readonly from: Extract<StoreLocation, { type: 'lmdb' }>;
  readonly to: Extract<StoreLocation, { type: 'etcd' }>;
  /** systemd's $CREDENTIALS_DIRECTORY, where the source's secrets key may be. */
  readonly credentialsDirectory: string | null;
  /** Progress lines (stderr in the CLI). */
  readonly progress: (line: string) => void;
  readonly limits?: BatchLimits;
  /** /proc/locks, for the in-use check; tests may pass their own. */
  readonly procLocks?: () => string | null;
  /** Runs between the copy and the verification (tests change the target there). */
  readonly beforeVerify?: () => Promise<void>;
}

export interface TableSummary {
  readonly table: string;
  readonly records: number;
  /** sha256 over the table's records in key order (key and value bytes, each length-prefixed). */
  readonly checksum: string;
}

export interface MigrateSummary {
  readonly schemaVersion: number;
  readonly tables: readonly TableSummary[];
  readonly records: number;
  readonly txns: number;
  /** Seconds the copy took (without the verification). */
  readonly copySeconds: number;
  /** The source's secrets key file: copy it to every coordinator on the prefix. Its path only. */
  readonly secretsKeyFile: string;
}

/** Report progress after about this many records of one table. */
const PROGRESS_EVERY = 2000;

export async function migrateFleet(options: MigrateOptions): Promise<MigrateSummary> {
  // The etcd store's own encoding (etcd-store.ts): a coordinator reads these values as its own.
  const packr = new Packr({ useRecords: false });
  const source = LmdbSource.open(options.from.dir, options.credentialsDirectory, options.procLocks);
  let shared: SourceRecord[];
  try {
    shared = sharedSecretRecords(source.dir, source.cipher);
  } catch (error) {
    await source.close();
    throw error;
  }
  // The meta table as it goes to etcd: the source's records and the sealed shared secrets, in etcd's key order.
  const records = (table: string): Iterable<SourceRecord> =>
    table === 'meta' ? [...source.records(table), ...shared].sort((a, b) => compareEncoded(a.key, b.key)) : source.records(table);
  const target = await EtcdTarget.connect(options.to);
  const { layout } = target;
  try {
    await target.refuseNonEmpty();
    // The machine indexes stay behind: every coordinator on etcd derives them from the machine records.
    const names = source.tableNames.filter((table) => !DERIVED_TABLES.has(table));
    const schema = `schema version ${source.schemaVersion}`;
    const started = process.hrtime.bigint();
    options.progress(`copying ${names.length} tables from lmdb:${source.dir} to etcd prefix ${layout.prefix} (${schema})`);
    const copied = new Map<string, number>();
    for (const table of names) {
      const total = source.count(table) + (table === 'meta' ? shared.length : 0);
      let done = 0;
      let reported = 0;
      const puts = function* (): Generator<Put> {
        for (const { key, value } of records(table)) {
          yield { key: layout.record(table, encodeKey(key)), value: packr.pack(value) };
        }
      };
      try {
        for (const batch of batches(puts(), options.limits ?? ETCD_BATCH_LIMITS)) {
          await target.put(batch);
          done += batch.length;
          if (done - reported >= PROGRESS_EVERY && done < total) {
            options.progress(`  ${table}: ${done}/${total}`);
            reported = done;
          }
        }
      } catch (error) {
        if (error instanceof PutTooLargeError) {
          const key = layout.parse(error.put.key);
          const name = key.type === 'record' ? key.encoded : '';
          throw new MigrateError(`table ${table}, record ${JSON.stringify(name)}: ${error.message}; the copy stopped half done`);
        }
        throw error;
      }
      await target.settle();
      copied.set(table, done);
      options.progress(`  ${table}: ${done} records`);
    }
    await target.finish();
    const copySeconds = Number(process.hrtime.bigint() - started) / 1e9;

    await options.beforeVerify?.();
    options.progress('verifying: reading both sides again');
    const recordBytes = (r: SourceRecord): [Buffer, Buffer] => [Buffer.from(encodeKey(r.key), 'latin1'), packr.pack(r.value)];
    const sourceSums = new Map(names.map((table) => [table, checksum(table, records(table), recordBytes)]));
    const targetSums = await etcdChecksums(target);
    const differing: string[] = [];
    for (const table of new Set([...sourceSums.keys(), ...targetSums.keys()])) {
      // A table without records has no key in etcd: it reads back as an empty one.
      const a = sourceSums.get(table) ?? checksum(table, [], recordBytes);
      const b = targetSums.get(table) ?? checksum(table, [], recordBytes);
      const sent = copied.get(table) ?? 0;
      if (a.records !== b.records || a.checksum !== b.checksum || a.records !== sent) {
        const how =
          a.records === b.records
            ? 'same count, checksums differ'
            : a.records > b.records
              ? `${a.records - b.records} missing in etcd`
              : `${b.records - a.records} more in etcd`;
        differing.push(`${table} (LMDB ${a.records} records, ${sent} copied, etcd ${b.records}: ${how})`);
      }
    }
    if (differing.length > 0) throw new MigrateVerifyError(differing);
    const tables = names.map((table) => sourceSums.get(table)!);
    return {
      schemaVersion: source.schemaVersion,
      tables,
      records: tables.reduce((sum, t) => sum + t.records, 0),
      txns: target.txns,
      copySeconds,
      secretsKeyFile: source.secretsKeyFile,
    };
  } finally {
    target.close();
    await source.close();
  }
}

function compareEncoded(a: SourceRecord['key'], b: SourceRecord['key']): number {
  const x = encodeKey(a);
  const y = encodeKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function checksum<T>(table: string, records: Iterable<T>, bytes: (record: T) => [Buffer, Buffer]): TableSummary {
  const hash = createHash('sha256');
  let count = 0;
  for (const record of records) {
    addRecord(hash, ...bytes(record));
    count++;
  }
  return { table, records: count, checksum: hash.digest('hex') };
}

async function etcdChecksums(target: EtcdTarget): Promise<Map<string, TableSummary>> {
  const hashes = new Map<string, { hash: Hash; records: number }>();
  for await (const { table, key, value } of target.records()) {
    let entry = hashes.get(table);
    if (!entry) {
      entry = { hash: createHash('sha256'), records: 0 };
      hashes.set(table, entry);
    }
    addRecord(entry.hash, key, value);
    entry.records++;
  }
  return new Map([...hashes].map(([table, { hash, records }]) => [table, { table, records, checksum: hash.digest('hex') }]));
}

function addRecord(hash: Hash, key: Buffer, value: Buffer): void {
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32BE(key.length, 0);
  lengths.writeUInt32BE(value.length, 4);
  hash.update(lengths).update(key).update(value);
}

/** The summary as the CLI prints it: records per table, the verification, and where the secrets key must go. */
export function formatSummary(summary: MigrateSummary, to: Extract<StoreLocation, { type: 'etcd' }>): string {
  const width = Math.max(...summary.tables.map((t) => t.table.length), 'total'.length);
  const lines = [
    `migrated ${summary.records} records in ${summary.txns} etcd transactions to prefix ${to.prefix} on ${to.endpoints.join(',')} ` +
      `(schema version ${summary.schemaVersion}) in ${summary.copySeconds.toFixed(1)} s, ` +
      `${Math.round(summary.records / Math.max(summary.copySeconds, 0.001))} records/s`,
    ...summary.tables.map((t) => `  ${t.table.padEnd(width)}  ${String(t.records).padStart(8)}  sha256 ${t.checksum.slice(0, 16)}`),
    `  ${'total'.padEnd(width)}  ${String(summary.records).padStart(8)}`,
    'verified: every table has the same record count and checksum in etcd as in the LMDB source',
    'the CA and the bootstrap admin token went to etcd sealed with the secrets key; ' +
      `the secrets key did not go to etcd: every coordinator on prefix ${to.prefix} needs the same secrets key file. Copy ` +
      `${summary.secretsKeyFile} (mode 0600) to each coordinator's data dir as secrets.key, or provide it as the systemd ` +
      'credential mooring-secrets-key; a coordinator with another key refuses the prefix',
  ];
  return `${lines.join('\n')}\n`;
}
