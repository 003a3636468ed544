// A vmhost agent in its own process with a real coordinator (gRPC over mTLS, real LMDB) and a real
// LXD: the LXD report reaches the coordinator in the hello and on every change, the lxd_* commands
// travel the session, an instance created with lxc appears in a pushed AgentReport, and /status
// shows the LXD report. A smartNIC agent does not start the LXD side (and refuses lxd commands).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../../harness/agent-process.js';
import { startCoordinator, type CoordinatorFixture } from '../../harness/coordinator-fixture.js';
import { LxdDaemon } from '../../harness/lxd.js';
import type { AgentReport__Output, LxdReport__Output } from '../../../proto/generated/index.js';

let dir: string;
let lxd: LxdDaemon;
let coord: CoordinatorFixture;
let agent: AgentProcess;

function hubReport(pred: (r: LxdReport__Output) => boolean, what: string, timeoutMs = 30_000): Promise<LxdReport__Output> {
  const now = coord.coordinator.sessions.session('vmh1')?.report?.lxd;
  if (now && pred(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      coord.coordinator.sessions.off('report', on);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const on = (id: string, report: AgentReport__Output): void => {
      if (id !== 'vmh1' || !report.lxd || !pred(report.lxd)) return;
      clearTimeout(timer);
      coord.coordinator.sessions.off('report', on);
      resolve(report.lxd);
    };
    coord.coordinator.sessions.on('report', on);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-session-'));
  lxd = await LxdDaemon.start();
  coord = await startCoordinator();
  const caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, coord.caPem);
  const token = await coord.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: 'vmh1', role: 'vmhost', ttlSeconds: 600 });
  agent = await AgentProcess.start({
    dataDir: path.join(dir, 'agent'),
    ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}`,
    coordinator: coord.address,
    caFile,
    token: token.token,
    name: 'vmh1',
    role: 'vmhost',
    heartbeat: '1s',
    reconnectMax: '1s',
    extraArgs: ['--lxd-socket', lxd.socket, '--lxd-image', 'busybox', '--lxd-stop-grace', '1s'],
  });
});

afterAll(async () => {
  await agent?.kill('SIGKILL');
  await coord?.close();
  await lxd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('vmhost agent over a real coordinator session', () => {
  it('reports LXD connected with no project assigned yet', async () => {
    const r = await hubReport((l) => l.connected, 'the LXD report at the coordinator');
    expect(r).toMatchObject({ project: '', error: 'no LXD project assigned', instanceTypes: ['container'] });
    expect(r.serverVersion).toMatch(/^5\./);
    expect(r.endpoint).toBe(`unix:${lxd.socket}`);
  });

  it('carries the lxd commands over the session and pushes lifecycle changes made with lxc', async () => {
    const hub = coord.coordinator.sessions;
    const assign = await hub.command(
      'vmh1',
      { kind: 'lxdAssignProject', lxdAssignProject: { project: 'maas', create: true } },
      30_000,
      'assign',
    );
    expect(assign.ok, assign.error).toBe(true);
    expect(assign.lxd?.report?.project).toBe('maas');
    const composed = await hub.command(
      'vmh1',
      {
        kind: 'lxdCompose',
        lxdCompose: {
          name: 'vm1',
          type: '',
          cores: 1,
          pinnedCpus: '',
          memoryBytes: 2 ** 27,
          hugepages: false,
          rootDiskBytes: 0,
          pool: '',
          nics: [],
          machineId: 'machine-1',
          image: '',
        },
      },
      60_000,
      'compose',
    );
    expect(composed.ok, composed.error).toBe(true);
    expect(composed.lxd?.instance).toMatchObject({ name: 'vm1', type: 'container', machineId: 'machine-1' });
    const on = await hub.command('vmh1', { kind: 'lxdPower', lxdPower: { name: 'vm1', action: 'start' } }, 60_000, 'power on');
    expect(on.lxd?.instance?.status).toBe('Running');
    await hubReport((l) => l.instances.some((i) => i.name === 'vm1' && i.status === 'Running'), 'vm1 running in a pushed report');
    await lxd.lxc('init', 'busybox', 'from-lxc', '--project', 'maas');
    const pushed = await hubReport((l) => l.instances.some((i) => i.name === 'from-lxc'), 'the lxc-made instance in a pushed report');
    expect(pushed.instances.find((i) => i.name === 'from-lxc')?.machineId).toBe('');
    const status = await agent.status<{ role: string; lxd: LxdReport__Output }>();
    expect(status.body.role).toBe('vmhost');
    expect(status.body.lxd.project).toBe('maas');
    expect(status.body.lxd.instances.map((i) => i.name)).toEqual(['from-lxc', 'vm1']);
  });

  it('a smartNIC agent does not start the LXD side', async () => {
    const nic = await AgentProcess.start({
      dataDir: path.join(dir, 'nic'),
      ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}`,
      extraArgs: ['--lxd-socket', lxd.socket],
    });
    try {
      const status = await nic.status<{ role: string; lxd: unknown }>();
      expect(status.body.role).toBe('smartnic');
      expect(status.body.lxd).toBeNull();
    } finally {
      await nic.kill('SIGTERM');
    }
  });
});
