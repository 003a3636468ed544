// Validation of NetworkService and SecurityGroupService requests (networks.proto): the shape of
// each field here, field names as the proto spells them. What needs the store or the other
// fields (CIDR alignment and overlap, rule port ranges, remote groups) the domain checks
// (networks/network-registry.ts, networks/security-rules.ts), naming the field the same way.
import { z } from 'zod';
import type { CreateNetworkRequest } from '../networks/network-registry.js';
import type { RuleRequest } from '../networks/security-rules.js';
import { name, optionalHolder } from './request-schemas.js';

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => (value === '' ? null : value));

export const createNetworkSchema = z
  .object({ name: name('network'), cidr: optionalText(64), owner: optionalHolder })
  .transform((r): CreateNetworkRequest => ({ name: r.name, cidr: r.cidr, owner: r.owner }));

export const networkRefSchema = z.object({ name: name('network') });

export const createSecurityGroupSchema = z.object({ name: name('security group'), owner: optionalHolder });

export const securityGroupRefSchema = z.object({ name: name('security group') });

const portRange = z.object({ min: z.number().int(), max: z.number().int() }).nullable();

export const addRuleSchema = z
  .object({
    group: name('security group'),
    direction: z.string().max(16),
    protocol: z.string().max(16),
    ports: portRange,
    remoteCidr: optionalText(64),
    remoteGroup: z.union([z.literal(''), name('security group')]).transform((value) => (value === '' ? null : value)),
  })
  .transform((r): { group: string; rule: RuleRequest } => ({
    group: r.group,
    rule: { direction: r.direction, protocol: r.protocol, ports: r.ports, remoteCidr: r.remoteCidr, remoteGroup: r.remoteGroup },
  }));

export const deleteRuleSchema = z.object({
  group: name('security group'),
  ruleId: z.string().regex(/^[0-9a-f]{8}$/, 'must be a rule id (8 hex digits)'),
});
