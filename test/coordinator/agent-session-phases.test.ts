// The coordinator's side of an agent session over real gRPC with real certificates: messages the
// agent sends right behind its hello, while the session is still being opened, are handed on once
// it is open (the agent does not wait for the welcome before reporting); anything but a hello first
// still ends the session.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeCredentials, newKeyAndCsr, type Credentials } from '../../agent/src/link/credentials.js';
import { agentClient, unary, type AgentServiceClient } from '../../agent/src/link/grpc-channel.js';
import type { AgentMessage, CoordinatorMessage__Output as CoordinatorMessage } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

let f: CoordinatorFixture;
const clients: AgentServiceClient[] = [];

function client(creds?: Credentials): AgentServiceClient {
  const c = agentClient(f.address, f.caPem, creds);
  clients.push(c);
  return c;
}

async function enroll(name: string): Promise<Credentials> {
  const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name, role: 'smartnic', ttlSeconds: 600 });
  const { keyPem, csrPem } = newKeyAndCsr(name);
  const res = await unary(client(), 'Enroll', { token, csrPem }, 20_000);
  return describeCredentials(keyPem, res.certificatePem, f.caPem);
}

type Stream = grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage>;

function session(creds: Credentials): { stream: Stream; received: CoordinatorMessage[]; ended: Promise<grpc.ServiceError> } {
  const stream = client(creds).Session(new grpc.Metadata(), {}) as Stream;
  const received: CoordinatorMessage[] = [];
  stream.on('data', (m: CoordinatorMessage) => received.push(m));
  const ended = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
  return { stream, received, ended };
}

/** Resolves with the first message that `pick` accepts; rejects if the session ends first. */
function until<T>(s: ReturnType<typeof session>, pick: (m: CoordinatorMessage) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (m: CoordinatorMessage): void => {
      const v = pick(m);
      if (v !== undefined) resolve(v);
    };
    s.received.forEach(check);
    s.stream.on('data', check);
    void s.ended.then((err) => reject(new Error(`session ended: ${err.code} ${err.details}`)));
  });
}

beforeAll(async () => {
  f = await startCoordinator();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await f?.close();
});

describe('agent session phases', () => {
  it('answers a heartbeat sent right behind the hello, before the welcome, once the session is open', async () => {
    const creds = await enroll('nic-early');
    const s = session(creds);
    s.stream.write({ hello: { agentId: creds.agentId, version: 'test', role: 'smartnic', inventory: null, report: null } });
    s.stream.write({ heartbeat: { seq: 7 } });
    const epoch = await until(s, (m) => m.welcome?.epoch);
    expect(Number(epoch)).toBeGreaterThan(0);
    expect(Number(await until(s, (m) => m.heartbeatAck?.seq))).toBe(7);
    // The welcome came first: nothing was answered before the session was open.
    expect(s.received.findIndex((m) => m.welcome)).toBeLessThan(s.received.findIndex((m) => m.heartbeatAck));
    s.stream.cancel();
  });

  it('ends a session whose first message is not a hello, saying so', async () => {
    const creds = await enroll('nic-rude');
    const s = session(creds);
    s.stream.write({ heartbeat: { seq: 1 } });
    const err = await s.ended;
    expect(err.code).toBe(grpc.status.UNAVAILABLE);
    expect(err.details).toBe('the first message of a session must be hello');
    expect(s.received.some((m) => m.welcome)).toBe(false);
  });

  it('refuses a hello naming another agent than the certificate, and opens no session', async () => {
    const creds = await enroll('nic-other');
    const s = session(creds);
    s.stream.write({ hello: { agentId: 'nic-someone-else', version: 'test', role: 'smartnic', inventory: null, report: null } });
    s.stream.write({ heartbeat: { seq: 1 } });
    const err = await s.ended;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/^hello\.agent_id: "nic-someone-else" does not match the certificate's agent id "nic-other"/);
    expect(s.received).toEqual([]);
  });
});
