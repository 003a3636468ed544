// The order in which an agent tries its coordinators: IP addresses as given, a DNS name expanded
// to each of its addresses (dialed by address, checked against the name), the next target after
// a failure, and a fresh resolution after the last. Resolution is injected as a function here
// (a table of names, standing in for DNS); one case uses the system resolver on "localhost".
import { describe, expect, it } from 'vitest';
import { CoordinatorRotation, systemResolver, type HostResolver } from '../../../agent/src/link/coordinator-rotation.js';
import { createLogger } from '../../../coordinator/src/logger.js';

const log = createLogger('silent');

function table(entries: Record<string, string[]>): { resolve: HostResolver; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve: (host) => {
      calls.push(host);
      const found = entries[host];
      return found ? Promise.resolve(found) : Promise.reject(new Error(`getaddrinfo ENOTFOUND ${host}`));
    },
  };
}

async function round(r: CoordinatorRotation, n: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    seen.push((await r.current()).label);
    r.advance();
  }
  return seen;
}

describe('CoordinatorRotation', () => {
  it('expands a name with several addresses into one target per address, checked against the name', async () => {
    const dns = table({ 'coord.example': ['10.0.0.1', 'fd00::1'] });
    const r = new CoordinatorRotation(
      [
        { host: 'coord.example', port: 7443 },
        { host: '10.0.0.9', port: 7443 },
      ],
      dns.resolve,
      log,
    );
    const first = await r.current();
    expect(first).toEqual({
      address: '10.0.0.1:7443',
      serverName: 'coord.example',
      configured: 'coord.example:7443',
      label: 'coord.example:7443 (10.0.0.1:7443)',
    });
    r.advance();
    expect(await r.current()).toMatchObject({ address: '[fd00::1]:7443', serverName: 'coord.example' });
    r.advance();
    // An IP address is dialed as given and checked as itself (no serverName), never resolved.
    expect(await r.current()).toEqual({ address: '10.0.0.9:7443', configured: '10.0.0.9:7443', label: '10.0.0.9:7443' });
    expect(dns.calls).toEqual(['coord.example']);
  });

  it('stays on a target until it fails, then moves on, and starts over (resolving again) after the last', async () => {
    const dns = table({ a: ['10.0.0.1'], b: ['10.0.0.2'] });
    const r = new CoordinatorRotation(
      [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
      dns.resolve,
      log,
    );
    expect((await r.current()).address).toBe('10.0.0.1:1');
    expect((await r.current()).address).toBe('10.0.0.1:1');
    expect(await round(r, 4)).toEqual(['a:1 (10.0.0.1:1)', 'b:2 (10.0.0.2:2)', 'a:1 (10.0.0.1:1)', 'b:2 (10.0.0.2:2)']);
    expect(dns.calls).toEqual(['a', 'b', 'a', 'b']);
  });

  it('sees a changed DNS record on the next round', async () => {
    const records: Record<string, string[]> = { c: ['10.0.0.1'] };
    const r = new CoordinatorRotation([{ host: 'c', port: 5 }], (h) => Promise.resolve(records[h] ?? []), log);
    expect((await r.current()).address).toBe('10.0.0.1:5');
    records.c = ['10.0.0.7', '10.0.0.8'];
    r.advance();
    expect(await round(r, 2)).toEqual(['c:5 (10.0.0.7:5)', 'c:5 (10.0.0.8:5)']);
  });

  it('keeps a name that does not resolve as a target, so the others are still tried', async () => {
    const dns = table({ good: ['10.0.0.2'] });
    const r = new CoordinatorRotation(
      [
        { host: 'gone.example', port: 1 },
        { host: 'good', port: 2 },
      ],
      dns.resolve,
      log,
    );
    expect(await r.current()).toEqual({ address: 'gone.example:1', configured: 'gone.example:1', label: 'gone.example:1' });
    r.advance();
    expect((await r.current()).address).toBe('10.0.0.2:2');
  });

  it('resolves localhost with the system resolver', async () => {
    const r = new CoordinatorRotation([{ host: 'localhost', port: 7443 }], systemResolver, log);
    const t = await r.current();
    expect(t.serverName).toBe('localhost');
    expect(['127.0.0.1:7443', '[::1]:7443']).toContain(t.address);
  });

  it('starts the first round at the preferred entry (the last good one), later rounds in order', async () => {
    const dns = table({ a: ['10.0.0.1'], b: ['10.0.0.2', '10.0.0.3'] });
    const list = [
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
      { host: '10.0.0.9', port: 3 },
    ];
    const r = new CoordinatorRotation(list, dns.resolve, log, 'b:2');
    expect(await round(r, 6)).toEqual([
      'b:2 (10.0.0.2:2)',
      'b:2 (10.0.0.3:2)',
      '10.0.0.9:3',
      'a:1 (10.0.0.1:1)',
      'b:2 (10.0.0.2:2)',
      'b:2 (10.0.0.3:2)',
    ]);
    // An entry no longer configured is ignored: the list's own order.
    const gone = new CoordinatorRotation(list, dns.resolve, log, 'old.example:7443');
    expect((await gone.current()).configured).toBe('a:1');
  });

  it('refuses an empty list', () => {
    expect(() => new CoordinatorRotation([], systemResolver, log)).toThrow('no coordinator addresses to rotate through');
  });
});
