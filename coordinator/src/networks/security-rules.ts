// Security-group rules as requests give them, checked into the stored form. Field names in
// problems are the AddRuleRequest fields as the proto spells them.
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../domain-error.js';
import type { SecurityRule } from './fabric.js';
import { parseCidr } from './ipv4-cidr.js';
import { RULE_DIRECTIONS, RULE_PROTOCOLS, type RuleDirection, type RuleProtocol, type SecurityRuleRecord } from './network-records.js';

export interface RuleRequest {
  readonly direction: string;
  readonly protocol: string;
  /** Null: every port. */
  readonly ports: { readonly min: number; readonly max: number } | null;
  readonly remoteCidr: string | null;
  /** A security group name, resolved by the caller (it knows who may see which group). */
  readonly remoteGroup: string | null;
}

const MAX_PORT = 65535;

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** The rule without its id and remote group; InvalidArgumentError naming the first bad field. */
export function checkRule(request: RuleRequest): Omit<SecurityRuleRecord, 'id' | 'remoteGroupId'> {
  if (!isOneOf<RuleDirection>(RULE_DIRECTIONS, request.direction)) throw new InvalidArgumentError('direction', 'must be in or out');
  if (!isOneOf<RuleProtocol>(RULE_PROTOCOLS, request.protocol)) throw new InvalidArgumentError('protocol', 'must be tcp, udp, icmp or any');
  const { ports } = request;
  if (ports) {
    if (request.protocol !== 'tcp' && request.protocol !== 'udp')
      throw new InvalidArgumentError('ports', `only tcp and udp rules take ports, not ${request.protocol}`);
    for (const [field, value] of [
      ['min', ports.min],
      ['max', ports.max],
    ] as const) {
      if (!Number.isInteger(value) || value < 1 || value > MAX_PORT)
        throw new InvalidArgumentError(`ports.${field}`, `port ${value} is outside 1-${MAX_PORT}`);
    }
    if (ports.min > ports.max) throw new InvalidArgumentError('ports', `the range ${ports.min}-${ports.max} ends before it starts`);
  }
  if (request.remoteCidr !== null && request.remoteGroup !== null)
    throw new InvalidArgumentError('remote_group', 'give remote_cidr or remote_group, not both');
  let remoteCidr: string | null = null;
  if (request.remoteCidr !== null) {
    const parsed = parseCidr(request.remoteCidr);
    if (typeof parsed === 'string') throw new InvalidArgumentError('remote_cidr', parsed);
    remoteCidr = parsed.text;
  }
  return { direction: request.direction, protocol: request.protocol, portMin: ports?.min ?? null, portMax: ports?.max ?? null, remoteCidr };
}

export function sameRule(a: Omit<SecurityRuleRecord, 'id'>, b: Omit<SecurityRuleRecord, 'id'>): boolean {
  return (
    a.direction === b.direction &&
    a.protocol === b.protocol &&
    a.portMin === b.portMin &&
    a.portMax === b.portMax &&
    a.remoteCidr === b.remoteCidr &&
    a.remoteGroupId === b.remoteGroupId
  );
}

/** A rule id not yet used in the group: 8 hex digits, short enough to type. */
export function newRuleId(taken: readonly SecurityRuleRecord[]): string {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken.some((rule) => rule.id === id)) return id;
  }
}

/** The fabric's form of a stored rule: absent fields instead of nulls. */
export function ruleSpec(rule: SecurityRuleRecord): SecurityRule {
  return {
    id: rule.id,
    direction: rule.direction,
    protocol: rule.protocol,
    ...(rule.portMin !== null ? { portMin: rule.portMin } : {}),
    ...(rule.portMax !== null ? { portMax: rule.portMax } : {}),
    ...(rule.remoteCidr !== null ? { remoteCidr: rule.remoteCidr } : {}),
    ...(rule.remoteGroupId !== null ? { remoteGroupId: rule.remoteGroupId } : {}),
  };
}
