// Pure parts of the OVN fabric: ACL matches from rules, the transaction builder's ordering and
// in-place sets, the CIDR rules and the options check. The real-OVN tests (northbound, isolation) prove the effect.
import { describe, expect, it } from 'vitest';
import { groupAcls, ruleMatch, defaultDropAcls, ALLOW_PRIORITY, DROP_PRIORITY } from '../../coordinator/src/ovn/acl-plan.js';
import { NbTransaction } from '../../coordinator/src/ovn/nb-transaction.js';
import { parseCidr } from '../../coordinator/src/ovn/ipv4.js';
import { resolveOvnOptions } from '../../coordinator/src/ovn/ovn-options.js';
import type { InvalidArgumentError } from '../../coordinator/src/domain-error.js';

describe('ruleMatch', () => {
  const pg = 'mooring_sg_g1';
  it('inbound rules match the receiving port and the sender; outbound the sender and the destination', () => {
    expect(ruleMatch(pg, { id: 'r', direction: 'in', protocol: 'tcp', portMin: 22, remoteCidr: '10.0.0.0/24' })).toBe(
      'outport == @mooring_sg_g1 && ip4 && ip4.src == 10.0.0.0/24 && tcp && tcp.dst == 22',
    );
    expect(ruleMatch(pg, { id: 'r', direction: 'out', protocol: 'udp', portMin: 53, portMax: 54, remoteGroupId: 'dns-1' })).toBe(
      'inport == @mooring_sg_g1 && ip4 && ip4.dst == $mooring_sg_dns_1_ip4 && udp && udp.dst >= 53 && udp.dst <= 54',
    );
    expect(ruleMatch(pg, { id: 'r', direction: 'in', protocol: 'icmp' })).toBe('outport == @mooring_sg_g1 && ip4 && icmp4');
    expect(ruleMatch(pg, { id: 'r', direction: 'in', protocol: 'any' })).toBe('outport == @mooring_sg_g1 && ip4');
  });

  it('a group has outbound and same-group allows above the default drops', () => {
    const acls = groupAcls('o', { id: 'g1', name: 'g', rules: [] });
    expect(acls.map((a) => [a.direction, a.priority, a.action, a.match])).toEqual([
      ['from-lport', ALLOW_PRIORITY, 'allow-related', 'inport == @mooring_sg_g1 && ip'],
      ['to-lport', ALLOW_PRIORITY, 'allow-related', 'outport == @mooring_sg_g1 && ip4 && ip4.src == $mooring_sg_g1_ip4'],
    ]);
    expect(defaultDropAcls('o').map((a) => [a.direction, a.priority, a.action])).toEqual([
      ['to-lport', DROP_PRIORITY, 'drop'],
      ['from-lport', DROP_PRIORITY, 'drop'],
    ]);
    expect(ALLOW_PRIORITY).toBeGreaterThan(DROP_PRIORITY);
  });
});

describe('NbTransaction', () => {
  it('puts guards first (name guards, then column guards), inserts children before parents, and fills sets of rows it inserts', () => {
    const tx = new NbTransaction();
    const pg = tx.insert('Port_Group', { name: 'pg' }, 'pg', 'pg');
    const acl = tx.insert('ACL', { match: 'ip' }, 'acl');
    tx.addToSet('Port_Group', pg, 'acls', acl);
    tx.addToSet('Logical_Switch', ['uuid', '11111111-2222-3333-4444-555555555555'], 'ports', [
      'uuid',
      '66666666-2222-3333-4444-555555555555',
    ]);
    const port = '66666666-2222-3333-4444-555555555555';
    tx.guardColumn('Logical_Switch', '11111111-2222-3333-4444-555555555555', 'ports', ['set', [['uuid', port]]], 'ls ports');
    const ops = tx.ops();
    expect(ops.map((o) => `${o.op} ${String(o.table)}`)).toEqual([
      'wait Port_Group',
      'wait Logical_Switch',
      'insert ACL',
      'insert Port_Group',
      'mutate Logical_Switch',
    ]);
    expect(ops[1]).toMatchObject({ until: '==', columns: ['ports'], rows: [{ ports: ['set', [['uuid', port]]] }], timeout: 0 });
    expect((ops[3]!.row as Record<string, unknown>).acls).toEqual(['set', [acl]]);
    expect(tx.created).toEqual(['Port_Group pg', 'ACL acl']);
  });
});

describe('parseCidr', () => {
  it('accepts networks and names what is wrong otherwise', () => {
    expect(parseCidr('10.1.0.0/16')).toMatchObject({ prefix: 16 });
    expect(parseCidr('10.1.0.1/16')).toBe('"10.1.0.1/16" has host bits set (the network is 10.1.0.0/16)');
    expect(parseCidr('10.01.0.0/16')).toBe('"10.01.0.0" is not an IPv4 address');
    expect(parseCidr('10.1.0.0/40')).toBe('prefix /40 is longer than 32');
    expect(parseCidr('10.1.0.0')).toBe('"10.1.0.0" is not an IPv4 CIDR (A.B.C.D/N)');
  });
});

describe('resolveOvnOptions', () => {
  it('refuses a bad owner, remote or an ssl: remote without TLS material, naming the option', () => {
    const field = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        return (err as InvalidArgumentError).field;
      }
      return 'accepted';
    };
    expect(field(() => resolveOvnOptions({ remote: 'unix:/x', owner: 'has space' }))).toBe('ovn.owner');
    expect(field(() => resolveOvnOptions({ remote: 'udp:1.2.3.4:5', owner: 'o' }))).toBe('ovn.remote');
    expect(field(() => resolveOvnOptions({ remote: 'ssl:127.0.0.1:6641', owner: 'o' }))).toBe('ovn.tls');
    expect(field(() => resolveOvnOptions({ remote: 'unix:/x', southbound: { remote: 'ssl:127.0.0.1:6642' }, owner: 'o' }))).toBe(
      'ovn.southbound.tls',
    );
    expect(field(() => resolveOvnOptions({ remote: 'tcp:127.0.0.1:6641', owner: 'fleet-1', unavailableWaitMs: 0 }))).toBe(
      'ovn.unavailableWaitMs',
    );
    expect(resolveOvnOptions({ remote: 'tcp:127.0.0.1:6641', owner: 'fleet-1' })).toMatchObject({
      owner: 'fleet-1',
      unavailableWaitMs: 10_000,
      sb: undefined,
    });
  });
});
