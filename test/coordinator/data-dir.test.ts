// A data dir holding a fleet that is damaged: the built coordinator refuses to start, exits
// non-zero with a message naming the file and "restore from backup", and creates nothing (no new
// admin token, no new CA). A first start on an empty dir still works; its files are 0600 (the
// certificates 0644) and its database holds no BMC password in plain text.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinatorProcess } from '../harness/coordinator-process.js';
import { checkLmdbFile } from '../../proto/shared/lmdb-file-check.js';
import { lmdbMeta, overwritePages, startOnce } from '../harness/data-dir.js';

const MACHINES = 150;
const passwordOf = (i: number): string => `bmc-secret-${i}-Xq7`;

describe('coordinator data dir', () => {
  const root = mkdtempSync(join(tmpdir(), 'mooring-datadir-'));
  const seeded = join(root, 'seeded');

  beforeAll(async () => {
    const coordinator = await startCoordinatorProcess(seeded, { logLevel: 'warn' });
    const admin = new CoordinatorClient({
      address: coordinator.address,
      caPem: coordinator.caPem,
      token: coordinator.adminToken,
      timeoutMs: 20_000,
    });
    try {
      for (let batch = 0; batch < MACHINES; batch += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            admin.call('MachineService', 'EnlistMachine', {
              hostname: `dd-${batch + j}`,
              arch: 'amd64',
              cores: 8,
              memoryMib: 8192,
              power: { driver: 'POWER_DRIVER_IPMI', address: `10.1.0.${(batch + j) % 250}`, user: 'root', password: passwordOf(batch + j) },
              ports: [
                {
                  mac: ['52:54:01:00', ...[(batch + j) >> 8, (batch + j) & 0xff].map((b) => b.toString(16).padStart(2, '0'))].join(':'),
                },
              ],
              commission: false,
            }),
          ),
        );
      }
    } finally {
      admin.close();
      expect(await coordinator.kill('SIGTERM')).toBe(0);
    }
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates its files owner-only on first start (certificates 0644) and stores no password in plain text', () => {
    const mode = (name: string): string => (statSync(join(seeded, name)).mode & 0o777).toString(8);
    expect(mode('.')).toBe('700');
    for (const name of ['coordinator.mdb', 'coordinator.mdb-lock', 'ca.key', 'server.key', 'secrets.key', 'admin.token'])
      expect([name, mode(name)]).toEqual([name, '600']);
    for (const name of ['ca.crt', 'server.crt']) expect([name, mode(name)]).toEqual([name, '644']);
    // A copied database alone: none of the BMC passwords is in its bytes.
    const database = readFileSync(join(seeded, 'coordinator.mdb'));
    expect(database.length).toBeGreaterThan(0);
    for (let i = 0; i < MACHINES; i++) expect(database.includes(Buffer.from(passwordOf(i)))).toBe(false);
    // ...while the hostnames next to them are (the check would find a password if one were there).
    expect(database.includes(Buffer.from('dd-42'))).toBe(true);
  });

  it('restarts on a file ending before pages it counts that no tree reaches (allocated, freed, never written)', async () => {
    // As LMDB leaves a file whose last commit allocated pages and freed them again in the same
    // transaction: mm_last_pg counts them, the file never grew to them (seen under writes in a
    // backup's copy: 109 pages of 110). Here both meta pages count three pages more than the file holds.
    const dir = join(root, 'short-of-free-pages');
    cpSync(seeded, dir, { recursive: true });
    const file = join(dir, 'coordinator.mdb');
    const bytes = readFileSync(file);
    const { pageSize, lastPage } = lmdbMeta(file);
    expect(bytes.length).toBe((lastPage + 1) * pageSize);
    for (const at of [0, pageSize]) bytes.writeBigUInt64LE(BigInt(lastPage + 3), at + 144);
    writeFileSync(file, bytes);
    expect(checkLmdbFile(file)).toMatchObject({ ok: true });
    expect(checkLmdbFile(file, { metaOnly: true })).toMatchObject({ ok: true });
    expect(await startOnce(dir)).toEqual({ listening: true });
    // A cut that takes a page a tree reaches is still refused, before anything maps the file.
    truncateSync(file, lmdbMeta(file).mainRoot * pageSize);
    expect(checkLmdbFile(file)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^the file is truncated: .* a tree reaches page/),
    });
    expect(checkLmdbFile(file, { metaOnly: true })).toMatchObject({ ok: false });
  });

  it('restarts on its own intact data dir', async () => {
    const dir = join(root, 'intact');
    cpSync(seeded, dir, { recursive: true });
    expect(await startOnce(dir)).toEqual({ listening: true });
  });

  const serverKeyOfAnotherPair = (): string =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const cases: [string, string, (dir: string) => void][] = [
    ['a 0-byte coordinator.mdb', 'coordinator.mdb', (dir) => truncateSync(join(dir, 'coordinator.mdb'), 0)],
    ['a missing coordinator.mdb', 'coordinator.mdb', (dir) => unlinkSync(join(dir, 'coordinator.mdb'))],
    [
      'a truncated coordinator.mdb',
      'coordinator.mdb',
      (dir) => truncateSync(join(dir, 'coordinator.mdb'), Math.floor(statSync(join(dir, 'coordinator.mdb')).size / 2)),
    ],
    [
      'zeroed pages (the main tree root)',
      'coordinator.mdb',
      (dir) => overwritePages(join(dir, 'coordinator.mdb'), lmdbMeta(join(dir, 'coordinator.mdb')).mainRoot, 1, (n) => Buffer.alloc(n)),
    ],
    [
      'garbage pages (the second half of the file)',
      'coordinator.mdb',
      (dir) => {
        const { lastPage } = lmdbMeta(join(dir, 'coordinator.mdb'));
        const first = Math.max(2, Math.floor(lastPage / 2));
        overwritePages(join(dir, 'coordinator.mdb'), first, lastPage - first + 1, (n) => randomBytes(n));
      },
    ],
    ['zeroed meta pages', 'coordinator.mdb', (dir) => overwritePages(join(dir, 'coordinator.mdb'), 0, 2, (n) => Buffer.alloc(n))],
    ['a missing ca.crt', 'ca.crt', (dir) => unlinkSync(join(dir, 'ca.crt'))],
    ['a missing ca.key', 'ca.key', (dir) => unlinkSync(join(dir, 'ca.key'))],
    ['a garbage server.key', 'server.key', (dir) => writeFileSync(join(dir, 'server.key'), randomBytes(1700))],
    ['a server.key of another certificate', 'server.key', (dir) => writeFileSync(join(dir, 'server.key'), serverKeyOfAnotherPair())],
    ['a ca.key of another certificate', 'ca.key', (dir) => writeFileSync(join(dir, 'ca.key'), serverKeyOfAnotherPair())],
    ['a missing secrets.key', 'secrets.key', (dir) => unlinkSync(join(dir, 'secrets.key'))],
    ['another secrets.key', 'secrets.key', (dir) => writeFileSync(join(dir, 'secrets.key'), `${randomBytes(32).toString('hex')}\n`)],
  ];

  it.each(cases)(
    'refuses to start on %s, naming the file, and creates nothing',
    async (_name, file, damage) => {
      const dir = mkdtempSync(join(root, 'case-'));
      cpSync(seeded, dir, { recursive: true });
      damage(dir);
      const before = (name: string): string | null => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'hex') : null);
      const kept = Object.fromEntries(
        ['admin.token', 'ca.crt', 'ca.key', 'secrets.key', 'coordinator.mdb'].map((name) => [name, before(name)]),
      );
      const outcome = await startOnce(dir);
      expect(outcome.listening).toBe(false);
      if (outcome.listening) return;
      expect(outcome.signal, outcome.stderr).toBeNull(); // it exits; no SIGBUS, no SIGSEGV
      expect(outcome.code).not.toBe(0);
      expect(outcome.stderr).toContain(join(dir, file));
      expect(outcome.stderr).toContain('restore from backup');
      for (const [name, content] of Object.entries(kept)) expect([name, before(name) === content]).toEqual([name, true]);
    },
    30_000,
  );

  it('starts a first time on an empty dir and on a dir that does not exist yet', async () => {
    const empty = mkdtempSync(join(root, 'empty-'));
    expect(await startOnce(empty)).toEqual({ listening: true });
    expect(existsSync(join(empty, 'admin.token'))).toBe(true);
    const absent = join(root, 'absent', 'data');
    expect(await startOnce(absent)).toEqual({ listening: true });
    expect(existsSync(join(absent, 'ca.crt'))).toBe(true);
  });
});
