// Deploying from the console, in headless Chromium, against a real coordinator process and
// simulated hosts (an ipmi_sim BMC, a smartNIC with real ovsdb-server + ovs-vswitchd whose agent
// boots with host power): the step view advances live, step by step, to DEPLOYED; a deploy whose
// smartNIC never comes back shows the failing step and the reason.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations, signIn, userContext } from '../harness/browser.js';
import { startConsoleCoordinator, type ConsoleCoordinator } from '../harness/console-coordinator.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { SimulatedHost } from '../harness/simulated-host.js';
import { enlistBehindSmartNic, MachineStatuses } from '../harness/smartnic-machine.js';

let dir: string;
let coord: ConsoleCoordinator;
let env: Record<string, string>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let n = 0;
const statuses = new MachineStatuses(() => coord.process);
const hosts: SimulatedHost[] = [];

async function ctl(...args: string[]): Promise<string> {
  const r = await moorctl(args, env);
  if (r.code !== 0) throw new Error(`moorctl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A powered-off host behind a smartNIC, enlisted, commissioned and allocated; returns its machine id. */
async function allocatedHost(options: { deadSmartNic?: boolean } = {}): Promise<{ id: string; hostname: string; host: SimulatedHost }> {
  n++;
  const agentName = `dpu-${n}`;
  const hostname = `node-${n}`;
  const token = (JSON.parse(await ctl('--json', 'agent', 'token', 'create', '--name', agentName)) as { token: string }).token;
  const host = await SimulatedHost.start({
    agentName,
    dir: path.join(dir, hostname),
    coordinator: coord.process.address,
    caPem: coord.process.caPem,
    token,
    power: 'off',
    ...options,
  });
  hosts.push(host);
  const id = await enlistBehindSmartNic(env, statuses, host, { hostname, mac: `52:54:00:00:20:0${n}`, agentName });
  await ctl('machine', 'allocate', '--name', hostname);
  return { id, hostname, host };
}

/**
 * Records, in the page, each distinct state of the step view as the DOM changes: the steps shown
 * (step name and whether done, failed or running) and the outcome line. Reading it later tells
 * whether the view advanced by itself in several updates, and in what order.
 */
const RECORD_STEPS = `(() => {
  window.__stepStates = [];
  window.__sameDocument = true;
  const read = () => {
    const steps = [...document.querySelectorAll('[data-testid="deploy-steps"] li')].map((li) => li.className + ':' + li.dataset.step);
    const outcome = document.querySelector('[data-testid="deploy-outcome"]')?.textContent ?? '';
    const state = JSON.stringify({ steps, outcome });
    if (window.__stepStates.at(-1) !== state) window.__stepStates.push(state);
  };
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  read();
})()`;

async function stepStates(p: Page): Promise<{ steps: string[]; outcome: string }[]> {
  const raw = await p.evaluate<string[]>('window.__stepStates');
  return raw.map((s) => JSON.parse(s) as { steps: string[]; outcome: string });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-console-deploy-'));
  [coord, browser] = await Promise.all([
    startConsoleCoordinator(path.join(dir, 'coord'), {
      extraArgs: ['--heartbeat-interval-ms', '1000', '--heartbeat-deadline-ms', '5000', '--agent-session-timeout-ms', '10000'],
    }),
    launchBrowser(),
  ]);
  const caFile = path.join(dir, 'ca.crt');
  await writeFile(caFile, coord.process.caPem);
  env = { MOORING_COORDINATOR: coord.process.address, MOORING_TOKEN: coord.process.adminToken, MOORING_CA: caFile };
  context = await userContext(browser);
  page = await signIn(context, coord.url, coord.process.adminToken);
});

afterAll(async () => {
  statuses.close();
  await context?.close().catch(() => undefined);
  await browser?.close();
  for (const h of hosts) await h.stop();
  await coord?.process.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('console: deploy', () => {
  it('deploys from the machine page; the step view advances live to DEPLOYED', async () => {
    const { id, host } = await allocatedHost();
    await page.goto(`${coord.url}machines/${id}`);
    await page.getByRole('button', { name: 'Deploy' }).waitFor();
    await page.getByText('No deployment has run.').waitFor();
    await page.evaluate(RECORD_STEPS);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('[data-testid="deploy-outcome"]', { hasText: /^DEPLOYED$/ }).waitFor({ timeout: 90_000 });
    // The outcome and the last step's event are rendered by separate updates: wait for the view to settle.
    await expect
      .poll(async () => (await stepStates(page)).at(-1)?.steps.every((s) => s.startsWith('step-ok:')), { timeout: 10_000 })
      .toBe(true);

    const states = await stepStates(page);
    // Live: the same document all along, and the view went through several states on the way.
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const seen = states.filter((s) => s.steps.length > 0);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // Steps only ever accumulate, in the sequencer's order; some state showed a step running and
    // the finished view lists the BIOS-halt sequence, each step done.
    const done = seen.at(-1)!.steps;
    expect(done).toEqual(expect.arrayContaining(['step-ok:read-power', 'step-ok:set-boot-bios', 'step-ok:power-on', 'step-ok:ports']));
    expect(done.every((s) => s.startsWith('step-ok:'))).toBe(true);
    const order = ['read-power', 'set-boot-bios', 'power-on', 'wait-agents', 'ports'].map((s) => done.indexOf(`step-ok:${s}`));
    expect(order.filter((i) => i >= 0)).toEqual([...order.filter((i) => i >= 0)].sort((a, b) => a - b));
    expect(seen.some((s) => s.steps.some((step) => step.startsWith('step-running:')))).toBe(true);
    expect(seen.some((s) => s.outcome !== 'DEPLOYED')).toBe(true);
    // What the page says is what happened: the chassis went through the BIOS-halt and the deploy boot.
    expect(await host.bmc.sets()).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
    await page.locator('main [role="status"]', { hasText: 'deploy: done' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'machine-deployed');

    // The smartNIC agent behind it, on the Agents page: it went down with the deploy's power cycle
    // and the page shows it back ONLINE by itself (agent events), in its third epoch (enrolment,
    // BIOS-halt power-on, deploy power cycle).
    await page.goto(`${coord.url}agents/${host.agentName}`);
    await page.getByRole('heading', { name: `Agent ${host.agentName}` }).waitFor();
    const agentRow = page.locator(`tr[data-agent="${host.agentName}"]`);
    await agentRow.locator('td:nth-child(4)', { hasText: /^3$/ }).waitFor({ timeout: 30_000 });
    await agentRow.locator('td:nth-child(3)', { hasText: /^ONLINE$/ }).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'agents');
  });

  it('shows the failing step and the reason when the smartNIC never comes back', async () => {
    const { id, hostname } = await allocatedHost({ deadSmartNic: true });
    await page.goto(`${coord.url}machines/${id}`);
    await page.getByRole('button', { name: 'Deploy' }).click();
    const outcome = page.locator('[data-testid="deploy-outcome"]', { hasText: /^FAILED_DEPLOYMENT/ });
    await outcome.waitFor({ timeout: 90_000 });
    const shown = JSON.parse(await ctl('--json', 'machine', 'show', hostname)) as { status: string; statusReason: string };
    expect(shown.status).toBe('MACHINE_STATUS_FAILED_DEPLOYMENT');
    expect(await outcome.textContent()).toBe(`FAILED_DEPLOYMENT at step wait-agents: ${shown.statusReason}`);
    expect(shown.statusReason).toMatch(/did not open a session newer than epoch 1/);
    // The failed step is marked as such in the list, with the sequencer's words.
    const failed = page.locator('[data-testid="deploy-steps"] li.step-failed');
    expect(await failed.getAttribute('data-step')).toBe('wait-agents');
    expect(await failed.textContent()).toMatch(/wait for each smartNIC agent to open a new session failed: .*did not open a session/);
    await screenshot(page, 'machine-failed-deploy');
  });
});
