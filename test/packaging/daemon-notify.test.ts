// Both daemons started with their units' Type=notify semantics under a harness that plays
// systemd's part: it owns NOTIFY_SOCKET, sets WATCHDOG_USEC (a 1 s watchdog, as a drop-in would,
// so pings come quickly) and WATCHDOG_PID, and reads what arrives. The agent must say READY=1
// only once /readyz would answer 200 (real ovsdb-server and ovs-vswitchd, a real coordinator
// process and its mTLS session), ping the watchdog afterwards and say STOPPING=1 on SIGTERM.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../harness/agent-process.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { NotifySocket, type NotifyMessage } from '../harness/notify-socket.js';
import { OvsInstance } from '../harness/ovs.js';
import { readUnit, serviceEnvironment, single } from './unit-file.js';

const WATCHDOG_USEC = 1_000_000;
let dir: string;
let ovs: OvsInstance;
let coord: CoordinatorProcess | undefined;
let agent: AgentProcess | undefined;
const sockets: NotifySocket[] = [];

async function listen(name: string): Promise<NotifySocket> {
  const s = await NotifySocket.listen(path.join(dir, name));
  sockets.push(s);
  return s;
}

const isReady = (m: NotifyMessage): boolean => m.fields['READY'] === '1';
const isPing = (m: NotifyMessage): boolean => m.fields['WATCHDOG'] === '1';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-units-'));
  ovs = await OvsInstance.start();
});

afterAll(async () => {
  await agent?.kill('SIGKILL');
  await coord?.kill('SIGKILL');
  for (const s of sockets) s.close();
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('mooring-agent.service semantics', () => {
  it('says READY=1 only once the coordinator session is up, then pings the watchdog, and STOPPING=1 on SIGTERM', async () => {
    const unit = readUnit('mooring-agent.service');
    expect(single(unit, 'Service', 'Type')).toBe('notify');
    expect(single(unit, 'Service', 'NotifyAccess')).toBe('all');

    // A coordinator to enroll with; stopped again so the agent starts without one to talk to.
    const coordDir = path.join(dir, 'coord');
    coord = await startCoordinatorProcess(coordDir, { logLevel: 'warn' });
    const port = coord.port;
    const caFile = path.join(dir, 'ca.crt');
    await writeFile(caFile, coord.caPem);
    const env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
    const created = await moorctl(['--json', 'agent', 'token', 'create', '--name', 'nic-notify', '--ttl', '10m'], env);
    expect(created.stderr).toBe('');
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    expect(await coord.kill('SIGTERM')).toBe(0);

    const receiver = await listen('agent-notify.sock');
    agent = await AgentProcess.start({
      dataDir: path.join(dir, 'agent'),
      ovsdbRemote: ovs.unixRemote,
      coordinator: `127.0.0.1:${port}`,
      caFile,
      token,
      name: 'nic-notify',
      heartbeat: '1s',
      reconnectMax: '500ms',
      datapathType: 'netdev',
      env: serviceEnvironment(unit),
      systemd: receiver.env(WATCHDOG_USEC),
    });
    const agentPid = agent.child.pid;

    // OVSDB connected, the coordinator unreachable: a STATUS line says why, and no READY=1.
    await receiver.waitFor(
      (m) => /^not ready: coordinator session is (connecting|enrolling|backoff)/.test(m.fields['STATUS'] ?? ''),
      60_000,
      'a not-ready STATUS naming the coordinator',
    );
    await receiver.waitFor((m) => m.fields['EXTEND_TIMEOUT_USEC'] === String(WATCHDOG_USEC), 60_000, 'a start-timeout extension');
    expect((await agent.status('/readyz')).code).toBe(503);
    expect(receiver.messages.some(isReady)).toBe(false);

    coord = await startCoordinatorProcess(coordDir, { logLevel: 'warn', port });
    const ready = await receiver.waitFor(isReady, 60_000, 'READY=1');
    // At READY=1 the status endpoint agrees (the session stays up on loopback).
    const readyz = await agent.status<{ ready: boolean }>('/readyz');
    expect(readyz).toEqual({ code: 200, body: { ready: true, reasons: [] } });
    expect(ready.fields['STATUS']).toMatch(/^ready: ovsdb unix:.* connected.*; coordinator 127\.0\.0\.1:\d+ online, epoch 1; 0 port\(s\)$/);
    const status = await agent.status<{ coordinator: { state: string }; ovsdb: { state: string } }>();
    expect(status.body).toMatchObject({ coordinator: { state: 'online' }, ovsdb: { state: 'connected' } });

    // Watchdog pings follow, plain (no more start-timeout extensions), from one long-lived sender.
    const readyAt = receiver.messages.indexOf(ready);
    const pings = await receiver.waitForCount(readyAt + 1, 2, isPing, 30_000, 'two watchdog pings after READY');
    expect(pings.every((m) => m.raw === 'WATCHDOG=1')).toBe(true);
    const senders = new Set(receiver.messages.map((m) => m.pid));
    expect(senders.size).toBe(1);
    expect(senders.has(agentPid ?? -1)).toBe(false);

    expect(await agent.kill('SIGTERM')).toBe(0);
    const stopping = await receiver.waitFor((m) => m.fields['STOPPING'] === '1', 30_000, 'STOPPING=1');
    expect(stopping.fields['STATUS']).toBe('stopping on SIGTERM');
    expect(receiver.messages.at(-1)).toBe(stopping);
    expect(receiver.messages.filter(isReady)).toHaveLength(1);
    agent = undefined;
  });
});

describe('mooring-coordinator.service semantics', () => {
  it('says READY=1 once it listens, pings the watchdog, and STOPPING=1 on SIGTERM', async () => {
    const unit = readUnit('mooring-coordinator.service');
    expect(single(unit, 'Service', 'Type')).toBe('notify');
    await coord?.kill('SIGTERM');
    const receiver = await listen('coordinator-notify.sock');
    coord = await startCoordinatorProcess(path.join(dir, 'coord-2'), {
      logLevel: 'warn',
      env: { ...process.env, ...serviceEnvironment(unit), ...receiver.env(WATCHDOG_USEC) },
    });
    const ready = await receiver.waitFor((m) => m.fields['READY'] === '1', 30_000, 'READY=1');
    expect(ready.fields['STATUS']).toBe(`listening on 127.0.0.1:${coord.port}, data in ${path.join(dir, 'coord-2')}`);
    const readyAt = receiver.messages.indexOf(ready);
    // Only pings came before READY=1, and they extended the start timeout.
    expect(receiver.messages.slice(0, readyAt).every((m) => m.raw === `WATCHDOG=1\nEXTEND_TIMEOUT_USEC=${WATCHDOG_USEC}`)).toBe(true);
    await receiver.waitForCount(readyAt + 1, 2, (m) => m.raw === 'WATCHDOG=1', 30_000, 'two watchdog pings after READY');
    expect(await coord.kill('SIGTERM')).toBe(0);
    const stopping = await receiver.waitFor((m) => m.fields['STOPPING'] === '1', 30_000, 'STOPPING=1');
    expect(receiver.messages.at(-1)).toBe(stopping);
    coord = undefined;
  });
});
