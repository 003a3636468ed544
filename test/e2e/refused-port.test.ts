// Issue 12: one bad iface-id used to wedge an agent for good (ovsdb-server drops the connection on
// it, the agent kept the spec and reconnected ~7 times a second, /readyz never 200, across restarts).
// A real agent process with a real coordinator session; OVSDB is a real ovsdb-server + vswitchd
// behind RefusingOvsdbProxy, a simulation that drops the connection on a marker exactly as
// ovsdb-server does on a NUL. The refused bind fails permanently, the agent stays ready and its
// OVSDB connection settles; a NUL sent over the session by hand is refused before OVSDB; and after
// a restart with such specs left in its store, the agent drops them and is ready again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStore } from '../../agent/src/state/agent-store.js';
import { AgentProcess } from '../harness/agent-process.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';
import { RefusingOvsdbProxy } from '../harness/refusing-ovsdb-proxy.js';

const MARKER = 'refuse-me';
const NAME = 'dpu-refused';
let dir: string;
let ovs: OvsInstance;
let proxy: RefusingOvsdbProxy;
let f: CoordinatorFixture;
let caFile: string;
let agent: AgentProcess | undefined;

const port = (name: string, ifaceId: string) => ({ name, ifaceId, mac: '52:54:00:00:50:01', vmUuid: 'm-50' });
const ports = async (): Promise<string[]> => (await ovs.vsctl('list-ports', 'br-int')).split('\n').filter(Boolean);
const readyz = async (): Promise<number> => (await fetch(`${agent!.statusUrl}/readyz`)).status;

function startAgent(token?: string): Promise<AgentProcess> {
  return AgentProcess.start({
    dataDir: path.join(dir, 'agent'),
    ovsdbRemote: proxy.unixRemote,
    coordinator: f.address,
    caFile,
    token,
    name: NAME,
    heartbeat: '1s',
    reconnectMax: '1s',
    datapathType: 'netdev',
  });
}

/** Resolves once no new OVSDB connection has been made for `quietMs`; fails if they keep coming. */
async function settled(quietMs: number, tries = 10): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const before = proxy.connections;
    await sleep(quietMs);
    if (proxy.connections === before) return;
  }
  throw new Error(`the agent is still reconnecting to OVSDB: ${proxy.connections} connections so far`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-refused-port-'));
  ovs = await OvsInstance.start({ bridge: 'br-int' });
  proxy = await RefusingOvsdbProxy.start(ovs.sock, MARKER);
  f = await startCoordinator();
  caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, f.caPem);
  const { token } = await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: NAME, role: 'smartnic', ttlSeconds: 3600 });
  agent = await startAgent(token);
  await waitFor(async () => (await readyz()) === 200, 60_000, 'the agent to be ready');
});

afterAll(async () => {
  await agent?.kill('SIGKILL');
  await f?.close();
  await proxy?.stop();
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a port change OVSDB refuses', () => {
  it('fails the bind permanently; the agent stays ready and stops reconnecting', async () => {
    await f.admin.call('AgentAdminService', 'BindPort', { agent: NAME, port: port('pf0vf9', 'lsp-good') });
    let error: grpc.ServiceError | undefined;
    await f.admin
      .call('AgentAdminService', 'BindPort', { agent: NAME, port: port('pf0vf1', `${MARKER}-1`) })
      .catch((e: unknown) => (error = e as grpc.ServiceError));
    expect(error?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error?.details).toMatch(/OVSDB_REFUSED: ovsdb-server dropped the connection twice on the binding of port pf0vf1/);
    await settled(1500);
    expect(await readyz()).toBe(200);
    expect(proxy.refused).toBe(2);
    expect(await ports()).toEqual(['pf0vf9']);
  });

  it('refuses a NUL sent over the session by hand, without touching OVSDB', async () => {
    const connections = proxy.connections;
    const r = await f.coordinator.sessions.command(
      NAME,
      { kind: 'bindPort', bindPort: { port: port('pf0vf2', 'lsp\u00002') } },
      30_000,
      'a hand-built bind',
    );
    expect(r).toMatchObject({
      ok: false,
      errorCode: 'INVALID_PORT',
      error: 'invalid port ifaceId: "lsp\\u00002" contains the control character U+0000 at index 3',
    });
    expect(proxy.connections).toBe(connections);
    expect(await readyz()).toBe(200);
  });

  it('after a restart with unappliable specs left in its store, drops them and is ready again', async () => {
    expect(await agent!.kill('SIGTERM')).toBe(0);
    // What an agent without these checks left in its durable desired set.
    const store = AgentStore.open(path.join(dir, 'agent'));
    await store.setDesired({ put: [port('pf0vf3', 'lsp\u00003'), port('pf0vf4', `${MARKER}-4`)] });
    await store.close();
    const refused = proxy.refused;
    agent = await startAgent();
    await waitFor(async () => (await readyz()) === 200, 60_000, 'the restarted agent to be ready');
    await settled(1500);
    expect(await readyz()).toBe(200);
    expect(proxy.refused - refused).toBe(4);
    expect(await ports()).toEqual(['pf0vf9']);
    const dropped = agent.lines.filter(
      (l) =>
        l.msg === 'dropping a stored desired port that can never be applied' || l.msg === 'dropping a desired port that cannot be applied',
    );
    expect(dropped.map((l) => l.port)).toEqual(['"pf0vf3"', 'pf0vf4']);
  });
});
