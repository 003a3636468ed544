// A renewal replaces the agent's key and certificate with several renames, which cannot be one
// atomic step. Each crash point between them must leave a data dir the agent starts from, with a
// key that belongs to its certificate: the old set whole, or the new set once recoverStaged() ran.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialFiles, newKeyAndCsr } from '../../../agent/src/link/credentials.js';
import { checkAgentDataDir } from '../../../agent/src/state/agent-data-dir.js';
import { ManualClock } from '../../../coordinator/src/clock.js';
import { createLogger } from '../../../coordinator/src/logger.js';
import { CertificateAuthority } from '../../../coordinator/src/pki/certificate-authority.js';
import { readCsr } from '../../../coordinator/src/pki/csr-reader.js';

const FILES = ['coordinator-ca.crt', 'agent.key', 'agent.crt'] as const;

describe('credential files across a crash mid-save', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mooring-creds-crash-'));
  let ca: CertificateAuthority;
  const issue = (): { keyPem: string; certPem: string } => {
    const { keyPem, csrPem } = newKeyAndCsr('dpu-crash');
    return { keyPem, certPem: ca.signCsr(readCsr(csrPem), 'dpu-crash', 30).certPem };
  };
  let oldSet: { keyPem: string; certPem: string };
  let newSet: { keyPem: string; certPem: string };

  beforeAll(() => {
    mkdirSync(path.join(root, 'ca'));
    ca = CertificateAuthority.loadOrCreate(path.join(root, 'ca'), new ManualClock(), createLogger('silent'));
    oldSet = issue();
    newSet = issue();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const matches = (dir: string): boolean => {
    const cert = new X509Certificate(readFileSync(path.join(dir, 'agent.crt'), 'utf8'));
    return cert.checkPrivateKey(createPrivateKey(readFileSync(path.join(dir, 'agent.key'), 'utf8')));
  };

  // The states a crash can leave: staged files written (in save's order), then renames done in order.
  const crashPoints = [
    { name: 'staged CA only', staged: ['coordinator-ca.crt'], renamed: [], expect: 'old' },
    { name: 'staged CA and key', staged: ['coordinator-ca.crt', 'agent.key'], renamed: [], expect: 'old' },
    { name: 'all staged', staged: [...FILES], renamed: [], expect: 'new' },
    { name: 'CA renamed', staged: [...FILES], renamed: ['coordinator-ca.crt'], expect: 'new' },
    { name: 'CA and key renamed', staged: [...FILES], renamed: ['coordinator-ca.crt', 'agent.key'], expect: 'new' },
  ] as const;

  for (const point of crashPoints) {
    it(`recovers a whole set after a crash with ${point.name}`, async () => {
      const dir = path.join(root, point.name.replaceAll(' ', '-'));
      const files = new CredentialFiles(dir);
      mkdirSync(dir);
      await files.save(oldSet.keyPem, oldSet.certPem, ca.certPem);
      const content: Record<string, string> = { 'coordinator-ca.crt': ca.certPem, 'agent.key': newSet.keyPem, 'agent.crt': newSet.certPem };
      for (const name of point.staged) writeFileSync(path.join(dir, `${name}.next`), content[name]!);
      for (const name of point.renamed) renameSync(path.join(dir, `${name}.next`), path.join(dir, name));
      // Without recovery a key renamed ahead of its certificate would not start at all.
      if (point.renamed.includes('agent.key' as never)) expect(() => checkAgentDataDir(dir)).toThrow(/agent\.key: does not belong/);

      expect(files.recoverStaged()).toBe(point.expect === 'new');
      expect(() => checkAgentDataDir(dir)).not.toThrow();
      expect(matches(dir)).toBe(true);
      const creds = await files.load();
      expect(creds.certPem).toBe(point.expect === 'new' ? newSet.certPem : oldSet.certPem);
      // A completed recovery leaves nothing staged; an incomplete save's leftovers are overwritten next time.
      if (point.expect === 'new') for (const name of FILES) expect(existsSync(path.join(dir, `${name}.next`))).toBe(false);
      await files.save(newSet.keyPem, newSet.certPem, ca.certPem);
      for (const name of FILES) expect(existsSync(path.join(dir, `${name}.next`))).toBe(false);
      expect(matches(dir)).toBe(true);
    });
  }

  it('finishes an interrupted first enrollment or leaves a first start', async () => {
    const dir = path.join(root, 'first');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'coordinator-ca.crt.next'), ca.certPem);
    const files = new CredentialFiles(dir);
    expect(files.recoverStaged()).toBe(false);
    expect(files.exists()).toBe(false);
    expect(() => checkAgentDataDir(dir)).not.toThrow(); // still a first start: the agent enrolls again
    await files.save(newSet.keyPem, newSet.certPem, ca.certPem);
    expect(files.exists()).toBe(true);
    expect(matches(dir)).toBe(true);
  });
});
