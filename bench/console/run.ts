// npm run bench:console -- [--machines N] [--loads L] [--json]
// Time to first content of each console page at fleet size (issue 17: "no page slower than 300 ms
// to first content with 10k machines"). A benchmark, not a test: it reports, it asserts nothing.
//
// The fleet goes straight into the coordinator's LMDB store before the daemon starts (through the
// store's own MachineTable, as bench/alloc/member-list.ts does: enlisting 10k machines over gRPC
// would be most of the run); then the coordinator runs as its own process, as deployed, and
// headless Chromium (Debian's, driven by playwright-core) signs in as the admin and as a member
// and opens each page L times, each a full navigation with a warm HTTP cache (the bundle is not
// what is measured; the data is).
//
// First content: from navigation start (performance.timeOrigin) to the moment the page shows its
// data: a MutationObserver installed before any page script records performance.now() when the
// page's content first matches (pageReady below): the machines table with a machine row, a
// machine's heading with its status, the others' heading with their loading note gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { loadConfig } from '../../coordinator/src/config.js';
import { Coordinator } from '../../coordinator/src/coordinator.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Holder, Machine, MachineStatus } from '../../coordinator/src/machines/machine.js';
import { launchBrowser, signIn, userContext } from '../../test/harness/browser.js';
import { startConsoleCoordinator } from '../../test/harness/console-coordinator.js';
import { machineRecord } from '../../test/harness/machine-record.js';
import { benchOptions, runBench, wholeNumber } from '../shared/cli.js';

const BENCH = {
  name: 'console',
  usage: '[--machines N] [--loads L] [--waterfall] [--json]\n(see the comment at the top of bench/console/run.ts)',
};

const { values, MACHINES, LOADS } = benchOptions(
  BENCH,
  {
    machines: { type: 'string', default: '10000' },
    loads: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    // Print the last load's request waterfall of each page (where the time to first content goes).
    waterfall: { type: 'boolean', default: false },
  },
  (values) => ({
    values,
    // The member's machine page opens machine 12, the first it owns (fleetMachine).
    MACHINES: wholeNumber(values.machines, '--machines', 20, 1_000_000),
    LOADS: wholeNumber(values.loads, '--loads', 1, 1000),
  }),
);
const BUDGET_MS = 300;
const MEMBER = 'bench-member';
const GROUP = 'bench-group';
const FILL_BATCH = 5000;

const log = (line: string): void => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

/**
 * A busy fleet: 60% owned by other members, 5% by the benchmark's member, 10% reserved (for the
 * member's group or another), the rest free; 4 zones, a few tags. Deterministic, by index.
 */
function fleetMachine(i: number): Machine {
  const slot = i % 20;
  let owner: string | null = null;
  let reservedFor: Holder | null = null;
  let status: MachineStatus = 'READY';
  if (slot < 12) {
    owner = `member-${i % 97}`;
    status = i % 3 === 0 ? 'DEPLOYED' : 'ALLOCATED';
  } else if (slot === 12) {
    owner = MEMBER;
    status = 'DEPLOYED';
  } else if (slot === 13) {
    reservedFor = { kind: 'group', name: GROUP };
  } else if (slot === 14) {
    reservedFor = { kind: 'user', name: `member-${i % 97}` };
  } else if (slot === 19) {
    status = i % 2 === 0 ? 'BROKEN' : 'NEW';
  }
  return machineRecord(`m-${i.toString(16).padStart(12, '0')}`, {
    hostname: `fleet-${i}`,
    cores: 32,
    memoryMib: 131072,
    tags: i % 4 === 0 ? ['gpu', 'nvme'] : ['nvme'],
    zone: `z${i % 4}`,
    status,
    owner,
    reservedFor,
    powerState: status === 'DEPLOYED' ? 'on' : 'off',
    ports: [{ mac: macOf(i), isSmartNic: false, smartNicAgentId: null, smartNicPortId: null, sshPublicKey: null, ovsdbCaCert: null }],
    commissioned: status !== 'NEW',
  });
}

function macOf(i: number): string {
  return `52:54:00:${[16, 8, 0].map((shift) => ((i >> shift) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
}

async function fill(dataDir: string): Promise<number> {
  const config = loadConfig({
    flags: { dataDir, listen: '127.0.0.1:0', metricsListen: 'off', consoleListen: 'off', logLevel: 'silent' },
    env: {},
  });
  const coordinator = await Coordinator.create(config, { logger: createLogger('silent') });
  const started = performance.now();
  try {
    const table = coordinator.machines.table();
    for (let from = 0; from < MACHINES; from += FILL_BATCH) {
      await coordinator.store.write(() => {
        for (let i = from; i < Math.min(MACHINES, from + FILL_BATCH); i++) table.save(null, fleetMachine(i));
      });
    }
  } finally {
    await coordinator.close();
  }
  return (performance.now() - started) / 1000;
}

// Runs in the page before its own scripts (page-side code is source text: the root tsconfig has no DOM types).
const FIRST_CONTENT_OBSERVER = `(() => {
  const ready = () => {
    const main = document.querySelector('main');
    if (!main || !main.querySelector('h1')) return false;
    if ([...main.querySelectorAll('[aria-live="polite"]')].some((e) => (e.textContent || '').startsWith('Loading'))) return false;
    const path = location.pathname;
    if (path === '/machines' || path === '/') return main.querySelector('tbody tr[data-machine]') !== null;
    if (path.startsWith('/machines/')) return main.querySelector('h1 .badge') !== null;
    return true;
  };
  const observer = new MutationObserver(() => {
    if (window.__firstContent === undefined && ready()) {
      window.__firstContent = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

interface PageResult {
  readonly user: string;
  readonly page: string;
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly samplesMs: number[];
  /** Of the slowest load: its slowest API call before first content (a session or RPC request) and how long it took. */
  readonly slowestCall: string;
  readonly slowestCallMs: number;
  /**
   * Of the slowest load: first content after the session check answered, i.e. the page's own
   * calls and rendering; the rest is the shell (document, bundle, GET /api/session).
   */
  readonly dataMs: number;
  /** An error note the page showed (the API refused something), or ''. */
  readonly error: string;
}

// The slowest /api request that ended before first content, from the page's resource timings.
const SLOWEST_CALL = `(() => {
  let slowest = { name: '', ms: 0 };
  for (const e of performance.getEntriesByType('resource')) {
    if (!e.name.includes('/api/') || e.responseEnd > window.__firstContent || e.duration <= slowest.ms) continue;
    slowest = { name: new URL(e.name).pathname, ms: e.duration };
  }
  const session = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/session');
  return { ...slowest, afterSession: session ? window.__firstContent - session.responseEnd : 0 };
})()`;

// The load's requests: start and end after navigation start, and first content.
const WATERFALL = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const rows = [['document', 0, Math.round(nav.responseEnd)]];
  for (const e of performance.getEntriesByType('resource'))
    rows.push([new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)]);
  rows.push(['first content', Math.round(window.__firstContent), Math.round(window.__firstContent)]);
  return rows.map(([name, start, end]) => '    ' + String(start).padStart(5) + ' -> ' + String(end).padStart(5) + '  ' + name).join('\\n');
})()`;

interface Loads {
  samples: number[];
  error: string;
  slowestCall: { name: string; ms: number; afterSession: number };
}

async function timeLoads(page: Page, url: string, loads: number): Promise<Loads> {
  const samples: number[] = [];
  let slowestCall = { name: '', ms: 0, afterSession: 0 };
  for (let i = 0; i < loads; i++) {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction('window.__firstContent !== undefined', undefined, { timeout: 30_000 });
    const first = Number(await page.evaluate('window.__firstContent'));
    if (first >= Math.max(0, ...samples)) slowestCall = await page.evaluate<Loads['slowestCall']>(SLOWEST_CALL);
    samples.push(first);
  }
  if (values.waterfall && loads > 1) log(await page.evaluate<string>(WATERFALL));
  const error = (await page.locator('main [role="alert"]').allTextContents()).join(' ').trim();
  return { samples, error, slowestCall };
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-bench-console-'));
  let coordinator: Awaited<ReturnType<typeof startConsoleCoordinator>> | null = null;
  const browser = await launchBrowser();
  try {
    log(`filling the store with ${MACHINES} machines`);
    const fillSeconds = await fill(dataDir);
    coordinator = await startConsoleCoordinator(dataDir);
    const admin = new CoordinatorClient({
      address: coordinator.process.address,
      caPem: coordinator.process.caPem,
      token: coordinator.process.adminToken,
    });
    await admin.call('TenancyService', 'CreateGroup', { name: GROUP });
    await admin.call('TenancyService', 'CreateUser', { name: MEMBER, role: 'ROLE_MEMBER' });
    await admin.call('TenancyService', 'AddGroupMember', { group: GROUP, user: MEMBER });
    const memberToken = (await admin.call('TenancyService', 'CreateToken', { user: MEMBER, description: 'bench' })).secret;
    admin.close();

    const ownMachine = fleetMachine(12).id;
    const anyMachine = fleetMachine(1).id;
    const users = [
      {
        name: 'admin',
        token: coordinator.process.adminToken,
        pages: { machines: 'machines', machine: `machines/${anyMachine}`, agents: 'agents', 'vm-hosts': 'vm-hosts', tenancy: 'tenancy' },
      },
      {
        name: 'member',
        token: memberToken,
        pages: { machines: 'machines', machine: `machines/${ownMachine}`, agents: 'agents', 'vm-hosts': 'vm-hosts' },
      },
    ];
    const results: PageResult[] = [];
    for (const user of users) {
      const context = await userContext(browser);
      await context.addInitScript(FIRST_CONTENT_OBSERVER);
      const page = await signIn(context, coordinator.url, user.token);
      for (const [name, path] of Object.entries(user.pages)) {
        // One unmeasured load first: the bundle in the HTTP cache, the coordinator's code paths warm.
        await timeLoads(page, `${coordinator.url}${path}`, 1).catch(() => undefined);
        const { samples, error, slowestCall } = await timeLoads(page, `${coordinator.url}${path}`, LOADS);
        const result = {
          user: user.name,
          page: name,
          p50Ms: median(samples),
          maxMs: Math.max(...samples),
          samplesMs: samples,
          slowestCall: slowestCall.name,
          slowestCallMs: Math.round(slowestCall.ms),
          dataMs: Math.round(slowestCall.afterSession),
          error,
        };
        results.push(result);
        const note = error ? ` (${error})` : '';
        log(`${user.name.padEnd(8)}${name.padEnd(10)}p50 ${result.p50Ms.toFixed(0)} ms, max ${result.maxMs.toFixed(0)} ms${note}`);
      }
      await context.close();
    }
    const summary = {
      machines: MACHINES,
      loads: LOADS,
      budgetMs: BUDGET_MS,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      pages: results.map((r) => ({
        ...r,
        p50Ms: Math.round(r.p50Ms),
        maxMs: Math.round(r.maxMs),
        samplesMs: r.samplesMs.map(Math.round),
        withinBudget: r.maxMs <= BUDGET_MS,
      })),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const rows = summary.pages.map((r) => [
      r.user,
      r.page,
      String(r.p50Ms),
      String(r.maxMs),
      r.withinBudget ? 'yes' : 'NO',
      String(r.dataMs),
      `${r.slowestCall} ${r.slowestCallMs}`,
      r.error,
    ]);
    const headers = ['USER', 'PAGE', 'P50 MS', 'MAX MS', `<= ${BUDGET_MS} MS`, 'DATA MS', 'SLOWEST API CALL (MS)', 'ERROR'];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    process.stdout.write(`time to first content, ${MACHINES} machines, ${LOADS} loads per page\n`);
    process.stdout.write('(DATA MS and the slowest API call: of the slowest load, after GET /api/session answered)\n');
    process.stdout.write(`${[line(headers), ...rows.map(line)].join('\n')}\n`);
  } finally {
    await browser.close();
    await coordinator?.process.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(BENCH, main);
