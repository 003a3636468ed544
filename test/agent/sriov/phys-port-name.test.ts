// phys_port_name parsing: the kernel's devlink formats (net/devlink/port.c) and BlueField's pf<N>hpf.
import { describe, expect, it } from 'vitest';
import { formatPhysPort, parsePhysPortName } from '../../../agent/src/sriov/phys-port-name.js';

describe('parsePhysPortName', () => {
  it.each([
    ['p0', { kind: 'physical', port: 0, split: null }],
    ['p1s2', { kind: 'physical', port: 1, split: 2 }],
    ['pf0', { kind: 'pf', controller: null, pf: 0 }],
    ['pf1vf3', { kind: 'vf', controller: null, pf: 1, vf: 3 }],
    ['c1pf0vf3', { kind: 'vf', controller: 1, pf: 0, vf: 3 }],
    ['c1pf0', { kind: 'pf', controller: 1, pf: 0 }],
    ['pf0sf2', { kind: 'sf', controller: null, pf: 0, sf: 2 }],
    ['c2pf1sf88', { kind: 'sf', controller: 2, pf: 1, sf: 88 }],
    ['pf0vf127', { kind: 'vf', controller: null, pf: 0, vf: 127 }],
  ])('parses %s', (name, expected) => {
    expect(parsePhysPortName(name)).toEqual(expected);
  });

  it('reads pf0hpf as the host PF seen from the Arm side: controller 1, spelled c1pf0 by the kernel', () => {
    const port = parsePhysPortName('pf0hpf');
    expect(port).toEqual({ kind: 'pf', controller: 1, pf: 0 });
    expect(formatPhysPort(port!)).toBe('c1pf0');
  });

  it.each(['', 'eth0', 'pf', 'vf3', 'pf0vf', 'c1', 'c1p0', 'pf0vf3x', 'P0', 'pf0hpf1', 'enp3s0f0np0'])('rejects %j', (name) => {
    expect(parsePhysPortName(name)).toBeNull();
  });

  it.each(['p0', 'p1s2', 'pf0', 'pf1vf3', 'c1pf0vf3', 'c1pf0', 'pf0sf2', 'c2pf1sf88'])('formats %s back to itself', (name) => {
    expect(formatPhysPort(parsePhysPortName(name)!)).toBe(name);
  });
});
