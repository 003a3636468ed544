// The agent daemon whose status address is taken: it stops at start with one line naming the
// address, what EADDRINUSE means, the --status-listen option (and its config key and environment
// variable) and where the address came from. The built agent runs as a process against a port
// this test holds; no OVS is needed, the agent stops before it would connect.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_MAIN } from '../../harness/agent-process.js';

let dir: string;
let holder: net.Server;
let taken: string;

function runAgent(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AGENT_MAIN, 'run', '--data-dir', path.join(dir, 'agent'), '--ovsdb-remote', `unix:${path.join(dir, 'no-ovs.sock')}`, ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-status-taken-'));
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  taken = `127.0.0.1:${(holder.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => holder.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('status address taken', () => {
  it('stops with a message naming the address, EADDRINUSE and --status-listen (from the flag)', async () => {
    const r = await runAgent(['--status-listen', taken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `mooring-agent: status endpoint cannot listen on ${taken} (EADDRINUSE: another process, perhaps another mooring-agent, ` +
        `already listens there); choose another with --status-listen HOST:PORT (statusListen in the config file, ` +
        `MOORING_AGENT_STATUS_LISTEN in the environment); ${taken} came from flag --status-listen\n`,
    );
  });

  it('says so when the address came from the environment', async () => {
    const r = await runAgent([], { MOORING_AGENT_STATUS_LISTEN: taken });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot listen on ${taken} (EADDRINUSE`);
    expect(r.stderr).toContain(`choose another with --status-listen HOST:PORT`);
    expect(r.stderr).toContain(`${taken} came from env MOORING_AGENT_STATUS_LISTEN`);
  });
});
