import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('smoke', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    f = await startCoordinator();
  });
  afterAll(async () => f.close());

  it('enlists, allocates and releases', async () => {
    const m = await f.machine('node-1');
    expect(m.status).toBe('MACHINE_STATUS_READY');
    const r = await f.admin.call('MachineService', 'AllocateMachine', {});
    expect(r.machine?.id).toBe(m.id);
    expect(r.machine?.owner).toBe('admin');
    const released = await f.admin.call('MachineService', 'ReleaseMachine', { machine: m.id });
    expect(released.status).toBe('MACHINE_STATUS_READY');
  });
});
