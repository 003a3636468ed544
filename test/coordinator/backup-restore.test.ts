// `mooring-coordinator backup` while the coordinator runs and takes writes, then `restore` into a
// fresh data dir: the restored coordinator has the same CA, the same tokens, every machine
// acknowledged before the backup began and their BMC passwords (the secrets key came along).
// Restore refuses a data dir holding data unless --force, and refuses a damaged backup.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { SecretTable } from '../../coordinator/src/store/secret-table.js';
import { Store } from '../../coordinator/src/store/store.js';
import { COORDINATOR_MAIN, startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';

const exec = promisify(execFile);

async function coordinatorCommand(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [COORDINATOR_MAIN, '--data-dir', dataDir, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const passwordOf = (i: number): string => `restore-pw-${i}`;

describe('coordinator backup and restore', () => {
  const root = mkdtempSync(join(tmpdir(), 'mooring-backup-'));
  const source = join(root, 'source');
  const restored = join(root, 'restored');
  const backup = join(root, 'fleet.backup');
  const processes: CoordinatorProcess[] = [];
  const clients: CoordinatorClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const p of processes) await p.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up a running coordinator under writes and restores it whole into a fresh dir', async () => {
    const running = await startCoordinatorProcess(source, { logLevel: 'warn' });
    processes.push(running);
    const admin = new CoordinatorClient({ address: running.address, caPem: running.caPem, token: running.adminToken, timeoutMs: 20_000 });
    clients.push(admin);
    await admin.call('TenancyService', 'CreateUser', { name: 'olga', role: 'ROLE_MEMBER' });
    const olgaToken = (await admin.call('TenancyService', 'CreateToken', { user: 'olga', description: 'kept across restore' })).secret;
    const enlist = (i: number) =>
      admin.call('MachineService', 'EnlistMachine', {
        hostname: `kept-${i}`,
        arch: 'amd64',
        cores: 4,
        memoryMib: 4096,
        power: { driver: 'POWER_DRIVER_IPMI', address: '10.3.0.1', user: 'root', password: passwordOf(i) },
        ports: [{ mac: `52:54:03:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}` }],
        commission: false,
      });
    for (let i = 0; i < 40; i++) await enlist(i);

    // Writes keep landing while the backup is taken.
    let writing = true;
    const during: number[] = [];
    const writer = (async () => {
      for (let i = 40; writing && i < 400; i++) {
        await enlist(i);
        during.push(i);
      }
    })();
    const made = await coordinatorCommand(source, ['backup', '--to', backup]);
    writing = false;
    await writer;
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(statSync(backup).mode & 0o777).toBe(0o600);

    const restore = await coordinatorCommand(restored, ['restore', '--from', backup]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const copy = await startCoordinatorProcess(restored, { logLevel: 'warn' });
    processes.push(copy);
    expect(copy.caPem).toBe(running.caPem);
    expect(copy.adminToken).toBe(running.adminToken);
    const olga = new CoordinatorClient({ address: copy.address, caPem: copy.caPem, token: olgaToken, timeoutMs: 20_000 });
    clients.push(olga);
    expect((await olga.call('TenancyService', 'WhoAmI', {})).name).toBe('olga');
    const copyAdmin = new CoordinatorClient({ address: copy.address, caPem: copy.caPem, token: copy.adminToken, timeoutMs: 20_000 });
    clients.push(copyAdmin);
    const hostnames = new Set((await copyAdmin.call('MachineService', 'ListMachines', { pageSize: 1000 })).machines.map((m) => m.hostname));
    for (let i = 0; i < 40; i++) expect(hostnames.has(`kept-${i}`)).toBe(true);
    // One consistent snapshot: what the backup holds of the concurrent writes is a prefix of them.
    const fromDuring = during.filter((i) => hostnames.has(`kept-${i}`));
    expect(fromDuring).toEqual(during.slice(0, fromDuring.length));
    expect(hostnames.size).toBe(40 + fromDuring.length);
    await copy.kill('SIGTERM');

    // The sealed passwords open with the restored secrets key.
    const store = Store.open(restored, createLogger('silent'));
    try {
      const secrets = new SecretTable(store.tables, store.cipher);
      const machine = [...store.tables.machines.getRange()].map((e) => e.value as Machine).find((m) => m.hostname === 'kept-7')!;
      expect(await secrets.password(machine)).toBe(passwordOf(7));
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses to restore over a data dir holding data unless --force', async () => {
    const caBefore = readFileSync(join(source, 'ca.crt'), 'utf8');
    const refused = await coordinatorCommand(source, ['restore', '--from', backup]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(source, 'ca.crt'), 'utf8')).toBe(caBefore);
    const other = mkdtempSync(join(root, 'other-'));
    const otherCoordinator = await startCoordinatorProcess(other, { logLevel: 'warn' });
    await otherCoordinator.kill('SIGTERM');
    expect(readFileSync(join(other, 'ca.crt'), 'utf8')).not.toBe(caBefore);
    const forced = await coordinatorCommand(other, ['restore', '--from', backup, '--force']);
    expect(forced.stderr).toBe('');
    expect(readFileSync(join(other, 'ca.crt'), 'utf8')).toBe(caBefore);
  }, 60_000);

  it('refuses a damaged backup and leaves the data dir untouched', async () => {
    const damaged = join(root, 'damaged.backup');
    const bytes = readFileSync(backup);
    // Flip bytes inside the first member after the manifest (tar: 512-byte header, then data).
    const at = bytes.indexOf(Buffer.from('coordinator.mdb')) + 512 + 4096 + 100;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(damaged, bytes);
    const target = join(root, 'never-written');
    const result = await coordinatorCommand(target, ['restore', '--from', damaged]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('does not match its checksum');
    expect(() => statSync(join(target, 'coordinator.mdb'))).toThrow();
  });
});
