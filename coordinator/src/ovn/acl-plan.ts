// The ACLs a security group stands for (pure: no I/O). The design (ARCHITECTURE.md, "Tenant
// networks (OVN)"):
//
// - Every port in at least one security group is also in the default-drop Port_Group, whose two
//   ACLs drop all IP traffic to and from its ports at DROP_PRIORITY.
// - Each group's Port_Group has, at ALLOW_PRIORITY (above the drops): one allow-related ACL for
//   all IP traffic its ports send (outbound is open), one admitting traffic from ports of the same
//   group (implicit, as in Neutron's default group), and one per rule.
// - allow-related makes the ACLs stateful: OVN commits the connection to conntrack, and replies of
//   an established connection pass both ways whatever the drops say.
// - Non-IP traffic (ARP) is not dropped: the drops match `ip` only, so neighbours still resolve.
//
// An inbound rule matches on the port it is delivered to (to-lport, `outport == @pg`) and the
// sender's address (`ip4.src`); an outbound rule on the sending port (from-lport, `inport == @pg`)
// and the destination (`ip4.dst`). With outbound open, `out` rules admit nothing more; they are kept
// as ACLs so the rows say what the group says.

import type { SecurityGroupSpec, SecurityRule } from '../networks/fabric.js';
import {
  DEFAULT_DROP_PG,
  DEFAULT_DROP_ROLE,
  OWNER_KEY,
  REMOTE_SG_KEY,
  ROLE_KEY,
  RULE_KEY,
  SG_KEY,
  portGroupIp4Set,
  portGroupName,
} from './names.js';

export const ALLOW_PRIORITY = 1002;
export const DROP_PRIORITY = 1001;

export interface AclSpec {
  readonly direction: 'from-lport' | 'to-lport';
  readonly priority: number;
  readonly match: string;
  readonly action: 'allow-related' | 'drop';
  readonly externalIds: Readonly<Record<string, string>>;
}

export function groupAcls(owner: string, group: SecurityGroupSpec): AclSpec[] {
  const pg = portGroupName(group.id);
  const ids = { [OWNER_KEY]: owner, [SG_KEY]: group.id };
  const out: AclSpec[] = [
    {
      direction: 'from-lport',
      priority: ALLOW_PRIORITY,
      match: `inport == @${pg} && ip`,
      action: 'allow-related',
      externalIds: { ...ids, [ROLE_KEY]: 'outbound' },
    },
    {
      direction: 'to-lport',
      priority: ALLOW_PRIORITY,
      match: `outport == @${pg} && ip4 && ip4.src == ${portGroupIp4Set(group.id)}`,
      action: 'allow-related',
      externalIds: { ...ids, [ROLE_KEY]: 'same-group' },
    },
  ];
  for (const rule of group.rules) {
    const extra: Record<string, string> = rule.remoteGroupId !== undefined ? { [REMOTE_SG_KEY]: rule.remoteGroupId } : {};
    out.push({
      direction: rule.direction === 'in' ? 'to-lport' : 'from-lport',
      priority: ALLOW_PRIORITY,
      match: ruleMatch(pg, rule),
      action: 'allow-related',
      externalIds: { ...ids, [RULE_KEY]: rule.id, ...extra },
    });
  }
  return out;
}

export function defaultDropAcls(owner: string): AclSpec[] {
  const ids = { [OWNER_KEY]: owner, [ROLE_KEY]: DEFAULT_DROP_ROLE };
  return [
    { direction: 'to-lport', priority: DROP_PRIORITY, match: `outport == @${DEFAULT_DROP_PG} && ip`, action: 'drop', externalIds: ids },
    { direction: 'from-lport', priority: DROP_PRIORITY, match: `inport == @${DEFAULT_DROP_PG} && ip`, action: 'drop', externalIds: ids },
  ];
}

export function ruleMatch(pg: string, rule: SecurityRule): string {
  const inbound = rule.direction === 'in';
  const parts = [inbound ? `outport == @${pg}` : `inport == @${pg}`, 'ip4'];
  const remoteField = inbound ? 'ip4.src' : 'ip4.dst';
  if (rule.remoteCidr !== undefined) parts.push(`${remoteField} == ${rule.remoteCidr}`);
  if (rule.remoteGroupId !== undefined) parts.push(`${remoteField} == ${portGroupIp4Set(rule.remoteGroupId)}`);
  if (rule.protocol === 'icmp') parts.push('icmp4');
  if (rule.protocol === 'tcp' || rule.protocol === 'udp') {
    parts.push(rule.protocol);
    const min = rule.portMin;
    const max = rule.portMax ?? min;
    if (min !== undefined && max !== undefined) {
      parts.push(min === max ? `${rule.protocol}.dst == ${min}` : `${rule.protocol}.dst >= ${min} && ${rule.protocol}.dst <= ${max}`);
    }
  }
  return parts.join(' && ');
}

/** A canonical text for comparing an ACL in OVN with a planned one. */
export function aclKey(a: AclSpec): string {
  const ids = Object.keys(a.externalIds)
    .sort()
    .map((k) => [k, a.externalIds[k]]);
  return JSON.stringify([a.direction, a.priority, a.action, a.match, ids]);
}
