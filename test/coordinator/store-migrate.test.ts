// `mooring-coordinator migrate --from lmdb:DIR --to etcd:URLs`, run as the real CLI against a real
// 3-member etcd cluster. A fleet made by a real coordinator (machines, a user and her token) is
// grown in its LMDB file to 10,001 machines with events, agents, tokens and sealed secrets, then
// migrated; a coordinator started on the etcd prefix serves it (lists every machine, takes the old
// token, allocates, opens a sealed secret). Refusals: a non-empty prefix (nothing written), a
// missing or damaged source, a source in use by a running coordinator.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../coordinator/src/agents/agent-registry.js';
import type { CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { batches, type Put } from '../../coordinator/src/store/migrate-batches.js';
import { MigrateVerifyError } from '../../coordinator/src/store/migrate-errors.js';
import { migrateFleet } from '../../coordinator/src/store/migrate-fleet.js';
import { lockHolders } from '../../coordinator/src/store/migrate-lock.js';
import { readSecretsKey, SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { SecretTable } from '../../coordinator/src/store/secret-table.js';
import { Store } from '../../coordinator/src/store/store.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { COORDINATOR_MAIN } from '../harness/coordinator-process.js';
import { EtcdCluster } from '../harness/etcd.js';

const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function migrateCli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', [COORDINATOR_MAIN, 'migrate', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const MACHINES = 10_000;
const EVENTS = 20_000;
const AGENTS = 500;
const TOKENS = 2_000;
const SECRETS = 200;

/** Grows the fleet in `dataDir` (coordinator stopped) by cloning records a real coordinator wrote. */
async function growFleet(dataDir: string): Promise<void> {
  const store = Store.open(dataDir, createLogger('silent'));
  try {
    const template = [...store.tables.machines.getRange({})][0]!.value as Machine;
    const event = [...store.tables.events.getRange({ reverse: true, limit: 1 })][0]!.value as CoordinatorEvent;
    const token = [...store.tables.tokens.getRange({})][0]!.value as Record<string, unknown>;
    const machines = new MachineTable(store.tables);
    const secrets = new SecretTable(store.tables, store.cipher);
    const chunk = 1000;
    for (let from = 0; from < MACHINES; from += chunk) {
      await store.write(() => {
        for (let i = from; i < from + chunk; i++) {
          const id = `bulk-${String(i).padStart(5, '0')}`;
          const mac = `02:00:00:${[i >> 16, (i >> 8) & 0xff, i & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
          const machine: Machine = { ...template, id, hostname: id, ports: template.ports.map((p) => ({ ...p, mac })) };
          machines.save(null, machine);
          if (i < SECRETS) secrets.setPassword(id, `bmc-password-${i}`);
        }
      });
    }
    await store.write(() => {
      for (let i = 1; i <= EVENTS; i++) store.tables.events.putSync(event.seq + i, { ...event, seq: event.seq + i, why: `bulk ${i}` });
      for (let i = 0; i < AGENTS; i++) {
        const id = `dpu-bulk-${i}`;
        const agent: AgentRecord = {
          id,
          role: 'smartnic',
          enrolledAt: 1_700_000_000_000,
          revokedAt: null,
          certSerial: i.toString(16).padStart(32, '0'),
          certNotAfter: 1_900_000_000_000,
          previousCert: null,
          epoch: 0,
          state: 'NEVER_CONNECTED',
          stateChangedAt: 1_700_000_000_000,
          stateReason: 'enrolled',
          version: '',
          inventory: null,
        };
        store.tables.agents.putSync(id, agent);
      }
      for (let i = 0; i < TOKENS; i++) store.tables.tokens.putSync(`bulk-token-${i}`, { ...token, description: `bulk ${i}` });
    });
  } finally {
    await store.close();
  }
}

/** A coordinator's data dir on the prefix: only the source's secrets key (the CA and admin token come from etcd). */
function coordinatorDirFrom(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-etcd-coordinator-'));
  copyFileSync(join(source, 'secrets.key'), join(dir, 'secrets.key'));
  return dir;
}

async function keysUnder(client: Etcd3, prefix: string): Promise<string[]> {
  return client.getAll().prefix(`${prefix}/`).limit(10).keys();
}

async function countUnder(client: Etcd3, prefix: string): Promise<number> {
  return client.getAll().prefix(`${prefix}/`).count();
}

describe('mooring-coordinator migrate', () => {
  let cluster: EtcdCluster;
  let etcd: Etcd3;
  let source: string;
  let aliceToken: string;
  const scratch: string[] = [];
  const prefix = `/migrated-${process.pid}`;

  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
    etcd = new Etcd3({ hosts: cluster.endpoints });
    source = mkdtempSync(join(tmpdir(), 'mooring-migrate-src-'));
    scratch.push(source);
    const f = await startCoordinator({ dataDir: source });
    try {
      await f.machine('template-1', { cores: 16, memoryMib: 65536 });
      await f.admin.call('TenancyService', 'CreateUser', { name: 'alice', role: 'ROLE_MEMBER' });
      aliceToken = (await f.admin.call('TenancyService', 'CreateToken', { user: 'alice', description: 'before the migration' })).secret;
    } finally {
      await f.close();
    }
    await growFleet(source);
  }, 240_000);

  afterAll(async () => {
    etcd?.close();
    await cluster?.stop();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('copies a 10k-machine fleet, verifies it, and a coordinator on the prefix serves it', async () => {
    const key = readFileSync(join(source, 'secrets.key'), 'utf8').trim();
    const result = await migrateCli(['--from', `lmdb:${source}`, '--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', prefix]);
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    const row = (table: string): number => Number(new RegExp(`^  ${table} +(\\d+) `, 'm').exec(result.stdout)?.[1]);
    expect(row('machines')).toBe(MACHINES + 1);
    expect(row('hostnames')).toBe(MACHINES + 1);
    expect(row('agents')).toBe(AGENTS);
    expect(row('tokens')).toBeGreaterThanOrEqual(TOKENS + 2); // the admin's and alice's, and the clones
    expect(row('events')).toBeGreaterThan(EVENTS);
    expect(row('secrets')).toBe(SECRETS);
    // The machine indexes stay behind: on etcd every coordinator derives them (store/etcd-derived-indexes.ts).
    for (const index of ['status-index', 'ready-index', 'member-index']) expect(row(index)).toBeNaN();
    expect(result.stdout).toContain('verified: every table has the same record count and checksum');
    expect(result.stdout).toMatch(/ in \d+\.\d s, \d+ records\/s\n/);
    expect(result.stdout).toContain(`needs the same secrets key file. Copy ${join(source, 'secrets.key')}`);
    expect(result.stderr).toMatch(/machines: \d+\/10001\n/); // progress while the big table copies
    expect(result.stdout + result.stderr).not.toContain(key);

    // A coordinator on the prefix with only the secrets key: the source's CA and admin token came through etcd.
    const dir = coordinatorDirFrom(source);
    scratch.push(dir);
    let f: CoordinatorFixture | null = null;
    try {
      f = await startCoordinator({ dataDir: dir, flags: { store: `etcd:${cluster.endpoints.join(',')}`, etcdPrefix: prefix } });
      expect(f.caPem).toBe(readFileSync(join(source, 'ca.crt'), 'utf8'));
      expect(f.adminToken).toBe(readFileSync(join(source, 'admin.token'), 'utf8').trim());
      let listed = 0;
      let pageToken = '';
      do {
        const page = await f.admin.call('MachineService', 'ListMachines', { pageToken, pageSize: 1000 });
        listed += page.machines.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      expect(listed).toBe(MACHINES + 1);
      const ready = await f.admin.call('MachineService', 'ListMachines', { status: 'MACHINE_STATUS_READY', pageSize: 1 });
      expect(ready.machines).toHaveLength(1);
      const alice = await f.client(aliceToken).call('TenancyService', 'WhoAmI', {});
      expect(alice.name).toBe('alice');
      const allocated = await f.admin.call('MachineService', 'AllocateMachine', {});
      expect(allocated.machine!.hostname).toMatch(/^(bulk-\d{5}|template-1)$/);
      const agents = await f.admin.call('AgentAdminService', 'ListAgents', { pageSize: 1000 });
      expect(agents.agents.length).toBe(AGENTS);
    } finally {
      await f?.close();
    }

    // Sealed secrets opened with the same key on the etcd side.
    const cipher = new SecretCipher(readSecretsKey(join(source, 'secrets.key'))!);
    const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger: createLogger('silent') });
    try {
      const machine = new MachineTable(store.tables).get('bulk-00007')!;
      expect(await new SecretTable(store.tables, store.cipher).password(machine)).toBe('bmc-password-7');
      expect(store.tables.meta.get('schemaVersion')).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 600_000);

  it('refuses a non-empty prefix, naming it and a key in it, and writes nothing', async () => {
    const occupied = `/occupied-${process.pid}`;
    await etcd.put(`${occupied}/t/machines/someone-else`).value('x');
    const result = await migrateCli(['--from', `lmdb:${source}`, '--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', occupied]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`etcd prefix ${occupied} is not empty (it holds ${occupied}/t/machines/`);
    expect(result.stderr).toContain('nothing was written');
    expect(await keysUnder(etcd, occupied)).toEqual([`${occupied}/t/machines/someone-else`]);

    // The prefix migrated above is refused the same way: a second run never writes over a fleet.
    const before = await countUnder(etcd, prefix);
    expect(before).toBeGreaterThan(MACHINES);
    const again = await migrateCli(['--from', `lmdb:${source}`, '--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', prefix]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`etcd prefix ${prefix} is not empty`);
    expect(await countUnder(etcd, prefix)).toBe(before);
  }, 120_000);

  it('refuses a missing, empty or damaged source with a clear error and writes nothing', async () => {
    const target = `/bad-source-${process.pid}`;
    const to = ['--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', target];
    const missing = await migrateCli(['--from', `lmdb:/nonexistent/mooring-${process.pid}`, ...to]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`--from lmdb:/nonexistent/mooring-${process.pid}: no such directory; nothing was written to etcd`);

    const empty = mkdtempSync(join(tmpdir(), 'mooring-migrate-empty-'));
    scratch.push(empty);
    const notData = await migrateCli(['--from', `lmdb:${empty}`, ...to]);
    expect(notData.code).toBe(1);
    expect(notData.stderr).toContain('not a coordinator data dir (no coordinator.mdb in it)');

    const damaged = mkdtempSync(join(tmpdir(), 'mooring-migrate-damaged-'));
    scratch.push(damaged);
    const bytes = readFileSync(join(source, 'coordinator.mdb'));
    writeFileSync(join(damaged, 'coordinator.mdb'), bytes.subarray(0, Math.floor(bytes.length / 3)));
    copyFileSync(join(source, 'secrets.key'), join(damaged, 'secrets.key'));
    const truncated = await migrateCli(['--from', `lmdb:${damaged}`, ...to]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain(`--from lmdb:${damaged}: the database is damaged`);
    expect(truncated.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace

    const badOption = await migrateCli(['--from', `etcd:${cluster.endpoints[0]}`, ...to]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('--from: expected lmdb:DIR');

    expect(await keysUnder(etcd, target)).toEqual([]);
  }, 120_000);

  it('refuses a source a running coordinator holds open, naming its process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-migrate-live-'));
    scratch.push(dir);
    const f = await startCoordinator({ dataDir: dir });
    const target = `/live-source-${process.pid}`;
    try {
      const result = await migrateCli(['--from', `lmdb:${dir}`, '--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', target]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the database is in use by process ${process.pid}`);
    } finally {
      await f.close();
    }
    expect(await keysUnder(etcd, target)).toEqual([]);
    // Stopped, the same dir migrates.
    const stopped = await migrateCli(['--from', `lmdb:${dir}`, '--to', `etcd:${cluster.endpoints.join(',')}`, '--etcd-prefix', target]);
    expect({ code: stopped.code, stderr: stopped.stderr }).toMatchObject({ code: 0 });
    expect(stopped.stdout).toContain('verified');
  }, 120_000);

  it('stops when another writer puts a key in the prefix during the copy, and never writes over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-migrate-race-'));
    scratch.push(dir);
    const f = await startCoordinator({ dataDir: dir });
    await f.machine('race-1');
    await f.close();
    // Once the first table with records is copied, another writer (etcdctl, done before the copy
    // goes on) puts a key either where the copy has been (found by the check after the last Txn)
    // or just past it (found by the next Txn's compare).
    for (const place of ['copied', 'ahead'] as const) {
      const target = `/race-${place}-${process.pid}`;
      let foreign = '';
      const migrating = migrateFleet({
        from: { type: 'lmdb', dir },
        to: { type: 'etcd', endpoints: cluster.endpoints, tls: null, prefix: target, batchGatherMs: 0, batchRejoinMs: 0 },
        credentialsDirectory: null,
        progress: (line) => {
          const table = /^ {2}(\w+): [1-9]\d* records$/.exec(line)?.[1];
          if (!table || foreign) return;
          foreign = place === 'copied' ? `${target}/d/${table}` : `${target}/t/${table}/~`;
          execFileSync('etcdctl', [`--endpoints=${cluster.endpoints.join(',')}`, 'put', foreign, 'another fleet']);
        },
      });
      await expect(migrating).rejects.toThrow(`another writer changed etcd prefix ${target} during the migration (${foreign}`);
      expect(await etcd.get(foreign).string()).toBe('another fleet');
    }
  }, 120_000);

  it('reports per table where etcd differs from the source after the copy, and fails', async () => {
    // A small stopped fleet; between the copy and the verification a machine record is changed
    // and an event deleted in etcd, as a writer racing the migration would.
    const dir = mkdtempSync(join(tmpdir(), 'mooring-migrate-verify-'));
    scratch.push(dir);
    const f = await startCoordinator({ dataDir: dir });
    await f.machine('verify-1');
    await f.machine('verify-2');
    await f.close();
    const target = `/verify-${process.pid}`;
    const machine = `${target}/t/machines/`;
    const migrating = migrateFleet({
      from: { type: 'lmdb', dir },
      to: { type: 'etcd', endpoints: cluster.endpoints, tls: null, prefix: target, batchGatherMs: 0, batchRejoinMs: 0 },
      credentialsDirectory: null,
      progress: () => {},
      beforeVerify: async () => {
        // Keys are binary (ordered-binary): taken and given back as bytes.
        const [key] = await etcd.getAll().prefix(machine).limit(1).keyBuffers();
        await etcd.put(key!).value('changed behind the migration');
        const [event] = await etcd.getAll().prefix(`${target}/t/events/`).limit(1).keyBuffers();
        await etcd.delete().key(event!);
      },
    });
    await expect(migrating).rejects.toThrow(MigrateVerifyError);
    const error = (await migrating.catch((e: unknown) => e)) as MigrateVerifyError;
    expect(error.tables).toHaveLength(2);
    expect(error.tables[0]).toMatch(/^events \(LMDB (\d+) records, \1 copied, etcd \d+: 1 missing in etcd\)$/);
    expect(error.tables[1]).toBe('machines (LMDB 2 records, 2 copied, etcd 2: same count, checksums differ)');
    expect(error.message).toContain('do not start coordinators on this prefix');
  }, 120_000);
});

describe('migrate batches and lock parsing', () => {
  const put = (key: string, valueBytes: number): Put => ({ key: Buffer.from(key), value: Buffer.alloc(valueBytes) });

  it('cuts puts at the op limit and the byte limit, in order, never empty', () => {
    const puts = Array.from({ length: 300 }, (_, i) => put(`k${String(i).padStart(3, '0')}`, 10));
    const cut = [...batches(puts, { maxOps: 128, maxBytes: 1 << 20 })];
    expect(cut.map((b) => b.length)).toEqual([128, 128, 44]);
    expect(cut.flat()).toEqual(puts);

    const big = [put('a', 600), put('b', 600), put('c', 600)];
    expect([...batches(big, { maxOps: 128, maxBytes: 1300 })].map((b) => b.map((p) => p.key.toString()))).toEqual([['a', 'b'], ['c']]);
    expect(() => [...batches([put('huge', 2000)], { maxOps: 128, maxBytes: 1300 })]).toThrow('does not fit in one etcd request');
  });

  it("finds other processes' POSIX locks on the lock file's device and inode, not waiters or its own", () => {
    // dev 0xfe00 = major 254, minor 0.
    const text = [
      '1: POSIX  ADVISORY  READ 4242 fe:00:2335044 0 0',
      '1: -> POSIX  ADVISORY  WRITE 5151 fe:00:2335044 0 0',
      '2: POSIX  ADVISORY  READ 777 fe:00:2335044 0 0',
      '3: POSIX  ADVISORY  WRITE 999 fe:01:2335044 0 0',
      '4: FLOCK  ADVISORY  WRITE 888 fe:00:2335044 0 EOF',
      '5: POSIX  ADVISORY  WRITE 666 fe:00:1 0 0',
    ].join('\n');
    expect(lockHolders(text, { dev: 0xfe00, ino: 2335044 }, 777)).toEqual([{ pid: 4242, type: 'READ' }]);
  });
});
