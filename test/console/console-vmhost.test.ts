// VM hosts from the console, in headless Chromium, against a real coordinator process, a real
// vmhost agent and a private LXD daemon: add the host with a new project from the form, compose a
// container from the form (it appears in the instances table and as a machine), delete it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations, signIn, userContext } from '../harness/browser.js';
import { consoleRoot } from '../harness/console-coordinator.js';
import { waitFor } from '../harness/ovs.js';
import { VmHostLab } from '../harness/vmhost-lab.js';

let lab: VmHostLab;
let consoleUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [lab, browser] = await Promise.all([VmHostLab.start('lx1'), launchBrowser()]);
  consoleUrl = consoleRoot(lab.coord.consoleUrl ?? '');
  context = await userContext(browser);
  page = await signIn(context, consoleUrl, lab.coord.adminToken);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await lab?.stop();
});

describe('console: VM hosts', () => {
  it('adds the host with a new LXD project from the form', async () => {
    await page.goto(`${consoleUrl}vm-hosts`);
    await page.getByText('No VM hosts.').waitFor();
    await page.getByLabel('Agent (vmhost role)').fill('lx1');
    await page.getByLabel('LXD project').fill('console');
    await page.getByLabel('Default image').fill('busybox');
    await page.getByRole('button', { name: 'Add host' }).click();
    await page.getByText('Added lx1 with project console.').waitFor({ timeout: 30_000 });
    // The host's panel appears by itself (live), with its NUMA bars and budgets from the agent's report.
    await page.getByRole('heading', { name: 'VM host lx1' }).waitFor();
    await page.getByRole('heading', { name: /^NUMA node 0$/ }).waitFor();
    expect(await lab.lxd.lxc('project', 'list', '--format', 'csv')).toMatch(/^console,/m);
  });

  it('composes a container from the form: it appears in the instances table and as a machine; then deletes it', async () => {
    await page.goto(`${consoleUrl}vm-hosts`);
    const form = page.getByRole('form', { name: 'Compose on lx1' });
    await form.getByLabel('Name').fill('web1');
    await form.getByLabel('Cores').fill('1');
    await form.getByLabel('Memory').fill('128M');
    await form.getByLabel('Root disk').fill('1G');
    await form.getByRole('button', { name: 'Compose' }).click();
    await form.getByText(/^Composed web1: machine /).waitFor({ timeout: 60_000 });
    const row = page.locator('[data-testid="instances-lx1"] tr[data-instance="web1"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await lab.instances('console')).toEqual(['web1']);
    const machineLink = row.getByRole('link');
    const machineId = (await machineLink.textContent()) ?? '';
    expect(machineId).not.toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'vm-hosts');

    // The instance is a machine: in the machines list, and its page says lxd power.
    await page.goto(`${consoleUrl}machines`);
    const machineRow = page.locator('tr[data-machine="web1"]');
    await machineRow.waitFor();
    expect(await machineRow.locator('a').getAttribute('href')).toBe(`/machines/${machineId}`);

    await page.goto(`${consoleUrl}vm-hosts`);
    await page.getByRole('button', { name: 'Delete web1' }).click();
    await row.waitFor({ state: 'detached', timeout: 60_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}; the page says: ${(await page.locator('main [role="alert"]').allTextContents()).join('; ')}`);
    });
    await waitFor(async () => (await lab.instances('console')).length === 0, 30_000, 'web1 deleted from LXD');
    expect(await lab.machine('web1')).toBeNull();
  });

  it('shows LXD’s refusal of a compose as the API gives it', async () => {
    await page.goto(`${consoleUrl}vm-hosts`);
    const form = page.getByRole('form', { name: 'Compose on lx1' });
    await form.getByLabel('Cores').fill('1');
    await form.getByLabel('Memory').fill('100000G');
    await form.getByRole('button', { name: 'Compose' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    // The same refusal moorctl gets, word for word.
    const r = await lab.ctl('vm', 'compose', '--host', 'lx1', '--cores', '1', '--memory', '100000G', '--disk', '1G', '--type', 'container');
    const message = /^moorctl: (.*) \((RESOURCE_EXHAUSTED|FAILED_PRECONDITION)\)\n$/.exec(r.stderr);
    expect(message, r.stderr).not.toBeNull();
    expect(await alert.textContent()).toBe(`${message![1]} (${message![2]})`);
  });
});
