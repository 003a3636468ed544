// Remotes (ovsdb(7) active connection methods) and what the client does when none answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRemote, openStream, parseRemote } from '../../../proto/ovsdb/transport.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { ClientClosedError, NotConnectedError } from '../../../proto/ovsdb/errors.js';
import { LifecycleLog } from './events.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-transport-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseRemote / formatRemote', () => {
  it.each([
    ['unix:/run/openvswitch/db.sock', { kind: 'unix', path: '/run/openvswitch/db.sock' }],
    ['tcp:127.0.0.1:6641', { kind: 'tcp', host: '127.0.0.1', port: 6641 }],
    ['tcp:10.0.0.1', { kind: 'tcp', host: '10.0.0.1', port: 6640 }],
    ['ssl:ovsdb.example:6640', { kind: 'ssl', host: 'ovsdb.example', port: 6640 }],
    ['ssl:[::1]:6642', { kind: 'ssl', host: '::1', port: 6642 }],
  ])('parses %s and formats it back', (text, remote) => {
    expect(parseRemote(text)).toEqual(remote);
    const canonical = text === 'tcp:10.0.0.1' ? 'tcp:10.0.0.1:6640' : text;
    expect(formatRemote(parseRemote(text))).toBe(canonical);
  });

  it.each([
    ['unix:', /needs a socket path/],
    ['tcp:', /expected tcp:HOST\[:PORT\]/],
    ['tcp:host:0', /port must be 1-65535/],
    ['tcp:host:70000', /port must be 1-65535/],
    ['punix:/tmp/x', /expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT/],
    ['/run/openvswitch/db.sock', /expected unix:PATH/],
  ])('rejects %j naming the problem', (text, pattern) => {
    expect(() => parseRemote(text)).toThrow(pattern);
  });
});

describe('connecting to nothing', () => {
  it('openStream fails with the remote and the cause in the message', async () => {
    const missing = path.join(dir, 'missing.sock');
    await expect(openStream({ kind: 'unix', path: missing }, undefined, 2000)).rejects.toThrow(
      `OVSDB connect to unix:${missing} failed: connect ENOENT`,
    );
  });

  it('connect() rejects and leaves the client closed when the first attempt fails', async () => {
    const remote = `unix:${path.join(dir, 'nobody.sock')}`;
    await expect(OvsdbClient.connect({ remote })).rejects.toThrow(/ENOENT/);
  });

  it('start() keeps retrying with backoff; waitConnected() is bounded; close() ends it', async () => {
    const client = new OvsdbClient({ remote: `unix:${path.join(dir, 'later.sock')}`, reconnect: { initialMs: 20, maxMs: 40 } });
    const log = new LifecycleLog(client);
    expect(client.state).toBe('idle');
    client.start();
    await log.next('reconnecting');
    const second = log.events.length;
    await log.next('reconnecting', second);
    const attempts = log.events.flatMap((e) => (e.type === 'reconnecting' ? [e] : []));
    expect(attempts.map((a) => a.attempt).slice(0, 2)).toEqual([1, 2]);
    expect(attempts.every((a) => a.delayMs <= 40 && /ENOENT/.test(a.cause?.message ?? ''))).toBe(true);
    await expect(client.listDbs()).rejects.toBeInstanceOf(NotConnectedError);
    await expect(client.waitConnected(100)).rejects.toBeInstanceOf(NotConnectedError);
    const waiting = client.waitConnected(10_000);
    client.close();
    await expect(waiting).rejects.toBeInstanceOf(ClientClosedError);
    expect(client.state).toBe('closed');
    expect(log.types.at(-1)).toBe('closed');
    await expect(client.listDbs()).rejects.toBeInstanceOf(ClientClosedError);
  });
});
