// The systemd notification sender (proto/shared/sd-notify.ts) against a real unix datagram
// receiver: settings from the environment, the message encoding, the order of READY, STATUS,
// watchdog pings and STOPPING, the abstract namespace, and a missing receiver.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, notifySettings, SystemdNotifier } from '../../proto/shared/sd-notify.js';
import { NotifySocket } from '../harness/notify-socket.js';

let dir: string;
const sockets: NotifySocket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-notify-'));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await rm(dir, { recursive: true, force: true });
});

function capturingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const log: Logger = pino({ level: 'debug' }, sink);
  return { log, lines };
}

async function listen(address: string): Promise<NotifySocket> {
  const s = await NotifySocket.listen(address);
  sockets.push(s);
  return s;
}

describe('notifySettings', () => {
  it('needs an absolute path or an abstract name', () => {
    expect(notifySettings({})).toBeNull();
    expect(notifySettings({ NOTIFY_SOCKET: '' })).toBeNull();
    expect(notifySettings({ NOTIFY_SOCKET: 'relative/notify' })).toBeNull();
    expect(notifySettings({ NOTIFY_SOCKET: '@' })).toBeNull();
    expect(notifySettings({ NOTIFY_SOCKET: '/run/systemd/notify' })).toEqual({
      socket: '/run/systemd/notify',
      watchdogUsec: null,
      watchdogIntervalMs: null,
    });
    expect(notifySettings({ NOTIFY_SOCKET: '@/org/example/notify' })?.socket).toBe('@/org/example/notify');
  });

  it('pings at half WATCHDOG_USEC, only when WATCHDOG_PID is unset or this process', () => {
    const base = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000' };
    expect(notifySettings(base, 42)).toMatchObject({ watchdogUsec: 30_000_000, watchdogIntervalMs: 15_000 });
    expect(notifySettings({ ...base, WATCHDOG_PID: '42' }, 42)).toMatchObject({ watchdogUsec: 30_000_000 });
    expect(notifySettings({ ...base, WATCHDOG_PID: '43' }, 42)).toMatchObject({ watchdogUsec: null, watchdogIntervalMs: null });
    expect(notifySettings({ ...base, WATCHDOG_USEC: 'soon' }, 42)).toMatchObject({ watchdogUsec: null });
    expect(notifySettings({ ...base, WATCHDOG_USEC: '0' }, 42)).toMatchObject({ watchdogUsec: null });
  });
});

describe('encodeMessage', () => {
  it('puts one message on one line and keeps control characters out of values', () => {
    expect(encodeMessage({ READY: '1', STATUS: 'ovsdb\nconnected\tnow' })).toBe('READY=1\x1fSTATUS=ovsdb connected now\n');
  });

  it('refuses a variable name systemd would not read', () => {
    expect(() => encodeMessage({ 'ready=1\nSTOPPING': '1' })).toThrow(/is not a notification variable name/);
  });
});

describe('SystemdNotifier', () => {
  it('does nothing without NOTIFY_SOCKET, and clears the watchdog variables either way', async () => {
    const env: Record<string, string | undefined> = { WATCHDOG_USEC: '1000000', WATCHDOG_PID: String(process.pid), PATH: '/usr/bin' };
    const n = SystemdNotifier.fromEnvironment(env, pino({ level: 'silent' }));
    expect(n.enabled).toBe(false);
    n.startWatchdog();
    n.ready('ready');
    n.stopping();
    await n.close();
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('sends READY, STATUS, watchdog pings and STOPPING in order from a child, over the abstract namespace', async () => {
    const receiver = await listen(`@mooring-test-${process.pid}-${Date.now()}`);
    const env: Record<string, string | undefined> = { ...receiver.env(200_000), WATCHDOG_PID: String(process.pid) };
    const n = SystemdNotifier.fromEnvironment(env, pino({ level: 'silent' }));
    expect(env['NOTIFY_SOCKET']).toBeUndefined();
    expect(n.enabled).toBe(true);
    n.startWatchdog();
    // Before READY=1 each ping extends the start timeout by WATCHDOG_USEC.
    await receiver.waitForCount(0, 2, (m) => m.fields['WATCHDOG'] === '1', 20_000, 'two pings before READY');
    n.ready('ready: all good');
    n.ready('ready: still good'); // READY=1 once; later calls are status lines
    const afterReady = receiver.messages.length;
    await receiver.waitForCount(afterReady, 2, (m) => m.fields['WATCHDOG'] === '1', 20_000, 'two pings after READY');
    n.stopping('stopping on SIGTERM');
    await n.close();
    await receiver.waitFor((m) => m.fields['STOPPING'] === '1', 20_000, 'STOPPING=1');

    const raws = receiver.messages.map((m) => m.raw);
    const readyAt = raws.indexOf('READY=1\nSTATUS=ready: all good');
    expect(readyAt).toBeGreaterThan(0);
    expect(raws.slice(0, readyAt).every((r) => r === 'WATCHDOG=1\nEXTEND_TIMEOUT_USEC=200000')).toBe(true);
    expect(raws).toContain('STATUS=ready: still good');
    expect(raws.filter((r) => r.includes('READY=1'))).toHaveLength(1);
    expect(
      raws
        .slice(readyAt + 1)
        .filter((r) => r.startsWith('WATCHDOG=1'))
        .every((r) => r === 'WATCHDOG=1'),
    ).toBe(true);
    expect(raws.at(-1)).toBe('STOPPING=1\nSTATUS=stopping on SIGTERM');
    // The sender is a long-lived child, not this process: hence NotifyAccess=all in the units.
    const senders = new Set(receiver.messages.map((m) => m.pid));
    expect(senders.size).toBe(1);
    expect(senders.has(process.pid)).toBe(false);
  });

  it('does not ping a watchdog meant for another pid', async () => {
    const receiver = await listen(path.join(dir, 'other-pid.sock'));
    const n = SystemdNotifier.fromEnvironment(
      { ...receiver.env(100_000), WATCHDOG_PID: String(process.pid + 1) },
      pino({ level: 'silent' }),
    );
    n.startWatchdog();
    n.ready('ready');
    n.stopping();
    await n.close();
    await receiver.waitFor((m) => m.fields['STOPPING'] === '1', 20_000, 'STOPPING=1');
    expect(receiver.messages.map((m) => m.raw)).toEqual(['READY=1\nSTATUS=ready', 'STOPPING=1\nSTATUS=stopping']);
  });

  it('logs, and keeps running, when nothing listens on NOTIFY_SOCKET', async () => {
    const { log, lines } = capturingLogger();
    const n = SystemdNotifier.fromEnvironment({ NOTIFY_SOCKET: path.join(dir, 'nobody.sock') }, log);
    n.ready('ready');
    await n.close();
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('systemd notification sender: send to'))).toBe(true);
  });
});
