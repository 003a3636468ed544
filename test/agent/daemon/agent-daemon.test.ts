// The agent daemon on its own (no coordinator configured) against real OVS: it creates the
// integration bridge, reconciles its stored desired state after OVSDB restarts, and its status
// endpoint tells the truth about OVSDB and the (disabled) coordinator link.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../../harness/agent-process.js';
import { OvsInstance, waitFor } from '../../harness/ovs.js';

let ovs: OvsInstance;
let dir: string;
let agent: AgentProcess;

beforeAll(async () => {
  ovs = await OvsInstance.start();
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-agent-daemon-'));
  agent = await AgentProcess.start({ dataDir: dir, ovsdbRemote: ovs.unixRemote, datapathType: 'netdev' });
});

afterAll(async () => {
  await agent?.kill('SIGTERM');
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('mooring-agent run without a coordinator', () => {
  it('connects to OVSDB and creates the integration bridge', async () => {
    await waitFor(async () => (await ovs.vsctl('list-br')) === 'br-int', 30_000, 'br-int');
    expect(await ovs.vsctl('get', 'Bridge', 'br-int', 'datapath_type')).toBe('netdev');
    const s = await agent.status<{ ovsdb: { state: string }; coordinator: { state: string; reason: string } }>();
    expect(s.code).toBe(200);
    expect(s.body.ovsdb.state).toBe('connected');
    expect(s.body.coordinator).toMatchObject({ state: 'disabled', reason: 'no coordinator configured' });
  });

  it('answers /healthz, and /readyz 503 naming why it is not ready', async () => {
    expect((await fetch(`${agent.statusUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${agent.statusUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('coordinator session is disabled: no coordinator configured');
  });

  it('reports OVSDB down while ovsdb-server is killed, and reconnects when it returns', async () => {
    await ovs.killServer('SIGKILL');
    await waitFor(
      async () => (await agent.status<{ ovsdb: { state: string } }>()).body.ovsdb.state !== 'connected',
      30_000,
      'OVSDB down in /status',
    );
    const ready = await fetch(`${agent.statusUrl}/readyz?format=json`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/ovsdb unix:.*db\.sock is (backoff|connecting)/);
    await ovs.startServer();
    await waitFor(
      async () => (await agent.status<{ ovsdb: { state: string } }>()).body.ovsdb.state === 'connected',
      30_000,
      'OVSDB back in /status',
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await agent.kill('SIGTERM')).toBe(0);
    expect(agent.lines.some((l) => l.msg === 'agent stopped')).toBe(true);
  });
});
