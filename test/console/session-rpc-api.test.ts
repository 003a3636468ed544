// The web console's JSON API against a real coordinator (LMDB in a temp dir, its own CA, gRPC and
// the console's HTTPS listener on free ports), called over HTTPS with the coordinator's CA: sign-in
// and its cookie, the CSRF check, calls through the gRPC handlers (the same answers, the same
// visibility and role rules), and the errors of bad requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { ConsoleClient } from './console-client.js';

let f: CoordinatorFixture;
const clients: ConsoleClient[] = [];

/** A token for `user` (made by the admin over gRPC), as an operator would paste it. */
async function tokenFor(user: string): Promise<{ secret: string; id: string }> {
  const made = await f.admin.call('TenancyService', 'CreateToken', { user, description: 'console test' });
  return { secret: made.secret, id: made.token?.id ?? '' };
}

function client(): ConsoleClient {
  const url = f.coordinator.consoleUrl;
  if (!url) throw new Error('the console is off');
  const c = new ConsoleClient(url, f.caPem);
  clients.push(c);
  return c;
}

async function signedIn(user: string): Promise<ConsoleClient> {
  const c = client();
  const reply = await c.signIn((await tokenFor(user)).secret);
  expect(reply.status).toBe(200);
  return c;
}

beforeAll(async () => {
  f = await startCoordinator();
  await f.user('alice', 'member');
  await f.user('bob', 'member');
  await f.user('olga', 'observer');
  for (const name of ['c-free', 'c-alice', 'c-bob', 'c-spare']) await f.machine(name);
  const alice = f.client((await tokenFor('alice')).secret);
  const bob = f.client((await tokenFor('bob')).secret);
  await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'c-alice' } });
  await bob.call('MachineService', 'AllocateMachine', { constraints: { name: 'c-bob' } });
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await f?.close();
});

describe('sign-in', () => {
  it('exchanges a token for an HttpOnly, Secure, SameSite=Strict cookie with an expiry, and never sends the token back', async () => {
    const c = client();
    const { secret } = await tokenFor('alice');
    const reply = await c.signIn(secret);
    expect(reply.status).toBe(200);
    expect(reply.body['user']).toMatchObject({ name: 'alice', role: 'ROLE_MEMBER', groups: [] });
    expect(String(reply.body['csrfToken'])).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const expiresAt = Date.parse(String(reply.body['expiresAt']));
    expect(expiresAt).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
    const cookie = reply.headers.get('set-cookie') ?? '';
    const [pair, ...attributes] = cookie.split(/;\s*/);
    expect(pair).toMatch(/^mooring_session=[A-Za-z0-9_-]{40,}$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']));
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice('Max-Age='.length));
    expect(maxAge).toBeGreaterThan(3600);
    // The cookie is a random session id: the token is in neither the cookie nor the body.
    expect(cookie).not.toContain(secret);
    expect(JSON.stringify(reply.body)).not.toContain(secret);
    expect(reply.headers.get('cache-control')).toBe('no-store');

    const again = await c.request('GET', '/api/session');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ user: { name: 'alice' }, csrfToken: reply.body['csrfToken'] });
  });

  it('answers a wrong token 401 UNAUTHENTICATED and sets no cookie; no cookie is 401 too', async () => {
    const c = client();
    const reply = await c.signIn('mr_not-a-real-token');
    expect(reply.status).toBe(401);
    expect(reply.body['code']).toBe('UNAUTHENTICATED');
    expect(String(reply.body['message'])).not.toBe('');
    expect(reply.headers.get('set-cookie')).toBeNull();
    const missing = await c.request('POST', '/api/session', {}, { csrf: false });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('token') });
    const none = await c.request('GET', '/api/session');
    expect(none.status).toBe(401);
    expect((await c.rpc('MachineService', 'ListMachines')).status).toBe(401);
  });

  it('signs out with DELETE /api/session: the cookie no longer admits', async () => {
    const c = await signedIn('bob');
    const out = await c.request('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect((await c.request('GET', '/api/session')).status).toBe(401);
  });
});

describe('/api/rpc through the gRPC handlers', () => {
  it('gives a member the same ListMachines as gRPC: its machines and free ones, in proto3 JSON', async () => {
    const c = await signedIn('alice');
    const reply = await c.rpc('MachineService', 'ListMachines', {});
    expect(reply.status).toBe(200);
    const machines = reply.body['machines'] as Record<string, unknown>[];
    const grpc = await f.client((await tokenFor('alice')).secret).call('MachineService', 'ListMachines', {});
    expect(machines.map((m) => m['hostname'])).toEqual(grpc.machines.map((m) => m.hostname));
    expect(machines.map((m) => m['hostname']).sort()).toEqual(['c-alice', 'c-free', 'c-spare']);
    // snake_case names, enums by name, every field present.
    const mine = machines.find((m) => m['hostname'] === 'c-alice')!;
    const viaGrpc = grpc.machines.find((m) => m.hostname === 'c-alice')!;
    expect(mine['id']).toBe(viaGrpc.id);
    expect(mine['owner']).toBe('alice');
    expect(mine['status']).toBe(viaGrpc.status);
    // uint64 as a decimal string, as proto3 JSON writes 64-bit integers.
    expect(mine['memory_mib']).toBe(String(viaGrpc.memoryMib));
    expect(mine).not.toHaveProperty('memoryMib');
    expect(reply.body['next_page_token']).toBe('');
  });

  it('accepts lowerCamelCase field names and enum names in the request', async () => {
    const c = await signedIn('olga');
    const byCamel = await c.rpc('MachineService', 'ListMachines', { pageSize: 2 });
    const bySnake = await c.rpc('MachineService', 'ListMachines', { page_size: 2 });
    expect(byCamel.status).toBe(200);
    expect((byCamel.body['machines'] as unknown[]).length).toBe(2);
    expect(byCamel.body).toEqual(bySnake.body);
    const allocated = await c.rpc('MachineService', 'ListMachines', { status: 'MACHINE_STATUS_ALLOCATED' });
    expect(allocated.status).toBe(200);
    expect((allocated.body['machines'] as { hostname: string }[]).map((m) => m.hostname).sort()).toEqual(['c-alice', 'c-bob']);
  });

  it("keeps the API's visibility: another member's machine is NOT_FOUND (404) with the API's message", async () => {
    const c = await signedIn('alice');
    const reply = await c.rpc('MachineService', 'GetMachine', { machine: 'c-bob' });
    expect(reply.status).toBe(404);
    expect(reply.body['code']).toBe('NOT_FOUND');
    let grpcMessage = '';
    await f
      .client((await tokenFor('alice')).secret)
      .call('MachineService', 'GetMachine', { machine: 'c-bob' })
      .catch((error: { details: string }) => (grpcMessage = error.details));
    expect(reply.body['message']).toBe(grpcMessage);
  });

  it("keeps the API's roles: an observer sees every machine and changes none; an admin reserves", async () => {
    const olga = await signedIn('olga');
    const all = await olga.rpc('MachineService', 'ListMachines', {});
    expect((all.body['machines'] as { hostname: string }[]).map((m) => m.hostname).sort()).toEqual([
      'c-alice',
      'c-bob',
      'c-free',
      'c-spare',
    ]);
    const refused = await olga.rpc('MachineService', 'ReserveMachine', { machine: 'c-spare', holder: { user: 'bob' } });
    expect(refused.status).toBe(403);
    expect(refused.body['code']).toBe('PERMISSION_DENIED');
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'c-spare' })).reservedFor).toBeFalsy();

    const admin = client();
    expect((await admin.signIn(f.adminToken)).status).toBe(200);
    const reserved = await admin.rpc('MachineService', 'ReserveMachine', { machine: 'c-spare', holder: { user: 'bob' } });
    expect(reserved.status).toBe(200);
    expect(reserved.body['reserved_for']).toEqual({ user: 'bob' });
    // And the member's list changes accordingly: c-spare is bob's to take now, not alice's.
    const alice = await signedIn('alice');
    const list = await alice.rpc('MachineService', 'ListMachines', {});
    expect((list.body['machines'] as { hostname: string }[]).map((m) => m.hostname).sort()).toEqual(['c-alice', 'c-free']);
    await admin.rpc('MachineService', 'UnreserveMachine', { machine: 'c-spare' });
  });

  it('refuses a write without the CSRF token (403), and nothing changes', async () => {
    const c = await signedIn('bob');
    const before = await f.admin.call('MachineService', 'GetMachine', { machine: 'c-free' });
    const refused = await c.rpc('MachineService', 'AllocateMachine', { constraints: { name: 'c-free' } }, { csrf: false });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 'PERMISSION_DENIED', message: 'missing or wrong CSRF token' });
    const wrong = await c.request('POST', '/api/rpc/MachineService/AllocateMachine', { constraints: { name: 'c-free' } }, { csrf: false });
    expect(wrong.status).toBe(403);
    const after = await f.admin.call('MachineService', 'GetMachine', { machine: 'c-free' });
    expect(after.status).toBe(before.status);
    expect(after.owner).toBe('');
    // Sign-out is a write too.
    expect((await c.request('DELETE', '/api/session', undefined, { csrf: false })).status).toBe(403);
    expect((await c.request('GET', '/api/session')).status).toBe(200);
  });

  it('answers bad requests with a clear error naming what was wrong', async () => {
    const c = await signedIn('alice');
    const malformed = await c.request('POST', '/api/rpc/MachineService/ListMachines', undefined, { rawBody: '{"page_size": 2' });
    expect(malformed.status).toBe(400);
    expect(malformed.body['code']).toBe('INVALID_ARGUMENT');
    expect(String(malformed.body['message'])).toMatch(/^malformed JSON body: /);

    const unknownMethod = await c.rpc('MachineService', 'StealMachine', {});
    expect(unknownMethod.status).toBe(404);
    expect(unknownMethod.body).toMatchObject({ code: 'UNIMPLEMENTED', message: expect.stringContaining('MachineService/StealMachine') });
    const agentLink = await c.rpc('AgentService', 'Enroll', {});
    expect(agentLink.status).toBe(404);

    const unknownField = await c.rpc('MachineService', 'ListMachines', { page_sise: 2 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body['message']).toContain('page_sise: unknown field');
    const wrongType = await c.rpc('MachineService', 'ListMachines', { page_size: 'two' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body['message']).toContain('page_size: expected an integer');
    const badEnum = await c.rpc('MachineService', 'ListMachines', { status: 'MACHINE_STATUS_SLEEPY' });
    expect(badEnum.status).toBe(400);
    expect(badEnum.body['message']).toContain('MACHINE_STATUS_SLEEPY');

    const oversized = await c.rpc('MachineService', 'AnnotateMachine', { machine: 'c-alice', set: { note: 'x'.repeat(2 * 1024 * 1024) } });
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('larger than') });
    // Over the method's own limit (64 KiB) though under the body limit: refused before the handler.
    const overMethod = await c.rpc('MachineService', 'AnnotateMachine', { machine: 'c-alice', set: { note: 'x'.repeat(200 * 1024) } });
    expect(overMethod.status).toBe(429);
    expect(overMethod.body).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining('MachineService/AnnotateMachine accepts'),
    });
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'c-alice' })).annotations['note']).toBeUndefined();

    const unknownPath = await c.request('GET', '/api/nothing-here');
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body['code']).toBe('NOT_FOUND');
  });
});
