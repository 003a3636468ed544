// Agent identity over real gRPC and mutual TLS with certificates from the coordinator's own CA:
// only an agent's current certificate is admitted. Enrolling again (with or without a revoke in
// between) retires every earlier certificate and ends a session opened with one; after a renewal
// the replaced certificate works only for the documented overlap (10 minutes, or until the
// renewed one is first used). CSRs with weak, unsupported or tampered keys are refused with
// INVALID_ARGUMENT naming the problem. The coordinator runs in-process with a manual clock so
// the overlap can end without waiting ten minutes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeCredentials, newKeyAndCsr, type Credentials } from '../../agent/src/link/credentials.js';
import { agentClient, unary, type AgentServiceClient } from '../../agent/src/link/grpc-channel.js';
import { ManualClock } from '../../coordinator/src/clock.js';
import type { CoordinatorMessage__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { refusal } from '../harness/call-outcome.js';

const clock = new ManualClock(Date.now());
let f: CoordinatorFixture;
const clients: AgentServiceClient[] = [];

function client(creds?: Credentials): AgentServiceClient {
  const c = agentClient(f.address, f.caPem, creds);
  clients.push(c);
  return c;
}

async function token(name: string): Promise<string> {
  return (await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name, role: 'smartnic', ttlSeconds: 600 })).token;
}

async function enroll(name: string, tokenValue?: string): Promise<Credentials> {
  const { keyPem, csrPem } = newKeyAndCsr(name);
  const res = await unary(client(), 'Enroll', { token: tokenValue ?? (await token(name)), csrPem }, 20_000);
  return describeCredentials(keyPem, res.certificatePem, f.caPem);
}

async function renew(current: Credentials): Promise<Credentials> {
  const { keyPem, csrPem } = newKeyAndCsr(current.agentId);
  const res = await unary(client(current), 'Renew', { csrPem }, 20_000);
  return describeCredentials(keyPem, res.certificatePem, f.caPem);
}

interface OpenSession {
  readonly epoch: number;
  /** Resolves with the status the coordinator ended the session with. */
  readonly ended: Promise<grpc.ServiceError>;
  /** Sends a heartbeat and resolves when the coordinator acknowledges it. */
  heartbeat(seq: number): Promise<void>;
  close(): void;
}

/** Opens a session with `creds` and says hello; resolves on welcome, rejects with the refusal. */
function openSession(creds: Credentials): Promise<OpenSession> {
  const c = client(creds);
  const stream = c.Session(new grpc.Metadata(), {});
  const ended = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
  const acks = new Map<number, () => void>();
  return new Promise((resolve, reject) => {
    void ended.then(reject);
    stream.on('data', (m: CoordinatorMessage__Output) => {
      if (m.heartbeatAck) acks.get(Number(m.heartbeatAck.seq))?.();
      if (!m.welcome) return;
      resolve({
        epoch: Number(m.welcome.epoch),
        ended,
        heartbeat: (seq) =>
          new Promise<void>((ack) => {
            acks.set(seq, ack);
            stream.write({ heartbeat: { seq } });
          }),
        close: () => stream.cancel(),
      });
    });
    stream.write({ hello: { agentId: creds.agentId, version: 'test', role: 'smartnic', inventory: null, report: null } });
  });
}

beforeAll(async () => {
  f = await startCoordinator({ clock });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await f?.close();
});

describe('only the current certificate is admitted', () => {
  it('enrolling again retires the earlier certificate and ends its session', async () => {
    const first = await enroll('nic-a');
    const s1 = await openSession(first);
    expect(s1.epoch).toBe(1);

    const second = await enroll('nic-a');
    expect(second.certPem).not.toBe(first.certPem);
    const ended = await s1.ended;
    expect(ended.code).toBe(grpc.status.UNAVAILABLE);
    expect(ended.details).toBe('agent nic-a enrolled again; sessions on its earlier certificates end');

    const refused = await refusal(openSession(first));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(refused.details).toMatch(
      /^the client certificate \(serial [0-9a-f]+\) is no longer agent nic-a's certificate: a renewal or a new enrollment replaced it$/,
    );
    // Renew with the retired certificate is refused the same way (it would otherwise mint a fresh one).
    const renewRefused = await refusal(renew(first));
    expect(renewRefused.code).toBe(grpc.status.UNAUTHENTICATED);

    const s2 = await openSession(second);
    expect(s2.epoch).toBe(2);
    s2.close();
  });

  it('a revoke and a re-enrollment never revive a revoked certificate', async () => {
    const first = await enroll('nic-b');
    const s1 = await openSession(first);
    await f.admin.call('AgentAdminService', 'RevokeAgent', { name: 'nic-b' });
    expect((await s1.ended).details).toBe('agent nic-b was revoked by admin');
    expect((await refusal(openSession(first))).code).toBe(grpc.status.PERMISSION_DENIED);

    const second = await enroll('nic-b');
    const refused = await refusal(openSession(first));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(refused.details).toContain("is no longer agent nic-b's certificate");
    const s2 = await openSession(second);
    expect(s2.epoch).toBe(2);
    expect(await f.admin.call('AgentAdminService', 'GetAgent', { name: 'nic-b' })).toMatchObject({
      revoked: false,
      state: 'ONLINE',
      epoch: 2,
    });
    s2.close();
  });
});

describe('CSR checks', () => {
  async function enrollWith(name: string, csrPem: string): Promise<grpc.ServiceError> {
    return refusal(unary(client(), 'Enroll', { token: await token(name), csrPem }, 20_000));
  }

  function forgeCsr(name: string, keys: forge.pki.rsa.KeyPair): forge.pki.CertificateSigningRequest {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = keys.publicKey;
    csr.setSubject([{ name: 'commonName', value: name }]);
    csr.sign(keys.privateKey, forge.md.sha256.create());
    return csr;
  }

  it('refuses an RSA key under 2048 bits, naming its size, and leaves the token unused', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const csrPem = forge.pki.certificationRequestToPem(
      forgeCsr('nic-e', { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) }),
    );
    const t = await token('nic-e');
    const refused = await refusal(unary(client(), 'Enroll', { token: t, csrPem }, 20_000));
    expect(refused.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(refused.details).toBe('csr_pem: RSA key of 1024 bits; keys of 2048 to 8192 bits are accepted');
    await expect(f.admin.call('AgentAdminService', 'GetAgent', { name: 'nic-e' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    // The refusal rolled nothing forward: the same token enrolls with a good key.
    await enroll('nic-e', t);
  });

  it('refuses a CSR whose signature was tampered with as INVALID_ARGUMENT', async () => {
    const { csrPem } = newKeyAndCsr('nic-f');
    const der = Buffer.from(forge.pem.decode(csrPem)[0]!.body, 'binary');
    der[der.length - 20]! ^= 0x01; // inside the signature BIT STRING, the last element
    const tampered = forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der.toString('binary') });
    const refused = await enrollWith('nic-f', tampered);
    expect(refused.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(refused.details).toBe('csr_pem: the signature does not verify (the CSR was altered, or not signed with its own key)');
  });

  it('refuses keys of a type it does not support, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-csr-'));
    try {
      const keyFile = join(dir, 'ec.key');
      execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile]);
      const csrPem = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=nic-g', '-sha256'], { encoding: 'utf8' });
      const refused = await enrollWith('nic-g', csrPem);
      expect(refused.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(refused.details).toBe('csr_pem: EC keys are not supported; use an RSA key of 2048 to 8192 bits');
      expect(readFileSync(keyFile, 'utf8')).toContain('EC PRIVATE KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('renewal overlap', () => {
  it('ends the overlap as soon as the renewed certificate is used', async () => {
    const first = await enroll('nic-d');
    const second = await renew(first);
    const s1 = await openSession(second);
    const refused = await refusal(openSession(first));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    await s1.heartbeat(1); // the session on the renewed certificate is untouched
    s1.close();
  });

  // Last in the file: it moves the coordinator's clock 11 minutes ahead, and certificates issued
  // after that would not yet be valid for TLS, which uses the real time.
  it('keeps the open session across a renewal and admits the old certificate until the overlap ends', async () => {
    const first = await enroll('nic-c');
    const s1 = await openSession(first);
    const second = await renew(first);
    // The session open on the old certificate carries over: still answered, same epoch.
    await s1.heartbeat(1);
    expect((await f.admin.call('AgentAdminService', 'GetAgent', { name: 'nic-c' })).epoch).toBe(1);

    // Within the overlap the old certificate still opens a session (an agent that crashed before
    // storing the renewed files comes back with it).
    clock.advance(9 * 60_000);
    const s2 = await openSession(first);
    expect(s2.epoch).toBe(2);
    await s1.ended; // superseded by s2

    // Past the overlap: the session opened on the old certificate ends, and the old one is refused.
    clock.advance(2 * 60_000);
    const ended = await s2.ended;
    expect(ended.code).toBe(grpc.status.UNAVAILABLE);
    expect(ended.details).toMatch(
      /^the session's certificate \(serial [0-9a-f]+\) was replaced by a renewal and its overlap ended at \d{4}-/,
    );
    const refused = await refusal(openSession(first));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(refused.details).toMatch(/a renewal replaced it and its overlap ended at \d{4}-/);
    expect((await refusal(renew(first))).code).toBe(grpc.status.UNAUTHENTICATED);

    const s3 = await openSession(second);
    expect(s3.epoch).toBe(3);
    s3.close();
  });
});
