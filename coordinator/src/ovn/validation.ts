// Checks what the domain hands the fabric before anything is written to OVN. Every problem is an
// InvalidArgumentError naming the field (as the fabric's types name it) and what was wrong.

import { InvalidArgumentError } from '../domain-error.js';
import type { NetworkSpec, PortAttachment, SecurityGroupSpec, SecurityRule } from '../networks/fabric.js';
import { parseCidr, parseIpv4 } from './ipv4.js';
import { checkPortDhcp } from './nb-dhcp.js';

/**
 * Ids become parts of row names: `mooring-net-<id>` and `mooring_sg_<id with _ for ->`. Dashes
 * only (no underscores), so two ids can never map to one Port_Group name.
 */
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
/** LSP names become OVS iface-ids and appear in ACL matches quoted: keep them to plain characters. */
const LSP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(value)} is not an id (1-64 letters, digits and dashes, not starting with a dash)`,
    );
  }
  return value;
}

function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || CONTROL.test(value)) {
    throw new InvalidArgumentError(field, 'must be 1-255 printable characters');
  }
  return value;
}

export function checkLspName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !LSP_NAME.test(value)) {
    throw new InvalidArgumentError(field, `${JSON.stringify(value)} is not a port name (1-128 letters, digits, '_', '.', ':', '-')`);
  }
  return value;
}

export function checkNetwork(n: NetworkSpec): void {
  checkId('network.id', n.id);
  checkText('network.name', n.name);
  if (n.cidr === undefined) return;
  const cidr = parseCidr(n.cidr);
  if (typeof cidr === 'string') throw new InvalidArgumentError('network.cidr', cidr);
  if (cidr.prefix > 30) throw new InvalidArgumentError('network.cidr', `/${cidr.prefix} leaves no room for hosts (at most /30)`);
}

export function checkSecurityGroup(g: SecurityGroupSpec): void {
  checkId('group.id', g.id);
  checkText('group.name', g.name);
  if (!isList(g.rules)) throw new InvalidArgumentError('group.rules', 'must be a list');
  const seen = new Set<string>();
  g.rules.forEach((r, i) => {
    checkRule(`group.rules[${i}]`, r);
    if (seen.has(r.id)) throw new InvalidArgumentError(`group.rules[${i}].id`, `rule id ${r.id} appears twice`);
    seen.add(r.id);
  });
}

function checkRule(at: string, r: SecurityRule): void {
  checkId(`${at}.id`, r.id);
  if (r.direction !== 'in' && r.direction !== 'out')
    throw new InvalidArgumentError(`${at}.direction`, `${JSON.stringify(r.direction)} is not in or out`);
  if (!['tcp', 'udp', 'icmp', 'any'].includes(r.protocol)) {
    throw new InvalidArgumentError(`${at}.protocol`, `${JSON.stringify(r.protocol)} is not tcp, udp, icmp or any`);
  }
  const ported = r.protocol === 'tcp' || r.protocol === 'udp';
  for (const key of ['portMin', 'portMax'] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (!ported) throw new InvalidArgumentError(`${at}.${key}`, `ports apply only to tcp and udp, not ${r.protocol}`);
    if (!Number.isInteger(v) || v < 1 || v > 65535) throw new InvalidArgumentError(`${at}.${key}`, `${v} is outside 1-65535`);
  }
  if (r.portMax !== undefined && r.portMin === undefined) throw new InvalidArgumentError(`${at}.portMin`, 'a range needs its lower bound');
  if (r.portMin !== undefined && r.portMax !== undefined && r.portMax < r.portMin) {
    throw new InvalidArgumentError(`${at}.portMax`, `${r.portMax} is below portMin ${r.portMin}`);
  }
  if (r.remoteCidr !== undefined && r.remoteGroupId !== undefined) {
    throw new InvalidArgumentError(`${at}.remoteGroupId`, 'give a remote CIDR or a remote group, not both');
  }
  if (r.remoteCidr !== undefined) {
    const cidr = parseCidr(r.remoteCidr);
    if (typeof cidr === 'string') throw new InvalidArgumentError(`${at}.remoteCidr`, cidr);
  }
  if (r.remoteGroupId !== undefined) checkId(`${at}.remoteGroupId`, r.remoteGroupId);
}

export function checkAttachment(a: PortAttachment): void {
  checkLspName('attachment.lspName', a.lspName);
  checkId('attachment.networkId', a.networkId);
  checkLspName('attachment.machineId', a.machineId);
  checkLspName('attachment.portId', a.portId);
  if (typeof a.mac !== 'string' || !MAC.test(a.mac)) {
    throw new InvalidArgumentError('attachment.mac', `${JSON.stringify(a.mac)} is not a lower-case colon-separated MAC address`);
  }
  if ((parseInt(a.mac.slice(0, 2), 16) & 1) === 1) throw new InvalidArgumentError('attachment.mac', `${a.mac} is a multicast address`);
  if (a.mac === '00:00:00:00:00:00') throw new InvalidArgumentError('attachment.mac', 'the all-zero MAC is not a port address');
  if (a.ip !== undefined && parseIpv4(a.ip) === undefined)
    throw new InvalidArgumentError('attachment.ip', `${JSON.stringify(a.ip)} is not an IPv4 address`);
  if (!isList(a.securityGroupIds)) throw new InvalidArgumentError('attachment.securityGroupIds', 'must be a list');
  const seen = new Set<string>();
  a.securityGroupIds.forEach((id, i) => {
    checkId(`attachment.securityGroupIds[${i}]`, id);
    if (seen.has(id)) throw new InvalidArgumentError(`attachment.securityGroupIds[${i}]`, `security group ${id} appears twice`);
    seen.add(id);
  });
  checkPortDhcp(a);
}

/** Array.isArray without narrowing a readonly array to any[]. */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}
