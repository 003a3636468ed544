// The agent's data dir: agent.mdb is created 0600 and reopens with its state; a damaged agent.mdb
// or damaged identity files stop `mooring-agent run` before it opens anything, with a message
// naming the file and "restore from backup", never by SIGBUS/SIGSEGV, and nothing is rewritten.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyAndCsr, CredentialFiles } from '../../../agent/src/link/credentials.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import { ManualClock } from '../../../coordinator/src/clock.js';
import { createLogger } from '../../../coordinator/src/logger.js';
import { CertificateAuthority } from '../../../coordinator/src/pki/certificate-authority.js';
import { readCsr } from '../../../coordinator/src/pki/csr-reader.js';
import { agentCli } from '../../harness/cli.js';
import { lmdbMeta, overwritePages } from '../../harness/data-dir.js';

const PORTS = 300;

describe('agent data dir', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mooring-agent-datadir-'));
  const seeded = path.join(root, 'seeded');

  beforeAll(async () => {
    const store = AgentStore.open(seeded);
    await store.setDesired({
      put: Array.from({ length: PORTS }, (_, i) => ({
        name: `pf0vf${i}`,
        ifaceId: `port-${i}-${'x'.repeat(60)}`,
        mac: '52:54:00:00:00:01',
        vmUuid: `vm-${i}`,
      })),
    });
    await store.close();
    // An enrolled identity: key + CSR signed by a real coordinator CA.
    const caDir = path.join(root, 'ca');
    mkdirSync(caDir);
    const ca = CertificateAuthority.loadOrCreate(caDir, new ManualClock(), createLogger('silent'));
    const { keyPem, csrPem } = newKeyAndCsr('dpu-data-dir');
    await new CredentialFiles(seeded).save(keyPem, ca.signCsr(readCsr(csrPem), 'dpu-data-dir', 30).certPem, ca.certPem);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates agent.mdb owner-only and reads its state back', async () => {
    for (const name of ['agent.mdb', 'agent.mdb-lock', 'agent.key'])
      expect([name, (statSync(path.join(seeded, name)).mode & 0o777).toString(8)]).toEqual([name, '600']);
    const store = AgentStore.open(seeded);
    try {
      expect(store.desiredPorts()).toHaveLength(PORTS);
    } finally {
      await store.close();
    }
  });

  const database = (dir: string): string => path.join(dir, 'agent.mdb');
  const cases: [string, string, (dir: string) => void][] = [
    ['a 0-byte agent.mdb', 'agent.mdb', (dir) => truncateSync(database(dir), 0)],
    ['a truncated agent.mdb', 'agent.mdb', (dir) => truncateSync(database(dir), Math.floor(statSync(database(dir)).size / 2))],
    [
      'a zeroed main tree root page',
      'agent.mdb',
      (dir) => overwritePages(database(dir), lmdbMeta(database(dir)).mainRoot, 1, (n) => Buffer.alloc(n)),
    ],
    [
      'garbage pages',
      'agent.mdb',
      (dir) => {
        const { lastPage } = lmdbMeta(database(dir));
        const first = Math.max(2, Math.floor(lastPage / 2));
        overwritePages(database(dir), first, lastPage - first + 1, (n) => randomBytes(n));
      },
    ],
    ['a garbage agent.key', 'agent.key', (dir) => writeFileSync(path.join(dir, 'agent.key'), randomBytes(1600))],
    ['an agent.key of another certificate', 'agent.key', (dir) => writeFileSync(path.join(dir, 'agent.key'), newKeyAndCsr('other').keyPem)],
    ['a missing coordinator-ca.crt', 'coordinator-ca.crt', (dir) => unlinkSync(path.join(dir, 'coordinator-ca.crt'))],
  ];

  it.each(cases)(
    'refuses to run on %s, naming the file',
    async (_name, file, damage) => {
      const dir = mkdtempSync(path.join(root, 'case-'));
      cpSync(seeded, dir, { recursive: true });
      damage(dir);
      const files = ['agent.mdb', 'agent.key', 'agent.crt', 'coordinator-ca.crt'];
      const snapshot = (): string[] =>
        files.map((name) => {
          try {
            return readFileSync(path.join(dir, name), 'hex');
          } catch {
            return 'absent';
          }
        });
      const before = snapshot();
      const result = await agentCli([
        'run',
        '--data-dir',
        dir,
        '--ovsdb-remote',
        `unix:${path.join(dir, 'no-ovsdb.sock')}`,
        '--status-listen',
        '127.0.0.1:0',
        '--log-level',
        'warn',
      ]);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toContain(path.join(dir, file));
      expect(result.stderr).toContain('restore from backup');
      expect(snapshot()).toEqual(before);
    },
    30_000,
  );
});
