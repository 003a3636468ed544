// What a caller without credentials can cost the coordinator, over real gRPC and TLS. An
// enrollment's token is checked (format, id, secret, use, expiry) before its CSR is looked at;
// every method's request is capped in size before it is decoded; at most 64 unauthenticated calls
// (enrollments, and calls whose request has not arrived yet) are in progress at once, and a call
// whose request does not arrive within its bound (10 s; 4 s here, as the test waits it out) is
// ended. A coordinator process flooded with 4 MB enrollments keeps answering an admin and its
// memory stays bounded.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyAndCsr } from '../../agent/src/link/credentials.js';
import { agentClient, unary, type AgentServiceClient } from '../../agent/src/link/grpc-channel.js';
import { DEFAULT_CALL_GUARD } from '../../coordinator/src/api/call-guard.js';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { loadMooringProto } from '../../proto/loader.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { refusal } from '../harness/call-outcome.js';

/** The request bound of the in-process coordinator: the held calls below must outlast the checks made meanwhile. */
const REQUEST_WAIT_MS = 4000;
const MALFORMED_TOKEN = 'not-a-token';
const UNKNOWN_TOKEN = `mre_0123456789abcdef_${'x'.repeat(43)}`;
const FOUR_MB_CSR = `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(4_000_000)}\n-----END CERTIFICATE REQUEST-----\n`;
const TWELVE_KB_CSR = `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(12_288 - 71)}\n-----END CERTIFICATE REQUEST-----\n`;

describe('unauthenticated cost (in-process coordinator)', () => {
  let f: CoordinatorFixture;
  let agents: AgentServiceClient;
  const enroll = (token: string, csrPem: string): Promise<unknown> => unary(agents, 'Enroll', { token, csrPem }, 30_000);

  beforeAll(async () => {
    f = await startCoordinator({ callGuard: { ...DEFAULT_CALL_GUARD, requestWaitMs: REQUEST_WAIT_MS } });
    agents = agentClient(f.address, f.caPem);
  });
  afterAll(async () => {
    agents?.close();
    await f?.close();
  });

  it('refuses a 4 MB enrollment by its size, before decoding it', async () => {
    const refused = await refusal(enroll(MALFORMED_TOKEN, FOUR_MB_CSR));
    expect(refused.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(
      /^request too large: \/mooring\.v1\.AgentService\/Enroll accepts at most 16384 bytes per message, this one has 4000\d{3}$/,
    );
  });

  it('checks the token before the CSR, and caps the CSR at 8 kB', async () => {
    expect(TWELVE_KB_CSR.length).toBe(12_288);
    // A CSR that cannot parse, with a bad token: the answer is about the token, so the CSR was not read.
    const malformed = await refusal(enroll(MALFORMED_TOKEN, TWELVE_KB_CSR));
    expect(malformed.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(malformed.details).toBe(
      'token: malformed enrollment token (expected mre_<16 hex digits>_<43 base64url characters>, got 11 characters)',
    );
    const unknown = await refusal(enroll(UNKNOWN_TOKEN, TWELVE_KB_CSR));
    expect(unknown.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(unknown.details).toBe('token: unknown enrollment token');
    // A good token: now the CSR's size is the problem, and the token is not used up by the refusal.
    const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', {
      name: 'nic-cost',
      role: 'smartnic',
      ttlSeconds: 600,
    });
    const tooBig = await refusal(enroll(token, TWELVE_KB_CSR));
    expect(tooBig.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(tooBig.details).toBe('csr_pem: 12288 bytes; at most 8192 accepted');
    await enroll(token, newKeyAndCsr('nic-cost').csrPem);
    expect((await f.admin.call('AgentAdminService', 'GetAgent', { name: 'nic-cost' })).id).toBe('nic-cost');
  });

  it('refuses an oversize request on an ordinary method with a status naming the limit', async () => {
    const refused = await refusal(f.admin.call('TenancyService', 'CreateUser', { name: 'a'.repeat(100_000), role: 'ROLE_MEMBER' }));
    expect(refused.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(
      /^request too large: \/mooring\.v1\.TenancyService\/CreateUser accepts at most 65536 bytes per message, this one has 1000\d\d$/,
    );
    expect((await f.admin.call('TenancyService', 'ListUsers', {})).users.map((u) => u.name)).not.toContain('a'.repeat(100_000));
  });

  it('bounds unauthenticated calls in progress, never counts a valid token, and ends calls whose request never comes', async () => {
    // Calls whose request never completes: a client stream on a unary method, never half-closed.
    const raw = new grpc.Client(f.address, grpc.credentials.createSsl(Buffer.from(f.caPem)));
    const held: { call: grpc.ClientWritableStream<Buffer>; status: Promise<grpc.ServiceError> }[] = [];
    for (let i = 0; i < 64; i++) {
      let settle: (e: grpc.ServiceError) => void = () => undefined;
      const status = new Promise<grpc.ServiceError>((resolve) => (settle = resolve));
      const call = raw.makeClientStreamRequest<Buffer, Buffer>(
        '/mooring.v1.TenancyService/WhoAmI',
        (b) => b,
        (b) => b,
        new grpc.Metadata(),
        {},
        (error) => settle(error!),
      );
      // The first sends its whole (empty) request but never half-closes, so its handler never runs.
      if (i === 0) call.write(Buffer.alloc(0));
      held.push({ call, status });
    }
    // A call without credentials that would otherwise be answered UNAUTHENTICATED by its handler.
    const anonymous = (): Promise<grpc.ServiceError> =>
      new Promise((resolve) =>
        raw.makeUnaryRequest<Buffer, Buffer>(
          '/mooring.v1.TenancyService/WhoAmI',
          (b) => b,
          (b) => b,
          Buffer.alloc(0),
          new grpc.Metadata(),
          (error) => resolve(error!),
        ),
      );
    try {
      // The 65th caller without credentials is refused at once; nothing waits in a queue.
      for (let i = 0; (await anonymous()).code !== grpc.status.RESOURCE_EXHAUSTED; i++)
        if (i > 50) throw new Error('the 64 held calls never filled the bound');
      const refused = await anonymous();
      expect(refused.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(refused.details).toBe(
        'too many unauthenticated calls in progress (at most 64 calls whose request has not arrived and been authenticated yet); ' +
          'retry later',
      );
      // A caller with a valid token is not counted: the flood never locks the admin out.
      expect((await f.admin.call('TenancyService', 'WhoAmI', {})).name).toBe('admin');
      // A place freed by a cancelled call is taken by the next caller, whose handler now answers.
      held.pop()!.call.cancel();
      await new Promise((r) => setTimeout(r, 200));
      expect((await anonymous()).code).toBe(grpc.status.UNAUTHENTICATED);
      // The rest are ended by the coordinator when their request does not arrive in time.
      const ended = await Promise.all(held.map((h) => h.status));
      expect(new Set(ended.map((e) => e.code))).toEqual(new Set([grpc.status.DEADLINE_EXCEEDED]));
      expect(ended[0]!.details).toBe(
        `the request did not arrive (message and half-close) within ${REQUEST_WAIT_MS} ms of the call's start`,
      );
      expect((await anonymous()).code).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      for (const h of held) h.call.cancel();
      raw.close();
    }
  });
});

describe('a flood of 4 MB enrollments (coordinator process)', () => {
  let dir: string;
  let coord: CoordinatorProcess;
  let admin: CoordinatorClient;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mooring-cost-'));
    coord = await startCoordinatorProcess(path.join(dir, 'coord'), { logLevel: 'error' });
    admin = new CoordinatorClient({ address: coord.address, caPem: coord.caPem, token: coord.adminToken, ownConnection: true });
  });
  afterAll(async () => {
    admin?.close();
    await coord?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  /** The coordinator's peak resident memory so far (Linux /proc VmHWM), in MiB. */
  const peakRssMib = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${coord.pid}/status`, 'utf8'))![1]) / 1024;

  it('keeps answering an admin while forty clients send 4 MB enrollments, and its memory stays bounded', async () => {
    // Forty clients, each on a connection of its own.
    const AgentService = loadMooringProto().client('AgentService');
    const flooders = Array.from(
      { length: 40 },
      () => new AgentService(coord.address, grpc.credentials.createSsl(Buffer.from(coord.caPem)), { 'grpc.use_local_subchannel_pool': 1 }),
    );
    try {
      const codes = new Map<number, number>();
      const flood = flooders.map(async (client) => {
        for (let round = 0; round < 3; round++) {
          const e = await refusal(unary(client, 'Enroll', { token: MALFORMED_TOKEN, csrPem: FOUR_MB_CSR }, 60_000));
          codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        }
      });
      // The admin is answered while the flood runs (each call has 10 s).
      const answers: string[] = [];
      let flooding = true;
      const adminCalls = (async () => {
        while (flooding) answers.push((await admin.call('TenancyService', 'WhoAmI', {}, 10_000)).name);
      })();
      await Promise.all(flood);
      flooding = false;
      await adminCalls;
      expect(answers.length).toBeGreaterThan(0);
      expect(new Set(answers)).toEqual(new Set(['admin']));
      // Every flood call was refused for its size (or, past the bound, for the bound), none decoded.
      expect([...codes.keys()]).toEqual([grpc.status.RESOURCE_EXHAUSTED]);
      expect(codes.get(grpc.status.RESOURCE_EXHAUSTED)).toBe(120);
      expect(peakRssMib()).toBeLessThan(600);
    } finally {
      for (const c of flooders) c.close();
    }
  });
});
