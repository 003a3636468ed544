// The client's lifecycle is one guarded state machine: a close() made while an event is being
// announced is final, and closing while backing off leaves no reconnect timer behind.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import { TimerWatch } from '../shared/timer-watch.js';
import { LifecycleLog } from './events.js';

const RECONNECT = { initialMs: 20, maxMs: 80 };
let ovs: OvsInstance;
let watch: TimerWatch | undefined;
const clients: OvsdbClient[] = [];

beforeAll(async () => {
  ovs = await OvsInstance.start();
});

afterEach(() => {
  watch?.stop();
  watch = undefined;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await ovs?.stop();
});

function later(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('OvsdbClient lifecycle', () => {
  it('stays closed when a listener closes it on disconnect: no reconnecting, no reconnect once the server is back', async () => {
    const client = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: RECONNECT });
    clients.push(client);
    const log = new LifecycleLog(client);
    client.on('lifecycle', (e) => {
      if (e.type === 'disconnected') client.close();
    });
    await ovs.killServer('SIGKILL');
    await log.next('closed');
    await ovs.startServer();
    // Several reconnect delays pass with the server up again: a client still retrying would be back.
    await later(10 * RECONNECT.maxMs);
    expect(log.types).toEqual(['disconnected', 'closed']);
    expect(client.state).toBe('closed');
  });

  it('with reconnect off, a lost connection is announced, then closed', async () => {
    const client = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: false });
    clients.push(client);
    const log = new LifecycleLog(client);
    await ovs.killServer('SIGKILL');
    await log.next('closed');
    await ovs.startServer();
    expect(log.types).toEqual(['disconnected', 'closed']);
  });

  it('closed while backing off, it leaves no timer and says nothing more', async () => {
    watch = new TimerWatch();
    const client = new OvsdbClient({ remote: `unix:${path.join(ovs.dir, 'nobody-listens.sock')}`, reconnect: RECONNECT });
    clients.push(client);
    const log = new LifecycleLog(client);
    client.start();
    await log.next('reconnecting');
    const second = log.events.length;
    await log.next('reconnecting', second);
    expect(client.state).toBe('backoff');
    client.close();
    expect(await watch.pending()).toBe(0);
    const seen = log.events.length;
    await later(4 * RECONNECT.maxMs);
    expect(log.events.length).toBe(seen);
    expect(log.types.at(-1)).toBe('closed');
    expect(log.types.slice(0, -1).every((t) => t === 'reconnecting')).toBe(true);
  });
});
