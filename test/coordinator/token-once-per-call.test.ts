// A unary call's bearer token is verified once: the call guard authenticates the headers as they
// arrive and the handler's ask for the same call is answered from what the guard found, over
// real gRPC and TLS against an in-process coordinator. What was found is not reused once users,
// groups or tokens change: a revoked token is refused on its next call.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { refusal } from '../harness/call-outcome.js';

describe('bearer token checked once per call', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator();
  });
  afterAll(async () => {
    await f.close();
  });

  it('verifies the token of a unary call once, however many calls are made', async () => {
    const verify = vi.spyOn(f.coordinator.tokens, 'authenticate');
    try {
      await f.admin.call('TenancyService', 'WhoAmI', {});
      await f.admin.call('TenancyService', 'WhoAmI', {});
      await f.admin.call('MachineService', 'ListMachines', {});
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      verify.mockRestore();
    }
  });

  it('does not reuse what a call found once a token is revoked', async () => {
    await f.admin.call('TenancyService', 'CreateUser', { name: 'once', role: 'ROLE_MEMBER' });
    const created = await f.admin.call('TenancyService', 'CreateToken', { user: 'once' });
    const member: CoordinatorClient = f.client(created.secret);
    expect((await member.call('TenancyService', 'WhoAmI', {})).name).toBe('once');
    await f.admin.call('TenancyService', 'RevokeToken', { id: created.token!.id });
    expect(await refusal(member.call('TenancyService', 'WhoAmI', {}))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });
});
