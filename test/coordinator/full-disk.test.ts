// A full data disk (a small tmpfs, filled up): a write fails with UNAVAILABLE "data disk full"
// and stores nothing, the coordinator stays up, logs the failure once and reports NOT_SERVING on
// grpc.health.v1; once space is freed it takes writes again and reports SERVING by itself. After a
// restart every acknowledged write is there and no refused one is, even in part.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordinatorClient, isServiceError } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { healthStatus } from '../harness/data-dir.js';

const enlist = (client: CoordinatorClient, i: number) =>
  client.call('MachineService', 'EnlistMachine', {
    hostname: `full-${i}`,
    arch: 'amd64',
    cores: 8,
    memoryMib: 8192,
    tags: Array.from({ length: 20 }, (_, t) => `tag-${t}-${'x'.repeat(40)}`),
    power: { driver: 'POWER_DRIVER_IPMI', address: '10.2.0.1', user: 'root', password: `pw-${i}` },
    ports: [{ mac: `52:54:02:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}` }],
    commission: false,
  });

async function until(what: string, condition: () => Promise<boolean>, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('coordinator on a full data disk', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'mooring-fulldisk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountPoint]);
  const dataDir = join(mountPoint, 'data');
  const filler = join(mountPoint, 'filler');
  let coordinator: CoordinatorProcess | undefined;
  const clients: CoordinatorClient[] = [];

  afterAll(async () => {
    for (const c of clients) c.close();
    await coordinator?.kill('SIGKILL');
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('fails the write UNAVAILABLE, reports NOT_SERVING, stays up and recovers when space returns', async () => {
    coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'info' });
    const running = coordinator;
    const logs: string[] = [];
    running.child.stdout?.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n')));
    const admin = new CoordinatorClient({ address: running.address, caPem: running.caPem, token: running.adminToken, timeoutMs: 20_000 });
    clients.push(admin);
    expect(await healthStatus(running.address, running.caPem)).toBe('SERVING');

    // Fill the disk, leaving a little room, then enlist until a commit no longer fits.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC: the disk is full
    }
    execFileSync('truncate', ['-s', '-256K', filler]);
    const acknowledged: number[] = [];
    let refused: { i: number; error: grpc.ServiceError } | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      try {
        await enlist(admin, i);
        acknowledged.push(i);
      } catch (error) {
        if (!isServiceError(error)) throw error;
        refused = { i, error };
      }
    }
    expect(refused, 'no write failed: the disk never filled').toBeDefined();
    expect(refused!.error.code).toBe(grpc.status.UNAVAILABLE);
    expect(refused!.error.details).toContain('data disk full');
    expect(acknowledged.length).toBeGreaterThan(0);

    // Still up and answering reads; NOT_SERVING (the probe that may end it runs a second later); logged once.
    expect(await healthStatus(running.address, running.caPem)).toBe('NOT_SERVING');
    expect(await healthStatus(running.address, running.caPem, 'mooring.v1.MachineService')).toBe('NOT_SERVING');
    expect(running.child.exitCode).toBeNull();
    const listed = await admin.call('MachineService', 'ListMachines', { pageSize: 1000 });
    expect(listed.machines.map((m) => m.hostname).sort()).toEqual(acknowledged.map((i) => `full-${i}`).sort());
    const failing = logs.filter((line) => line.includes('-> failing'));
    expect(failing.length).toBe(1);
    expect(failing[0]).toContain('data disk full');

    // Space returns: the coordinator notices by itself, with no request to prompt it.
    rmSync(filler);
    await until('health is SERVING again', async () => (await healthStatus(running.address, running.caPem)) === 'SERVING');
    await enlist(admin, refused!.i);
    acknowledged.push(refused!.i);

    // A restart on the same data: every acknowledged machine, nothing of the refused ones.
    admin.close();
    expect(await running.kill('SIGTERM')).toBe(0);
    coordinator = await startCoordinatorProcess(dataDir, { logLevel: 'warn' });
    const again = new CoordinatorClient({
      address: coordinator.address,
      caPem: coordinator.caPem,
      token: coordinator.adminToken,
      timeoutMs: 20_000,
    });
    clients.push(again);
    const after = await again.call('MachineService', 'ListMachines', { pageSize: 1000 });
    expect(after.machines.map((m) => m.hostname).sort()).toEqual(acknowledged.map((i) => `full-${i}`).sort());
  }, 120_000);
});
