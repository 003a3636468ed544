// Refused enrollments and certificates, each with a clear error and nothing stored: an unknown
// token, an expired one, a CSR naming another agent than its token, and a client certificate
// from another CA presenting an enrolled agent's name. Real coordinator and agent processes.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../harness/agent-process.js';
import { AgentInfos } from '../harness/agent-infos.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { OvsInstance, waitFor } from '../harness/ovs.js';
import { createCa } from '../harness/pki.js';

let dir: string;
let ovs: OvsInstance;
let coord: CoordinatorProcess;
// The waits read agents over one connection (a look through moorctl is a Node process).
const agentInfos = new AgentInfos(() => coord);
let env: Record<string, string>;
let caFile: string;
const agents: AgentProcess[] = [];

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function token(name: string, ttl = '10m'): Promise<string> {
  return (JSON.parse(await ctl('--json', 'agent', 'token', 'create', '--name', name, '--ttl', ttl)) as { token: string }).token;
}

async function agent(name: string, dataDir: string, tokenValue?: string): Promise<AgentProcess> {
  const a = await AgentProcess.start({
    dataDir,
    ovsdbRemote: ovs.unixRemote,
    coordinator: coord.address,
    caFile,
    token: tokenValue,
    name,
    reconnectMax: '1s',
  });
  agents.push(a);
  return a;
}

async function refusal(a: AgentProcess): Promise<string> {
  const line = await a.waitFor((l) => l.msg === 'enrollment refused', 30_000, 'the refusal');
  return String(line.err);
}

const agentNames = async (): Promise<string[]> =>
  (JSON.parse(await ctl('--json', 'agent', 'list')) as { agents: { id: string }[] }).agents.map((a) => a.id);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-enroll-'));
  caFile = path.join(dir, 'ca.crt');
  ovs = await OvsInstance.start({ vswitchd: false });
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { logLevel: 'warn' });
  await writeFile(caFile, coord.caPem);
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
});

afterAll(async () => {
  agentInfos.close();
  for (const a of agents) await a.kill('SIGKILL');
  await coord?.kill('SIGKILL');
  await ovs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('refused enrollment', () => {
  it('refuses an unknown token and stores nothing', async () => {
    const d = path.join(dir, 'unknown');
    const a = await agent('nic-a', d, 'mre_0123456789abcdef_' + 'x'.repeat(43));
    expect(await refusal(a)).toBe('enrollment refused: token: unknown enrollment token');
    expect(existsSync(path.join(d, 'agent.key'))).toBe(false);
    expect(existsSync(path.join(d, 'agent.crt'))).toBe(false);
    const s = await a.status<{ coordinator: { state: string; reason: string } }>();
    expect(s.body.coordinator).toMatchObject({ state: 'refused', reason: 'enrollment refused: token: unknown enrollment token' });
    expect(await agentNames()).not.toContain('nic-a');
  });

  it('refuses an expired token', async () => {
    const t = await token('nic-b', '1s');
    await new Promise((r) => setTimeout(r, 1200)); // let the token expire (the coordinator's clock is real here)
    const d = path.join(dir, 'expired');
    const a = await agent('nic-b', d, t);
    expect(await refusal(a)).toMatch(/^enrollment refused: token: this enrollment token expired at \d{4}-/);
    expect(existsSync(path.join(d, 'agent.key'))).toBe(false);
    expect(await agentNames()).not.toContain('nic-b');
  });

  it('refuses a CSR whose name does not match the token, without using the token up', async () => {
    const t = await token('nic-c');
    const d = path.join(dir, 'mismatch');
    const a = await agent('nic-x', d, t);
    expect(await refusal(a)).toBe(
      'enrollment refused: csr_pem: the CSR\'s subject common name "nic-x" does not match the token\'s agent name "nic-c"',
    );
    expect(existsSync(path.join(d, 'agent.key'))).toBe(false);
    expect(await agentNames()).not.toContain('nic-x');
    // The refused attempt rolled back: the same token still enrolls the right agent.
    await agent('nic-c', path.join(dir, 'right-name'), t);
    await waitFor(async () => (await agentInfos.of('nic-c'))?.state === 'ONLINE', 30_000, 'nic-c online');
  });

  it('refuses a client certificate from another CA, even for an enrolled agent name', async () => {
    const epochBefore = (JSON.parse(await ctl('--json', 'agent', 'show', 'nic-c')) as { epoch: number }).epoch;
    expect(epochBefore).toBe(1);
    const d = path.join(dir, 'other-ca');
    await mkdir(d, { recursive: true });
    const forged = createCa('Some other CA').issue('nic-c');
    await writeFile(path.join(d, 'agent.key'), forged.key, { mode: 0o600 });
    await writeFile(path.join(d, 'agent.crt'), forged.cert);
    await writeFile(path.join(d, 'coordinator-ca.crt'), coord.caPem);
    const a = await agent('nic-c', d);
    await waitFor(
      async () => (await a.status<{ coordinator: { state: string } }>()).body.coordinator.state === 'refused',
      30_000,
      'the session refused',
    );
    const s = await a.status<{ coordinator: { reason: string } }>();
    expect(s.body.coordinator.reason).toBe(
      "this call needs the agent's client certificate issued by this coordinator's CA at enrollment (none was presented, or the one " +
        'presented was not issued by this CA)',
    );
    // Nothing changed on the coordinator: the real nic-c keeps its one session.
    const info = JSON.parse(await ctl('--json', 'agent', 'show', 'nic-c')) as { epoch: number; state: string };
    expect(info).toMatchObject({ epoch: epochBefore, state: 'ONLINE' });
    expect(await readFile(path.join(d, 'agent.crt'), 'utf8')).toBe(forged.cert);
  });
});
