// /readyz follows what the role and configuration use. A smartNIC agent binds ports on its bridge:
// not ready without OVSDB. A VM host runs OVS only where its operator configured an OVSDB remote:
// without one it is ready once its coordinator session is online, OVS or not; with one it waits for
// OVSDB like a smartNIC. Real agent processes and a real coordinator (mTLS); no OVS runs here at
// all, so OVSDB is down for every agent.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../../../agent/src/config/agent-config.js';
import { DEFAULT_OVSDB_REMOTE } from '../../../agent/src/config/config-schema.js';
import { initialAgentStatus } from '../../../agent/src/status/initial-status.js';
import { readinessLine } from '../../../agent/src/status/readiness-notification.js';
import { StatusBoard } from '../../../agent/src/status/status-board.js';
import { AgentProcess } from '../../harness/agent-process.js';
import { moorctl } from '../../harness/coordinator-cli.js';
import { startCoordinatorForCli, type CoordinatorProcess } from '../../harness/coordinator-process.js';
import { waitFor } from '../../harness/ovs.js';

async function boardFor(flags: Record<string, unknown>): Promise<StatusBoard> {
  const config = await loadAgentConfig({ env: {}, flags });
  const board = new StatusBoard(initialAgentStatus(config, { agentId: 'a', version: '0' }));
  board.update((s) => ({ ...s, coordinator: { ...s.coordinator, address: 'coord:7443', state: 'online', epoch: 1 } }));
  return board;
}

describe('readiness by role and configuration', () => {
  it('a VM host with no OVSDB remote configured is ready without OVSDB, and says OVSDB is not required', async () => {
    const board = await boardFor({ role: 'vmhost' });
    expect(board.snapshot.ovsdb).toMatchObject({ remote: DEFAULT_OVSDB_REMOTE, required: false, state: 'connecting' });
    expect(board.readiness()).toEqual({ ready: true, reasons: [] });
    expect(readinessLine(board.snapshot, board.readiness())).toBe(
      `ready: ovsdb ${DEFAULT_OVSDB_REMOTE} connecting (not required); coordinator coord:7443 online, epoch 1; 0 port(s)`,
    );
  });

  it('a VM host with a configured OVSDB remote, and any smartNIC, need OVSDB', async () => {
    for (const flags of [{ role: 'vmhost', ovsdbRemote: 'tcp:127.0.0.1:6640' }, { role: 'smartnic' }, {}]) {
      const board = await boardFor(flags);
      expect(board.snapshot.ovsdb.required).toBe(true);
      expect(board.readiness()).toEqual({ ready: false, reasons: [`ovsdb ${board.snapshot.ovsdb.remote} is connecting`] });
    }
  });
});

// The VM host without a configured remote dials the default one: skipped where a system Open
// vSwitch listens there, so the test never touches the host's own OVS.
const systemOvs = existsSync(DEFAULT_OVSDB_REMOTE.replace(/^unix:/, ''));

describe.skipIf(systemOvs)('/readyz of real agents with no OVS running', () => {
  let dir: string;
  let coord: CoordinatorProcess;
  let caFile: string;
  let env: Record<string, string>;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mooring-readiness-'));
    ({ coord, caFile, env } = await startCoordinatorForCli(dir, { logLevel: 'warn' }));
  });

  afterAll(async () => {
    for (const a of agents) await a.kill('SIGKILL');
    await coord?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function start(name: string, role: 'smartnic' | 'vmhost', ovsdbRemote?: string): Promise<AgentProcess> {
    const created = await moorctl(['--json', 'agent', 'token', 'create', '--name', name, '--role', role, '--ttl', '10m'], env);
    if (created.code !== 0) throw new Error(`token create failed: ${created.stderr}`);
    const agent = await AgentProcess.start({
      dataDir: path.join(dir, name),
      ovsdbRemote,
      coordinator: coord.address,
      caFile,
      token: (JSON.parse(created.stdout) as { token: string }).token,
      name,
      role,
      reconnectMax: '1s',
      // No LXD is used here either: a socket that does not exist, never the host's own.
      extraArgs: role === 'vmhost' ? ['--lxd-socket', path.join(dir, 'no-lxd.sock')] : [],
    });
    agents.push(agent);
    await waitFor(
      async () => (await agent.status<{ coordinator: { state: string } }>()).body.coordinator.state === 'online',
      60_000,
      `${name} online`,
    );
    return agent;
  }

  const readyz = async (agent: AgentProcess): Promise<{ code: number; body: { ready: boolean; reasons: string[] } }> =>
    agent.status('/readyz?format=json');

  it('a VM host without OVS (no remote configured) answers 200', async () => {
    const agent = await start('vmhost-bare', 'vmhost');
    expect((await agent.status<{ ovsdb: { state: string; required: boolean } }>()).body.ovsdb).toMatchObject({ required: false });
    expect((await agent.status<{ ovsdb: { state: string } }>()).body.ovsdb.state).not.toBe('connected');
    expect(await readyz(agent)).toEqual({ code: 200, body: { ready: true, reasons: [] } });
  });

  it('a smartNIC without OVSDB answers 503 naming OVSDB, as does a VM host configured with a remote', async () => {
    const missing = `unix:${path.join(dir, 'no-ovs.sock')}`;
    for (const [name, role] of [
      ['dpu-bare', 'smartnic'],
      ['vmhost-ovs', 'vmhost'],
    ] as const) {
      const agent = await start(name, role, missing);
      const r = await readyz(agent);
      expect(r.code).toBe(503);
      expect(r.body.reasons).toHaveLength(1);
      expect(r.body.reasons[0]).toMatch(new RegExp(`^ovsdb ${missing} is (connecting|backoff)`));
    }
  });
});
