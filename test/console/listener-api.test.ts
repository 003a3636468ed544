// The console's listener: consoleListen in the config, the pages served over HTTPS with the
// coordinator's certificate (content types, cache headers, the index.html fallback), and the
// daemon printing where the console is, refusing a taken address by name, and serving none when off.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { startCoordinatorProcess } from '../harness/coordinator-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mooring-console-listener-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('consoleListen', () => {
  it('is 127.0.0.1:7480 by default, HOST:PORT from file, environment or flag, or "off"', () => {
    expect(loadConfig({ flags: {}, env: {} }).consoleListen).toEqual({ host: '127.0.0.1', port: 7480 });
    const file = path.join(dir, 'coordinator.yaml');
    writeFileSync(file, 'consoleListen: 10.0.0.1:8443\n');
    expect(loadConfig({ flags: { config: file }, env: {} }).consoleListen).toEqual({ host: '10.0.0.1', port: 8443 });
    expect(loadConfig({ flags: { config: file }, env: { MOORING_CONSOLE_LISTEN: '[::1]:9443' } }).consoleListen).toEqual({
      host: '::1',
      port: 9443,
    });
    expect(loadConfig({ flags: { consoleListen: 'off' }, env: { MOORING_CONSOLE_LISTEN: '[::1]:9443' } }).consoleListen).toBeNull();
    expect(() => loadConfig({ flags: { consoleListen: '7480' }, env: {} })).toThrow(
      new ConfigError('flags: consoleListen: expected HOST:PORT or "off"'),
    );
    expect(() => loadConfig({ flags: { consoleListen: '127.0.0.1:70000' }, env: {} })).toThrow(
      new ConfigError('consoleListen: port 70000 is out of range'),
    );
  });
});

describe('the pages', () => {
  let f: CoordinatorFixture;
  let agent: Agent;
  const pages = path.join(dir, 'pages');

  beforeAll(async () => {
    mkdirSync(path.join(pages, 'assets'), { recursive: true });
    writeFileSync(path.join(pages, 'index.html'), '<!doctype html><title>Mooring</title><script src="/app.js"></script>\n');
    writeFileSync(path.join(pages, 'app.js'), 'console.log("mooring");\n');
    writeFileSync(path.join(pages, 'app.css'), 'body { margin: 0 }\n');
    writeFileSync(path.join(pages, 'assets', 'logo-7QK2M4XA.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the pages\n');
    f = await startCoordinator({ consoleDir: pages });
    agent = new Agent({ connect: { ca: f.caPem } });
  });
  afterAll(async () => {
    await agent?.destroy();
    await f?.close();
  });

  const get = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(new URL(p, f.coordinator.consoleUrl ?? ''), { method, headers, dispatcher: agent });

  it('serves each file with its content type over HTTPS with the CA-signed certificate', async () => {
    expect(f.coordinator.consoleUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Mooring</title>');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const js = await get('/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("mooring");\n');
    expect((await get('/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/assets/logo-7QK2M4XA.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('revalidates the page and unhashed assets, keeps hashed ones for a year, and answers a matching ETag 304', async () => {
    const index = await get('/index.html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const js = await get('/app.js');
    expect(js.headers.get('cache-control')).toBe('no-cache');
    const etag = js.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await get('/app.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const hashed = await get('/assets/logo-7QK2M4XA.svg');
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it("answers the pages' own routes with index.html, never a file outside the directory, and only GET and HEAD", async () => {
    for (const route of ['/machines', '/machines/web1.lab', '/agents/dpu-1']) {
      const page = await get(route);
      expect(page.status, route).toBe(200);
      expect(await page.text(), route).toContain('<title>Mooring</title>');
    }
    const climbing = await get('/%2e%2e/secret.txt');
    expect(await climbing.text()).not.toContain('outside the pages');
    const head = await get('/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log("mooring");\n'.length));
    const post = await get('/machines', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('the daemon', () => {
  it('prints the console URL, refuses a taken address naming --console-listen, and serves none when off', async () => {
    const running = await startCoordinatorProcess(path.join(dir, 'first'));
    let taken = 0;
    try {
      expect(running.consoleUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      taken = Number(new URL(running.consoleUrl ?? '').port);
      // The console answers there over TLS with the coordinator's CA.
      const agent = new Agent({ connect: { ca: running.caPem } });
      const session = await fetch(new URL('/api/session', running.consoleUrl ?? ''), { dispatcher: agent });
      expect(session.status).toBe(401);
      await agent.destroy();

      const refused = await startCoordinatorProcess(path.join(dir, 'taken'), {
        extraArgs: ['--console-listen', `127.0.0.1:${taken}`],
      }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(refused?.message).toContain('exited with 1 before listening');
      expect(refused?.message).toContain(`cannot serve the web console on 127.0.0.1:${taken}: the address is already in use`);
      expect(refused?.message).toContain('--console-listen');
    } finally {
      await running.kill('SIGTERM');
    }

    const off = await startCoordinatorProcess(path.join(dir, 'off'), { extraArgs: ['--console-listen', 'off'] });
    try {
      expect(off.consoleUrl).toBeNull();
    } finally {
      await off.kill('SIGTERM');
    }
    // The first coordinator gave its console port back when it stopped.
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(taken, '127.0.0.1', resolve));
    probe.close();
  });
});
