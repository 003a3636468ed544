// The coordinator says where it listens in plain text: one line on stderr once the gRPC server is
// bound (stdout stays JSON log lines), with the bound port, and for a wildcard address which of the
// host's addresses that covers. The built coordinator runs as a process; the line is read off its stderr.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenBanner } from '../../coordinator/src/listen-banner.js';
import { COORDINATOR_MAIN } from '../harness/coordinator-process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-listen-banner-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/**
 * Starts the coordinator, waits for its stderr banner (and, unless silent, its JSON "coordinator
 * listening" line), stops it. The port is the one the JSON line names, or the banner's when silent.
 */
async function startAndRead(name: string, args: string[], silent = false): Promise<{ banner: string; stdout: string[]; port: number }> {
  const child = spawn(process.execPath, [COORDINATOR_MAIN, '--data-dir', path.join(dir, name), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  try {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        // Whole lines only: a chunk may end mid-line.
        const banner = stderr
          .split('\n')
          .slice(0, -1)
          .find((l) => l.startsWith('mooring-coordinator: listening on'));
        const listening = stdout
          .split('\n')
          .slice(0, -1)
          .find((l) => l.includes('coordinator listening'));
        if (banner === undefined || (listening === undefined && !silent)) return;
        const port = listening === undefined ? Number(/:(\d+) \(gRPC/.exec(banner)?.[1]) : (JSON.parse(listening) as { port: number }).port;
        resolve({ banner, stdout: stdout.split('\n').filter(Boolean), port });
      };
      child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), check()));
      child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
      child.once('exit', (code) => reject(new Error(`coordinator exited with ${code}: ${stderr}`)));
      // Generous for a loaded machine; the banner follows the JSON line within the same tick.
      setTimeout(() => reject(new Error(`no listen banner on stderr within 60 s; stderr: ${stderr}`)), 60_000).unref();
    });
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the listen banner', () => {
  it('names the wildcard address, the bound port and the IPv4 addresses it covers', async () => {
    const { banner, stdout, port } = await startAndRead('wild', ['--listen', '0.0.0.0:0', '--log-level', 'warn']);
    expect(port).toBeGreaterThan(0);
    expect(banner).toContain(`mooring-coordinator: listening on 0.0.0.0:${port} (gRPC over TLS): every IPv4 address of this host (`);
    expect(banner).toContain('127.0.0.1');
    expect(banner).toContain('--listen HOST:PORT narrows it');
    expect(banner).toContain(`data in ${path.join(dir, 'wild')}`);
    // stdout stays machine-readable: every line is JSON.
    for (const line of stdout) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('names a specific address as it is, at any log level', async () => {
    const { banner, port } = await startAndRead('lo', ['--listen', '127.0.0.1:0', '--log-level', 'silent'], true);
    expect(port).toBeGreaterThan(0);
    expect(banner).toBe(`mooring-coordinator: listening on 127.0.0.1:${port} (gRPC over TLS); data in ${path.join(dir, 'lo')}`);
  });

  it('formats IPv6, dual-stack and unreadable interfaces', () => {
    const interfaces = networkInterfaces();
    expect(listenBanner({ host: '::1', port: 7443, dataDir: '/d', interfaces })).toBe(
      'mooring-coordinator: listening on [::1]:7443 (gRPC over TLS); data in /d',
    );
    const lo = {
      lo: [
        { address: '127.0.0.1', family: 'IPv4' },
        { address: '::1', family: 'IPv6' },
      ],
    } as unknown as typeof interfaces;
    expect(listenBanner({ host: '::', port: 7443, dataDir: '/d', interfaces: lo })).toBe(
      'mooring-coordinator: listening on [::]:7443 (gRPC over TLS): every IPv6 and IPv4 address of this host (127.0.0.1, ::1); ' +
        '--listen HOST:PORT narrows it; data in /d',
    );
    expect(listenBanner({ host: '0.0.0.0', port: 7443, dataDir: '/d', interfaces: null })).toContain(
      'every IPv4 address of this host (its addresses could not be read)',
    );
  });
});
