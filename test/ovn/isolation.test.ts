// Isolation and security groups as OVN really enforces them: rows written by OvnNorthbound,
// logical flows compiled by a real ovn-northd, verdicts from ovn-trace (stateful ACLs traced as
// new connections). No chassis is needed: ovn-trace walks the southbound logical flows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OvnCentral } from '../harness/ovn.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import type { PortAttachment, SecurityGroupSpec } from '../../coordinator/src/networks/fabric.js';

let ovn: OvnCentral;
let fabric: OvnNorthbound;

const netA = randomUUID();
const netB = randomUUID();
const swA = `mooring-net-${netA}`;
const sgSsh = randomUUID();

function attachment(networkId: string, n: number, ip: string, securityGroupIds: string[] = []): PortAttachment {
  return {
    lspName: randomUUID(),
    networkId,
    machineId: randomUUID(),
    portId: randomUUID(),
    mac: `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`,
    ip,
    securityGroupIds,
  };
}

// Network A (10.0.1.0/24): server (in the ssh group), admin (10.0.1.20), other (10.0.1.30), peer
// (in the ssh group too). Network B (10.0.2.0/24): tenantB.
const server = attachment(netA, 1, '10.0.1.10', [sgSsh]);
const admin = attachment(netA, 2, '10.0.1.20');
const other = attachment(netA, 3, '10.0.1.30');
const peer = attachment(netA, 4, '10.0.1.40', [sgSsh]);
const tenantB = attachment(netB, 5, '10.0.2.10');

function sshFrom(cidr: string): SecurityGroupSpec {
  return { id: sgSsh, name: 'ssh', rules: [{ id: 'ssh-in', direction: 'in', protocol: 'tcp', portMin: 22, remoteCidr: cidr }] };
}

/** A TCP packet from one port to another, entering the sender's switch. */
function tcp(from: PortAttachment, to: PortAttachment, dport: number): string {
  return [
    `inport == "${from.lspName}"`,
    `eth.src == ${from.mac}`,
    `eth.dst == ${to.mac}`,
    `ip4.src == ${from.ip}`,
    `ip4.dst == ${to.ip}`,
    'ip.ttl == 64',
    'tcp',
    'tcp.src == 40000',
    `tcp.dst == ${dport}`,
  ].join(' && ');
}

beforeAll(async () => {
  ovn = await OvnCentral.start();
  fabric = OvnNorthbound.create({ remote: ovn.nbRemote, owner: 'fleet-trace' });
  await fabric.ensureNetwork({ id: netA, name: 'tenant-a', cidr: '10.0.1.0/24' });
  await fabric.ensureNetwork({ id: netB, name: 'tenant-b', cidr: '10.0.2.0/24' });
  await fabric.ensureSecurityGroup(sshFrom('10.0.1.20/32'));
  for (const p of [server, admin, other, peer, tenantB]) await fabric.attachPort(p);
});

afterAll(async () => {
  fabric?.close();
  await ovn?.stop();
});

it('isolates networks: same network delivered, across networks dropped', async () => {
  expect(await ovn.trace(swA, tcp(admin, other, 80))).toEqual({ kind: 'delivered', to: [other.lspName] });
  // Tenant A addresses tenant B's port: no switch connects them, so the destination is unknown.
  expect(await ovn.trace(swA, tcp(admin, tenantB, 80))).toEqual({ kind: 'dropped', stage: 'ls_in_l2_unknown' });
  // Spoofing another port's source address is stopped by port security.
  const spoofed = tcp({ ...admin, ip: '10.0.1.99' }, other, 80);
  expect((await ovn.trace(swA, spoofed)).kind).toBe('dropped');
});

it('a TCP 22 rule from one CIDR admits exactly that; outbound and same-group traffic pass', async () => {
  expect(await ovn.trace(swA, tcp(admin, server, 22))).toEqual({ kind: 'delivered', to: [server.lspName] });
  expect(await ovn.trace(swA, tcp(other, server, 22))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
  expect(await ovn.trace(swA, tcp(admin, server, 80))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
  // Outbound from a grouped port is open, and reaches a port in no group (network isolation only).
  expect(await ovn.trace(swA, tcp(server, other, 8080))).toEqual({ kind: 'delivered', to: [other.lspName] });
  // Implicit: ports of the same group reach each other on any port.
  expect(await ovn.trace(swA, tcp(peer, server, 5432))).toEqual({ kind: 'delivered', to: [server.lspName] });
});

it('changing the group applies live to attached ports', async () => {
  await fabric.ensureSecurityGroup({
    id: sgSsh,
    name: 'ssh',
    rules: [{ id: 'web', direction: 'in', protocol: 'tcp', portMin: 80, portMax: 81, remoteCidr: '10.0.1.0/24' }],
  });
  expect(await ovn.trace(swA, tcp(other, server, 80))).toEqual({ kind: 'delivered', to: [server.lspName] });
  expect(await ovn.trace(swA, tcp(other, server, 81))).toEqual({ kind: 'delivered', to: [server.lspName] });
  expect(await ovn.trace(swA, tcp(other, server, 82))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
  expect(await ovn.trace(swA, tcp(admin, server, 22))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
  // The group's ACLs are exactly: outbound, same-group, and the one rule (the old one is gone).
  const pg = `mooring_sg_${sgSsh.replaceAll('-', '_')}`;
  const acls = (await ovn.nbctl('acl-list', pg)).split('\n');
  expect(acls).toHaveLength(3);
  expect(acls.join('\n')).toContain('tcp.dst >= 80 && tcp.dst <= 81');
  expect(acls.join('\n')).not.toContain('tcp.dst == 22');
});

it("a rule with a remote group admits that group's ports only", async () => {
  const sgAdmins = randomUUID();
  await fabric.ensureSecurityGroup({ id: sgAdmins, name: 'admins', rules: [] });
  await fabric.attachPort({ ...admin, securityGroupIds: [sgAdmins] });
  await fabric.ensureSecurityGroup({
    id: sgSsh,
    name: 'ssh',
    rules: [{ id: 'from-admins', direction: 'in', protocol: 'tcp', portMin: 22, remoteGroupId: sgAdmins }],
  });
  expect(await ovn.trace(swA, tcp(admin, server, 22))).toEqual({ kind: 'delivered', to: [server.lspName] });
  expect(await ovn.trace(swA, tcp(other, server, 22))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
  // admin is now in a group with no inbound rules: what others send it is dropped.
  expect(await ovn.trace(swA, tcp(other, admin, 22))).toEqual({ kind: 'dropped', stage: 'ls_out_acl' });
});
