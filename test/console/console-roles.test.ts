// The console in headless Chromium against a real coordinator process: who sees what, who gets
// which buttons, live updates from the event stream, the API's errors shown as they are, a revoked
// token ending the session, and every page usable (axe-core, 1280x800 and 390 px, light and dark).
// Screenshots of the pages go to dist/console-screenshots/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient, isServiceError } from '../../coordinator/src/client/coordinator-client.js';
import { horizontalOverflow, launchBrowser, NARROW, screenshot, seriousViolations, signIn, userContext } from '../harness/browser.js';
import { startConsoleCoordinator, type ConsoleCoordinator } from '../harness/console-coordinator.js';

let dir: string;
let coord: ConsoleCoordinator;
let admin: CoordinatorClient;
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens: Record<string, { id: string; secret: string }> = {};
const ids: Record<string, string> = {};

async function user(name: string, role: 'ROLE_MEMBER' | 'ROLE_OBSERVER'): Promise<CoordinatorClient> {
  await admin.call('TenancyService', 'CreateUser', { name, role });
  const created = await admin.call('TenancyService', 'CreateToken', { user: name, description: 'console test' });
  tokens[name] = { id: created.token!.id, secret: created.secret };
  return new CoordinatorClient({ address: coord.process.address, caPem: coord.process.caPem, token: created.secret });
}

async function enlist(hostname: string, zone = ''): Promise<void> {
  const m = await admin.call('MachineService', 'EnlistMachine', {
    hostname,
    arch: 'amd64',
    cores: 8,
    memoryMib: 16384,
    tags: ['rack1'],
    zone,
    power: { driver: 'POWER_DRIVER_MANUAL' },
    ports: [{ mac: `52:54:00:aa:00:${(Object.keys(ids).length + 1).toString(16).padStart(2, '0')}` }],
    commission: true,
  });
  ids[hostname] = m.id;
}

async function as(name: string, options: Parameters<typeof userContext>[1] = {}): Promise<Page> {
  const context = await userContext(browser, options);
  contexts.push(context);
  return signIn(context, coord.url, name === 'admin' ? coord.process.adminToken : tokens[name]!.secret);
}

/** The hostnames in the machines table, sorted. */
async function rows(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const row of await page.locator('tbody tr[data-machine]').all()) names.push((await row.getAttribute('data-machine')) ?? '');
  return names.sort();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-console-roles-'));
  [coord, browser] = await Promise.all([startConsoleCoordinator(path.join(dir, 'coord')), launchBrowser()]);
  admin = new CoordinatorClient({ address: coord.process.address, caPem: coord.process.caPem, token: coord.process.adminToken });
  for (const name of ['m-free', 'm-spare', 'm-alice', 'm-bob']) await enlist(name, name === 'm-spare' ? 'z2' : '');
  const alice = await user('alice', 'ROLE_MEMBER');
  const bob = await user('bob', 'ROLE_MEMBER');
  await user('olga', 'ROLE_OBSERVER');
  await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'm-alice' } });
  await bob.call('MachineService', 'AllocateMachine', { constraints: { name: 'm-bob' } });
  alice.close();
  bob.close();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  admin?.close();
  await coord?.process.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('console: roles and visibility', () => {
  it('shows a member only its machines and free ones, with the actions a member has', async () => {
    const page = await as('alice');
    await page.locator('tbody tr[data-machine]').first().waitFor();
    expect(await rows(page)).toEqual(['m-alice', 'm-free', 'm-spare']);
    await expect(page.getByRole('link', { name: 'Tenancy' }).count()).resolves.toBe(0);
    // The row of its own machine says so; the free ones say free.
    await expect(page.locator('tr[data-machine="m-alice"] td').nth(3).textContent()).resolves.toBe('alice');
    await expect(page.locator('tr[data-machine="m-free"] td').nth(3).textContent()).resolves.toBe('free');
    // Its own allocated machine offers deploy and release; a free one offers allocate.
    await page.getByRole('link', { name: 'm-alice' }).click();
    await page.getByRole('heading', { name: 'Actions' }).waitFor();
    await expect(page.getByRole('button', { name: 'Deploy' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Release' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Reserve' }).count()).resolves.toBe(0);
    // The filters narrow the list in the API; the counts per status stay those of all the member
    // may see (from the API too, not counted from the page shown).
    await page.goto(`${coord.url}machines?owner=alice`);
    await page.locator('tr[data-machine="m-alice"]').waitFor();
    expect(await rows(page)).toEqual(['m-alice']);
    await page.goto(`${coord.url}machines?zone=z2&tags=rack1&reserved=-`);
    await page.locator('tr[data-machine="m-spare"]').waitFor();
    expect(await rows(page)).toEqual(['m-spare']);
    const counts = page.getByTestId('status-counts');
    await expect(counts.locator('li').allTextContents()).resolves.toEqual(['READY 2', 'ALLOCATED 1', 'of 3 you can see; 1 on this page']);
    await page.goto(`${coord.url}machines?tags=rack1,gpu`);
    await page.getByText('No machines match.').waitFor();
    await expect(counts.locator('li').last().textContent()).resolves.toBe('of 3 you can see; 0 on this page');
  });

  it('shows an observer everything and no action button anywhere', async () => {
    const page = await as('olga');
    await page.locator('tr[data-machine="m-bob"]').waitFor();
    expect(await rows(page)).toEqual(['m-alice', 'm-bob', 'm-free', 'm-spare']);
    for (const name of ['m-bob', 'm-free']) {
      await page.goto(`${coord.url}machines/${ids[name]}`);
      await page.getByRole('heading', { name: 'Hardware' }).waitFor();
      await expect(page.getByRole('heading', { name: 'Actions' }).count()).resolves.toBe(0);
      await expect(page.locator('main button').count()).resolves.toBe(0);
    }
    await page.goto(`${coord.url}agents`);
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Enrollment tokens' }).count()).resolves.toBe(0);
    await page.goto(`${coord.url}vm-hosts`);
    await page.getByText('No VM hosts.').waitFor();
    await expect(page.locator('main button').count()).resolves.toBe(0);
  });

  it('updates a member’s list live when an admin reserves a machine for it', async () => {
    const member = await as('alice');
    await member.locator('tr[data-machine="m-spare"]').waitFor();
    const reservedCell = member.locator('tr[data-machine="m-spare"] td').nth(4);
    expect(await reservedCell.textContent()).toBe('—');
    await member.evaluate('window.__sameDocument = true');

    const adminPage = await as('admin');
    await adminPage.goto(`${coord.url}machines/${ids['m-spare']}`);
    await adminPage.getByLabel('Name').fill('alice');
    await adminPage.getByRole('button', { name: 'Reserve', exact: true }).click();
    await adminPage.getByText('reserve: done').waitFor();

    // The member's page changes by itself: no reload (the marker set in the page survives).
    await member.locator('tr[data-machine="m-spare"] td', { hasText: 'user alice' }).waitFor({ timeout: 15_000 });
    expect(await member.evaluate('window.__sameDocument')).toBe(true);
  });

  it('shows the API’s own message when it refuses an action', async () => {
    const page = await as('alice');
    await page.goto(`${coord.url}machines/${ids['m-free']}`);
    await page.getByLabel('Annotation key').fill('team');
    await page.getByLabel('Value').fill('blue');
    await page.getByRole('button', { name: 'Annotate' }).click();
    const alert = page.locator('.actions [role="alert"]');
    await alert.waitFor();
    // The same call over gRPC, refused the same way: the page shows that message and code.
    const alice = new CoordinatorClient({ address: coord.process.address, caPem: coord.process.caPem, token: tokens['alice']!.secret });
    const refusal = await alice.call('MachineService', 'AnnotateMachine', { machine: ids['m-free']!, set: { team: 'blue' } }).then(
      () => null,
      (e: unknown) => (isServiceError(e) ? e.details : String(e)),
    );
    alice.close();
    expect(refusal).toBeTruthy();
    expect(await alert.textContent()).toBe(`${refusal} (FAILED_PRECONDITION)`);
  });

  it('passes axe on every page, at 1280x800 and 390 px, in light and dark; screenshots each page', async () => {
    const context = await userContext(browser);
    contexts.push(context);
    const signInPage = await context.newPage();
    await signInPage.goto(coord.url);
    await signInPage.getByLabel('API token').waitFor();
    expect(await seriousViolations(signInPage)).toEqual([]);
    await screenshot(signInPage, 'sign-in');
    await signInPage.close();

    const pages: { name: string; url: string; ready: (p: Page) => Promise<void> }[] = [
      { name: 'machines', url: 'machines', ready: (p) => p.locator('tr[data-machine="m-bob"]').waitFor() },
      { name: 'machine', url: `machines/${ids['m-alice']}`, ready: (p) => p.getByRole('heading', { name: 'Events' }).waitFor() },
      { name: 'agents', url: 'agents', ready: (p) => p.getByRole('heading', { name: 'Enrollment tokens' }).waitFor() },
      { name: 'vm-hosts', url: 'vm-hosts', ready: (p) => p.getByRole('heading', { name: 'Add a VM host' }).waitFor() },
      { name: 'tenancy', url: 'tenancy', ready: (p) => p.getByRole('heading', { name: 'Pools and reservation rules' }).waitFor() },
    ];
    for (const variant of [
      { label: 'light 1280', options: {} },
      { label: 'dark 1280', options: { colorScheme: 'dark' as const } },
      { label: 'light 390', options: { viewport: NARROW } },
    ]) {
      const page = await as('admin', variant.options);
      for (const p of pages) {
        await page.goto(`${coord.url}${p.url}`);
        await p.ready(page);
        expect(await seriousViolations(page), `${p.name} ${variant.label}`).toEqual([]);
        // A narrow screen scrolls tables inside their own box, never the whole page sideways.
        if (variant.options.viewport) expect(await horizontalOverflow(page), `${p.name} ${variant.label}`).toBeLessThanOrEqual(0);
        // The agents and VM hosts pages are shot where they have something to show (console-deploy, console-vmhost).
        if (variant.label === 'light 1280' && !['agents', 'vm-hosts'].includes(p.name)) await screenshot(page, p.name);
        if (variant.label !== 'light 1280' && p.name === 'machines') await screenshot(page, `machines-${variant.label.replace(' ', '-')}`);
      }
      if (variant.label === 'dark 1280')
        // The system's dark theme is followed: a dark page background.
        expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    }
  });

  it('ends the session in the page when the token is revoked', async () => {
    const page = await as('bob');
    await page.locator('tr[data-machine="m-bob"]').waitFor();
    await admin.call('TenancyService', 'RevokeToken', { id: tokens['bob']!.id });
    // The event stream is closed by the coordinator; the page finds the session gone and asks for a token.
    await page.getByLabel('API token').waitFor({ timeout: 15_000 });
    await page.getByText(/session ended/i).waitFor();
    // And the cookie no longer opens anything.
    const status = await page.evaluate(`fetch('/api/session').then((r) => r.status)`);
    expect(status).toBe(401);
  });

  it('reloads a page that could not resume its event stream (a resync frame: the events it missed were pruned)', async () => {
    // The event stream is stood in for by the browser's own routing, so that no real event reaches
    // the page: each answer ends at once and the page's EventSource reconnects 200 ms later, until
    // the stand-in answers as the coordinator does for a resume point the retention pruned.
    const context = await userContext(browser);
    contexts.push(context);
    let answered = 0;
    let resync = false;
    await context.route('**/api/events**', async (route) => {
      answered++;
      const frames = resync
        ? 'retry: 200\n\nevent: resync\ndata: {"message":"since_seq 1: the events through seq 9 were pruned"}\n\n'
        : 'retry: 200\n\n';
      await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: frames });
    });
    const page = await signIn(context, coord.url, tokens['alice']!.secret);
    const reserved = page.locator('tr[data-machine="m-free"] td').nth(4);
    await reserved.waitFor();
    expect(await reserved.textContent()).toBe('—');
    await page.evaluate('window.__sameDocument = true');

    await admin.call('MachineService', 'ReserveMachine', { machine: 'm-free', holder: { kind: 'user', user: 'alice' } });
    // Reconnecting alone does not reload: two more answers without a resync, and the row is as it was.
    const seen = answered;
    while (answered < seen + 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await reserved.textContent()).toBe('—');

    resync = true;
    await page.locator('tr[data-machine="m-free"] td', { hasText: 'user alice' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await admin.call('MachineService', 'UnreserveMachine', { machine: 'm-free' });
  });

  it('signs in only with a valid token, showing the API’s message otherwise', async () => {
    const context = await userContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(coord.url);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/\(UNAUTHENTICATED\)$/);
    // Keyboard only: the token field, then the button, submit with Enter.
    await page.getByLabel('API token').fill(tokens['olga']!.secret);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Machines' }).waitFor();
    // The first Tab reaches the skip link; following it puts the focus on the page's main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
  });
});
