// Network and security-group records to networks.proto messages.
import type {
  NetworkAttachment__Output,
  Network__Output,
  SecurityGroup__Output,
  SecurityRule__Output,
} from '../../../proto/generated/index.js';
import type { Network, NetworkAttachment, SecurityGroup, SecurityRuleRecord } from '../networks/network-records.js';
import { holderToWire } from './wire.js';

/** Turns a security group id into its name ("" when it is gone). */
export type GroupNames = (id: string) => string;

export function networkToWire(network: Network, attachments: readonly NetworkAttachment[], groupName: GroupNames): Network__Output {
  return {
    id: network.id,
    name: network.name,
    cidr: network.cidr ?? '',
    owner: holderToWire(network.owner),
    createdAt: new Date(network.createdAt).toISOString(),
    attachments: attachments.map((a) => attachmentToWire(a, groupName)),
  };
}

function attachmentToWire(attachment: NetworkAttachment, groupName: GroupNames): NetworkAttachment__Output {
  return {
    machineId: attachment.machineId,
    lspName: attachment.lspName,
    portId: attachment.portId,
    mac: attachment.mac,
    ip: attachment.ip ?? '',
    securityGroups: attachment.securityGroupIds.map(groupName),
  };
}

export function ruleToWire(rule: SecurityRuleRecord, groupName: GroupNames): SecurityRule__Output {
  return {
    id: rule.id,
    direction: rule.direction,
    protocol: rule.protocol,
    ports: rule.portMin === null || rule.portMax === null ? null : { min: rule.portMin, max: rule.portMax },
    remoteCidr: rule.remoteCidr ?? '',
    remoteGroup: rule.remoteGroupId === null ? '' : groupName(rule.remoteGroupId),
  };
}

export function securityGroupToWire(group: SecurityGroup, groupName: GroupNames): SecurityGroup__Output {
  return {
    id: group.id,
    name: group.name,
    owner: holderToWire(group.owner),
    rules: group.rules.map((rule) => ruleToWire(rule, groupName)),
    createdAt: new Date(group.createdAt).toISOString(),
  };
}
