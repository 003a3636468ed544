// The status endpoint's Host and Origin rules as pure functions: which names answer for a loopback,
// a wildcard and a named listener, what statusAllowedHosts entries add, and which websocket origins
// count as the endpoint's own.
import { describe, expect, it } from 'vitest';
import {
  HostPolicy,
  canonicalIp,
  formatAllowedHost,
  parseAllowedHost,
  parseAuthority,
  type AllowedHost,
} from '../../../agent/src/status/host-policy.js';

function allowed(...entries: string[]): AllowedHost[] {
  return entries.map((e) => {
    const h = parseAllowedHost(e);
    if (!h) throw new Error(`bad entry ${e}`);
    return h;
  });
}

function accepts(policy: HostPolicy, host: string | undefined, local = '127.0.0.1'): boolean {
  return policy.checkHost(host, local).ok;
}

describe('parseAuthority', () => {
  it('takes names, IPv4 and bracketed IPv6 apart, lowercased, with or without a port', () => {
    expect(parseAuthority('LocalHost:9180')).toEqual({ host: 'localhost', port: 9180 });
    expect(parseAuthority('localhost.:9180')).toEqual({ host: 'localhost', port: 9180 });
    expect(parseAuthority('10.0.0.5')).toEqual({ host: '10.0.0.5', port: null });
    expect(parseAuthority('[0:0:0:0:0:0:0:1]:9180')).toEqual({ host: '::1', port: 9180 });
    expect(parseAuthority('[::FFFF:127.0.0.1]:9180')).toEqual({ host: '127.0.0.1', port: 9180 });
  });

  it('refuses what is not a Host: userinfo, paths, bare IPv6, bad ports, empty', () => {
    for (const bad of [
      'evil.example@127.0.0.1:9180',
      '127.0.0.1:9180/x',
      '::1',
      '[::1',
      'localhost:0',
      'localhost:65536',
      'localhost:',
      '',
      'a b',
      'local%68ost',
    ]) {
      expect(parseAuthority(bad), bad).toBeUndefined();
    }
  });
});

describe('canonicalIp', () => {
  it('gives one spelling per address', () => {
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('::ffff:a01:203')).toBe('10.1.2.3');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalIp('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalIp('nic7.lab')).toBeUndefined();
  });
});

describe('parseAllowedHost', () => {
  it('reads names, addresses, ports and .domains, and formats them back', () => {
    for (const [text, parsed] of [
      ['nic7.lab.example', { match: 'exact', host: 'nic7.lab.example', port: null }],
      ['NIC7.lab.example:8080', { match: 'exact', host: 'nic7.lab.example', port: 8080 }],
      ['[2001:db8::5]', { match: 'exact', host: '2001:db8::5', port: null }],
      ['.lab.example', { match: 'domain', host: 'lab.example', port: null }],
    ] as const) {
      expect(parseAllowedHost(text)).toEqual(parsed);
      expect(formatAllowedHost(parsed)).toBe(text.toLowerCase());
    }
  });

  it('refuses wildcards, a bare top-level .domain, a .address and malformed entries', () => {
    for (const bad of ['*', '*.lab.example', '.example', '.10.0.0.1', '0.0.0.0', '[::]', 'nic7:port', 'http://nic7', '']) {
      expect(parseAllowedHost(bad), bad).toBeUndefined();
    }
  });
});

describe('Host rule', () => {
  const loopback = new HostPolicy({ listenHost: '127.0.0.1', port: 9180, allowedHosts: [] });

  it('a loopback listener answers localhost, 127.0.0.1 and [::1] on its port, and requests without Host', () => {
    for (const h of ['localhost:9180', 'LOCALHOST:9180', 'localhost.:9180', '127.0.0.1:9180', '[::1]:9180', undefined])
      expect(accepts(loopback, h), String(h)).toBe(true);
  });

  it('refuses other names (DNS rebinding), other ports, no port, 0.0.0.0 and malformed values', () => {
    for (const h of [
      'evil.example:9180',
      'evil.example',
      'localhost.evil.example:9180',
      'localhost:9181',
      'localhost',
      '0.0.0.0:9180',
      '127.0.0.2:9180',
      'localhost:9180:1',
      '',
    ]) {
      expect(accepts(loopback, h), h).toBe(false);
    }
  });

  it('names the refused Host and the way to allow a name', () => {
    expect(loopback.checkHost('evil.example:9180', '127.0.0.1')).toEqual({
      ok: false,
      problem:
        'Host "evil.example:9180" does not name this status endpoint: use localhost:9180, its listen address or the address ' +
        'connected to; other names must be listed in statusAllowedHosts',
    });
    expect(loopback.checkHost('a@b', '127.0.0.1')).toEqual({ ok: false, problem: 'Host "a@b" is not HOST[:PORT]' });
  });

  it('a wildcard listener answers the address each connection arrived on, and not other addresses or names', () => {
    const any = new HostPolicy({ listenHost: '0.0.0.0', port: 9180, allowedHosts: [] });
    expect(accepts(any, '10.0.0.5:9180', '10.0.0.5')).toBe(true);
    expect(accepts(any, '10.0.0.5:9180', '::ffff:10.0.0.5')).toBe(true);
    expect(accepts(any, '10.0.0.6:9180', '10.0.0.5')).toBe(false);
    expect(accepts(any, 'nic7.lab.example:9180', '10.0.0.5')).toBe(false);
    expect(accepts(any, 'localhost:9180', '127.0.0.1')).toBe(true);
    const any6 = new HostPolicy({ listenHost: '::', port: 9180, allowedHosts: [] });
    expect(accepts(any6, '[2001:db8::5]:9180', '2001:db8:0::5')).toBe(true);
    expect(accepts(any6, '[2001:db8::6]:9180', '2001:db8::5')).toBe(false);
  });

  it('a listener on a name answers that name', () => {
    const named = new HostPolicy({ listenHost: 'nic7.lab.example', port: 9180, allowedHosts: [] });
    expect(accepts(named, 'nic7.lab.example:9180', '10.0.0.5')).toBe(true);
    expect(accepts(named, 'nic8.lab.example:9180', '10.0.0.5')).toBe(false);
  });

  it('statusAllowedHosts adds names on the bound port, HOST:PORT for another port, and .domains', () => {
    const p = new HostPolicy({
      listenHost: '0.0.0.0',
      port: 9180,
      allowedHosts: allowed('nic7.lab.example', 'proxy.example:443', '.fleet.example'),
    });
    expect(accepts(p, 'nic7.lab.example:9180')).toBe(true);
    expect(accepts(p, 'nic7.lab.example:9181')).toBe(false);
    expect(accepts(p, 'proxy.example')).toBe(false);
    expect(accepts(p, 'proxy.example:443')).toBe(true);
    expect(accepts(p, 'fleet.example:9180')).toBe(true);
    expect(accepts(p, 'nic9.rack2.fleet.example:9180')).toBe(true);
    expect(accepts(p, 'evilfleet.example:9180')).toBe(false);
    expect(accepts(p, 'fleet.example.evil.example:9180')).toBe(false);
  });
});

describe('Origin rule (websocket upgrades)', () => {
  const p = new HostPolicy({ listenHost: '127.0.0.1', port: 9180, allowedHosts: [] });
  const host = parseAuthority('127.0.0.1:9180')!;

  it('accepts no Origin (a non-browser client) and the endpoint own origin', () => {
    expect(p.checkOrigin(undefined, host).ok).toBe(true);
    expect(p.checkOrigin('http://127.0.0.1:9180', host).ok).toBe(true);
    expect(p.checkOrigin('http://localhost:9180', parseAuthority('localhost:9180')!).ok).toBe(true);
    expect(p.checkOrigin('https://[::1]:9180', parseAuthority('[::1]:9180')!).ok).toBe(true);
    expect(p.checkOrigin('http://localhost', parseAuthority('localhost')!).ok).toBe(true);
  });

  it('refuses other sites, other local ports, other local names, "null" and an Origin without Host', () => {
    for (const o of [
      'https://evil.example',
      'http://evil.example:9180',
      'http://127.0.0.1:3000',
      'http://localhost:9180',
      'null',
      'file://',
      'chrome-extension://abc',
      'not a url',
    ]) {
      expect(p.checkOrigin(o, host).ok, o).toBe(false);
    }
    expect(p.checkOrigin('http://127.0.0.1:9180', null).ok).toBe(false);
    expect(p.checkOrigin('https://evil.example', host)).toEqual({
      ok: false,
      problem: 'Origin "https://evil.example" is another site: /status/stream serves no web pages',
    });
  });
});
