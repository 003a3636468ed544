// Manual power: the coordinator asks an operator (an event naming what to do and the command to
// confirm it), waits for `moorctl machine power-confirm`, and goes on; a confirmation nothing
// waits for is refused with the reason.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { waitFor } from '../harness/ovs.js';

let dir: string;
let coord: CoordinatorProcess;
let env: Record<string, string>;

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

interface Ev {
  seq: number;
  kind: string;
  why: string;
  toStatus: string;
}

async function events(): Promise<Ev[]> {
  return (JSON.parse(await ctl('--json', 'events', 'list', '--machine', 'manual-1')) as { events: Ev[] }).events;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-manual-'));
  coord = await startCoordinatorProcess(path.join(dir, 'coord'), { logLevel: 'warn' });
  const caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, coord.caPem);
  env = { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile };
});

afterAll(async () => {
  await coord?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('deploys a manual-power machine as the operator confirms each step', async () => {
  await ctl('machine', 'enlist', '--hostname', 'manual-1', '--cores', '2', '--memory', '4G', '--power-driver', 'manual', '--commission');
  await ctl('machine', 'allocate', '--name', 'manual-1');
  const early = await moorctl(['machine', 'power-confirm', 'manual-1', 'on'], env);
  expect(early.code).toBe(1);
  expect(early.stderr).toBe('moorctl: nothing waits for "on" on manual-1 (no request is pending) (FAILED_PRECONDITION)\n');
  await ctl('machine', 'deploy', 'manual-1', '--boot', 'disk');
  let handled = 0;
  for (const action of ['boot', 'off', 'on'] as const) {
    let request: Ev | undefined;
    await waitFor(
      async () => {
        request = (await events()).filter((e) => e.kind === 'power.manual-request')[handled];
        return request !== undefined;
      },
      30_000,
      `the ${action} request`,
    );
    expect(request!.why).toMatch(new RegExp(`then confirm with: moorctl machine power-confirm manual-1 ${action}$`));
    if (action === 'boot') expect(request!.why).toMatch(/^set manual-1 to boot from disk \(on the next boot only, UEFI\)/);
    if (action === 'off') {
      const wrong = await moorctl(['machine', 'power-confirm', 'manual-1', 'on'], env);
      expect(wrong.stderr).toMatch(/nothing waits for "on" on manual-1 \(waiting for "off"\)/);
    }
    expect(await ctl('machine', 'power-confirm', 'manual-1', action)).toBe(`confirmed ${action} for manual-1\n`);
    handled++;
  }
  await waitFor(async () => (await events()).some((e) => e.toStatus === 'DEPLOYED'), 30_000, 'DEPLOYED');
});
