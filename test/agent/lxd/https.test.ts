// Per-host credentials over LXD's HTTPS API, through the `mooring-agent lxd` CLI (built binary) and
// the agent's LXD layer: a generated certificate is refused until trusted (token or trust password),
// then accepted, events included; imported pairs are checked (an encrypted key is refused); the
// server certificate is pinned, so an impostor never receives a request.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCli } from '../../harness/cli.js';
import { LxdCredentialFiles } from '../../../agent/src/lxd/client-credentials.js';
import { LxdApiError, LxdUnavailableError } from '../../../agent/src/lxd/errors.js';
import { LxdClient } from '../../../agent/src/lxd/rest-client.js';
import { LxdFixture, names, waitForReport } from './lxd-fixture.js';

let f: LxdFixture;
let dir: string;
const flags = (dataDir: string) => ['--data-dir', dataDir, '--lxd-url', f.lxd.httpsUrl];
const filesIn = (dataDir: string) =>
  new LxdCredentialFiles({
    certFile: path.join(dataDir, 'lxd', 'client.crt'),
    keyFile: path.join(dataDir, 'lxd', 'client.key'),
    serverCertFile: path.join(dataDir, 'lxd', 'server.crt'),
  });
const env = () => ({ ...process.env, LXD_DIR: '' });

async function auth(dataDir: string): Promise<string> {
  const r = await agentCli(['lxd', 'check', ...flags(dataDir)], env());
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { auth: string }).auth;
}

async function newToken(name: string): Promise<string> {
  return (await f.lxd.lxc('config', 'trust', 'add', '--name', name, '--quiet')).split('\n').pop()!.trim();
}

beforeAll(async () => {
  f = await LxdFixture.start({ https: true });
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-creds-'));
});

afterAll(async () => {
  await f?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('LXD over HTTPS with per-host credentials', () => {
  it('generates a key (0600) and certificate, is refused while untrusted and accepted after a trust token', async () => {
    const data = path.join(dir, 'token');
    const init = await agentCli(['lxd', 'init-cert', ...flags(data), '--common-name', 'mooring@vmhost1'], env());
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/-----BEGIN CERTIFICATE-----[\s\S]+fingerprint: [0-9a-f]{64}/);
    expect((await stat(path.join(data, 'lxd', 'client.key'))).mode & 0o777).toBe(0o600);
    expect(init.stdout).not.toMatch(/PRIVATE KEY/);
    const again = await agentCli(['lxd', 'init-cert', ...flags(data)], env());
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/exists already; pass --force/);

    // Pin the server by hand so the untrusted client can talk to it at all.
    await filesIn(data).saveServerCertificate(await f.lxd.serverCertificate());
    expect(await auth(data)).toBe('untrusted');
    const client = new LxdClient(await filesIn(data).endpoint(f.lxd.httpsUrl));
    const refused = await client.get('/1.0/instances').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LxdApiError);
    expect((refused as LxdApiError).status).toBe(403);
    await client.close();

    const tokenFile = path.join(dir, 'token.txt');
    await writeFile(tokenFile, `${await newToken('vmhost1')}\n`, { mode: 0o600 });
    const trust = await agentCli(['lxd', 'trust', ...flags(data), '--trust-token-file', tokenFile], env());
    expect(trust.code, trust.stderr).toBe(0);
    expect(trust.stdout).toMatch(/^trusted by https:\/\/127\.0\.0\.1:\d+: client [0-9a-f]{64}/);
    expect(trust.stdout).toMatch(/\ncertificate unrestricted: LXD lets this certificate manage every project on the host/);
    expect(await auth(data)).toBe('trusted');
    const check = await agentCli(['lxd', 'check', ...flags(data)], env());
    expect(JSON.parse(check.stdout)).toMatchObject({ auth: 'trusted', restrictedTo: null });
    expect(await f.lxd.lxc('config', 'trust', 'list', '--format', 'csv')).toContain('vmhost1');
  });

  it('runs the agent LXD side over HTTPS: commands and live events', async () => {
    const data = path.join(dir, 'token');
    await f.restartAgent(await filesIn(data).endpoint(f.lxd.httpsUrl));
    const r = await f.command({ kind: 'lxdAssignProject', lxdAssignProject: { project: 'secure', create: true } });
    expect(r.ok, r.error).toBe(true);
    expect(r.lxd?.report?.endpoint).toBe(f.lxd.httpsUrl);
    await f.lxd.lxc('init', 'busybox', 'over-https', '--project', 'secure');
    await waitForReport(f.host, (rep) => names(rep).includes('over-https'), 30_000, 'the instance through the HTTPS event stream');
  });

  it('trusts with the trust password when the operator confirms the server fingerprint', async () => {
    const data = path.join(dir, 'password');
    expect((await agentCli(['lxd', 'init-cert', ...flags(data)], env())).code).toBe(0);
    await f.lxd.lxc('config', 'set', 'core.trust_password', 'pw-for-test');
    const pwFile = path.join(dir, 'pw.txt');
    await writeFile(pwFile, 'pw-for-test\n', { mode: 0o600 });
    const unconfirmed = await agentCli(['lxd', 'trust', ...flags(data), '--trust-password-file', pwFile], env());
    expect(unconfirmed.code).not.toBe(0);
    expect(unconfirmed.stderr).toMatch(/confirm it with --server-fingerprint/);
    const wrong = await agentCli(
      ['lxd', 'trust', ...flags(data), '--trust-password-file', pwFile, '--server-fingerprint', 'ab'.repeat(32)],
      env(),
    );
    expect(wrong.stderr).toMatch(/not the expected a?b?.*refusing to send credentials/);
    const fp = JSON.parse(await f.lxd.lxc('query', '/1.0')) as { environment: { certificate_fingerprint: string } };
    const ok = await agentCli(
      ['lxd', 'trust', ...flags(data), '--trust-password-file', pwFile, '--server-fingerprint', fp.environment.certificate_fingerprint],
      env(),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(await auth(data)).toBe('trusted');
    expect(ok.stdout + ok.stderr).not.toContain('pw-for-test');
  });

  it('imports an existing key and certificate, refusing an encrypted key and a pair that does not match', async () => {
    const data = path.join(dir, 'import');
    const gen = (name: string, extra: string[] = []) => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-keyout',
          path.join(dir, `${name}.key`),
          '-out',
          path.join(dir, `${name}.crt`),
          '-days',
          '30',
          '-subj',
          `/CN=${name}`,
          ...extra,
        ],
        { stdio: 'ignore' },
      );
      return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
    };
    const enc = gen('enc', ['-passout', 'pass:secret']);
    const encrypted = await agentCli(['lxd', 'import-cert', ...flags(data), '--cert-file', enc.cert, '--key-file', enc.key], env());
    expect(encrypted.code).not.toBe(0);
    expect(encrypted.stderr).toMatch(/protected by a passphrase/);
    const plain = gen('plain', ['-noenc']);
    const mismatch = await agentCli(['lxd', 'import-cert', ...flags(data), '--cert-file', enc.cert, '--key-file', plain.key], env());
    expect(mismatch.stderr).toMatch(/does not belong to the private key/);
    const ok = await agentCli(['lxd', 'import-cert', ...flags(data), '--cert-file', plain.cert, '--key-file', plain.key], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect((await stat(path.join(data, 'lxd', 'client.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(data, 'lxd', 'client.crt'), 'utf8')).toBe(await readFile(plain.cert, 'utf8'));
    const tokenFile = path.join(dir, 'token2.txt');
    await writeFile(tokenFile, await newToken('imported'), { mode: 0o600 });
    expect((await agentCli(['lxd', 'trust', ...flags(data), '--trust-token-file', tokenFile], env())).code).toBe(0);
    expect(await auth(data)).toBe('trusted');
  });

  it('refuses a server whose certificate is not the pinned one before sending any request', async () => {
    const data = path.join(dir, 'token');
    const other = path.join(dir, 'other-server.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-noenc',
        '-keyout',
        path.join(dir, 'other.key'),
        '-out',
        other,
        '-days',
        '30',
        '-subj',
        '/CN=impostor',
      ],
      { stdio: 'ignore' },
    );
    const endpoint = { ...(await filesIn(data).endpoint(f.lxd.httpsUrl)), serverCertPem: await readFile(other, 'utf8') };
    const client = new LxdClient(endpoint);
    const err = await client.get('/1.0').catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(LxdUnavailableError);
    expect((err as Error).message).toMatch(/is not the pinned one/);
  });
});
