import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from '../../../agent/src/config/host-port.js';

describe('HOST:PORT', () => {
  it('parses names, IPv4 and bracketed IPv6', () => {
    expect(parseHostPort('127.0.0.1:9180', { allowPortZero: false })).toEqual({ host: '127.0.0.1', port: 9180 });
    expect(parseHostPort('coord-1.example:443', { allowPortZero: false })).toEqual({ host: 'coord-1.example', port: 443 });
    expect(parseHostPort('[fe80::1%eth0]:80', { allowPortZero: false })).toEqual({ host: 'fe80::1%eth0', port: 80 });
  });

  it('refuses what is not HOST:PORT', () => {
    for (const t of ['abc', ':80', 'h:', 'h:65536', '::1:80', 'h:8x', 'a b:1', '..:1', 'h:-1']) {
      expect(parseHostPort(t, { allowPortZero: true }), t).toBeUndefined();
    }
  });

  it('accepts port 0 only where asked', () => {
    expect(parseHostPort('127.0.0.1:0', { allowPortZero: false })).toBeUndefined();
    expect(parseHostPort('127.0.0.1:0', { allowPortZero: true })).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('formats back, bracketing IPv6', () => {
    expect(formatHostPort({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(formatHostPort({ host: 'h', port: 2 })).toBe('h:2');
  });
});
