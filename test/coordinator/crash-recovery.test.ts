// kill -9 of the coordinator process during allocation load, then a restart on the same data dir:
// every acknowledged allocation is still there, and no machine was handed out twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordinatorClient, isServiceError } from '../../coordinator/src/client/coordinator-client.js';
import type { Machine__Output } from '../../proto/generated/index.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';

const MACHINES = 400;
const CLIENTS = 24;
const KILL_AFTER_ACKS = 120;

async function listAll(client: CoordinatorClient): Promise<Machine__Output[]> {
  const all: Machine__Output[] = [];
  let pageToken = '';
  do {
    const page = await client.call('MachineService', 'ListMachines', { pageToken, pageSize: 1000 });
    all.push(...page.machines);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

describe('coordinator crash during allocation load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-crash-'));
  let coordinator: CoordinatorProcess | undefined;
  const clients: CoordinatorClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await coordinator?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged allocation and never duplicates one', async () => {
    coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn' });
    const first = coordinator;
    const client = (token: string) => {
      const c = new CoordinatorClient({ address: first.address, caPem: first.caPem, token, ownConnection: true, timeoutMs: 20_000 });
      clients.push(c);
      return c;
    };
    const admin = client(first.adminToken);
    const users = ['ann', 'ben', 'cid', 'dee'];
    const tokens: Record<string, string> = {};
    for (const name of users) {
      await admin.call('TenancyService', 'CreateUser', { name, role: 'ROLE_MEMBER' });
      tokens[name] = (await admin.call('TenancyService', 'CreateToken', { user: name })).secret;
    }
    for (let batch = 0; batch < MACHINES; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          admin.call('MachineService', 'EnlistMachine', {
            hostname: `crash-${batch + i}`,
            arch: 'amd64',
            cores: 4 + ((batch + i) % 8),
            memoryMib: 8192,
            power: { driver: 'POWER_DRIVER_MANUAL' },
            commission: true,
          }),
        ),
      );
    }

    // Load: CLIENTS callers allocate without releasing; the coordinator dies mid-flight.
    const acknowledged: { machine: string; user: string }[] = [];
    const kill: { exited?: Promise<number | null> } = {};
    let failedAfterKill = 0;
    const workers = Array.from({ length: CLIENTS }, async (_, i) => {
      const user = users[i % users.length]!;
      const caller = client(tokens[user]!);
      for (;;) {
        try {
          const { machine } = await caller.call('MachineService', 'AllocateMachine', { reason: `worker ${i}` });
          acknowledged.push({ machine: machine!.id, user });
          if (acknowledged.length >= KILL_AFTER_ACKS && !kill.exited) kill.exited = first.kill('SIGKILL');
        } catch (error) {
          if (!isServiceError(error) || !kill.exited) throw error;
          failedAfterKill++;
          return;
        }
      }
    });
    await Promise.all(workers);
    expect(await kill.exited).toBe(null); // exit code null: it died of the signal
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(failedAfterKill).toBe(CLIENTS);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // Acknowledged allocations are distinct machines.
    const ackedIds = acknowledged.map((a) => a.machine);
    expect(new Set(ackedIds).size).toBe(ackedIds.length);

    coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn' });
    const restarted = coordinator;
    const admin2 = new CoordinatorClient({ address: restarted.address, caPem: restarted.caPem, token: restarted.adminToken });
    clients.push(admin2);
    const machines = new Map((await listAll(admin2)).map((m) => [m.id, m]));
    expect(machines.size).toBe(MACHINES);
    for (const { machine, user } of acknowledged) {
      expect(machines.get(machine)?.status).toBe('MACHINE_STATUS_ALLOCATED');
      expect(machines.get(machine)?.owner).toBe(user);
    }
    // Unacknowledged calls may have committed (the answer was lost), but each machine was
    // allocated exactly once: one READY -> ALLOCATED event per ALLOCATED machine, none for others.
    const allocatedIds = [...machines.values()].filter((m) => m.status === 'MACHINE_STATUS_ALLOCATED').map((m) => m.id);
    expect(allocatedIds.length).toBeGreaterThanOrEqual(acknowledged.length);
    const allocationEvents = new Map<string, number>();
    let sinceSeq = 0;
    for (;;) {
      const { events } = await admin2.call('EventService', 'ListEvents', { sinceSeq, limit: 5000 });
      if (events.length === 0) break;
      for (const e of events) {
        if (e.toStatus === 'ALLOCATED') allocationEvents.set(e.machineId, (allocationEvents.get(e.machineId) ?? 0) + 1);
        sinceSeq = e.seq;
      }
    }
    expect([...allocationEvents.keys()].sort()).toEqual([...allocatedIds].sort());
    expect([...allocationEvents.values()].every((n) => n === 1)).toBe(true);

    // The restarted coordinator keeps working on the recovered store.
    const more = await admin2.call('MachineService', 'AllocateMachine', {});
    expect(allocatedIds).not.toContain(more.machine!.id);
  }, 120_000); // a bound for loaded machines, not a timed assertion
});
