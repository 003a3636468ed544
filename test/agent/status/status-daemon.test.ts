// The status endpoint of the real agent daemon (node dist/agent/src/main.js run, no OVSDB or
// coordinator needed): statusAllowedHosts reaches the Host check, and under a flood of 2000 idle
// and half-sent connections, with the process's open-file limit lowered as a unit's LimitNOFILE
// would (prlimit on the running agent), the agent stays below the limit and /healthz answers 200.
// Before the connection cap, the flood used up the descriptors and /healthz was reset.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../../harness/agent-process.js';
import { DEFAULT_STATUS_LIMITS } from '../../../agent/src/status/status-server.js';
import { openFileLimit, openFiles, rawConnect, request, type RawClient } from './status-fixtures.js';

let dir: string;
let agent: AgentProcess;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-status-daemon-'));
  agent = await AgentProcess.start({
    dataDir: dir,
    ovsdbRemote: `unix:${path.join(dir, 'no-ovs.sock')}`,
    extraArgs: ['--status-allowed-hosts', 'nic7.lab.example', '--log-level', 'info'],
  });
  port = Number(new URL(agent.statusUrl).port);
});

afterAll(async () => {
  await agent?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Polls until pred() holds; fails after limitMs (a bound for the test, not a speed claim). */
async function until(pred: () => boolean, limitMs: number, what: () => string): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('mooring-agent status endpoint', () => {
  it('answers a statusAllowedHosts name and refuses a rebinding Host with 421', async () => {
    expect((await request(`${agent.statusUrl}/healthz`, { headers: { Host: `nic7.lab.example:${port}` } })).status).toBe(200);
    const evil = await request(`${agent.statusUrl}/status`, { headers: { Host: `evil.example:${port}` } });
    expect(evil.status).toBe(421);
    expect(evil.body).toContain('statusAllowedHosts');
  });

  it('keeps /healthz answering under a flood of idle and half-sent connections with a lowered descriptor limit', async () => {
    const pid = agent.child.pid!;
    const n = 2000;
    expect(openFileLimit()).toBeGreaterThan(n + 500); // the test's own sockets
    const max = DEFAULT_STATUS_LIMITS.maxConnections;
    // Room for the agent's own files, the held connections and a little more; far below n.
    const base = openFiles(pid);
    const limit = base + max + 80;
    await promisify(execFile)('prlimit', ['--pid', String(pid), `--nofile=${limit}:${limit}`]);
    expect(openFileLimit(pid)).toBe(limit);

    const flood: RawClient[] = [];
    let closedByServer = 0;
    let peakFiles = 0;
    try {
      for (let opened = 0; opened < n;) {
        // Batches below the listen backlog, so every connect reaches the agent rather than queueing in the kernel.
        for (const end = Math.min(n, opened + 100); opened < end; opened++) {
          const c = rawConnect(port);
          if (opened % 2 === 1) c.socket.once('connect', () => c.socket.write(`GET /status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
          void c.closed.then(() => closedByServer++);
          flood.push(c);
        }
        await until(
          () => closedByServer >= opened - max,
          30_000,
          () => `the agent to hold at most ${max} of ${opened} connections (closed ${closedByServer})`,
        );
        peakFiles = Math.max(peakFiles, openFiles(pid));
      }
      expect(peakFiles).toBeLessThan(limit);

      const health = await request(`${agent.statusUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(health.body).toBe('ok\n');
      const metrics = await request(`${agent.statusUrl}/metrics`);
      const evicted = Number(/^mooring_agent_status_refused_total\{reason="evicted"\} (\d+)$/m.exec(metrics.body)?.[1]);
      expect(evicted).toBeGreaterThanOrEqual(n - max);
      expect(agent.lines.some((l) => l.msg === 'status endpoint at its connection limit: closed the longest-waiting connection')).toBe(
        true,
      );
    } finally {
      for (const c of flood) c.socket.destroy();
      await Promise.all(flood.map((c) => c.closed));
    }
    await until(
      () => openFiles(pid) <= base + 5,
      10_000,
      () => `the agent to close the flood's sockets (${openFiles(pid)} open, ${base} before)`,
    );
  });
});
