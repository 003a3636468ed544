// TypeScript shapes of networks.proto messages as the loader decodes them (see types.ts for the
// conventions).
import type { HolderMessage } from './types.js';

export interface NetworkAttachmentMessage {
  machineId: string;
  lspName: string;
  portId: string;
  mac: string;
  ip: string;
  securityGroups: string[];
}

export interface NetworkMessage {
  id: string;
  name: string;
  cidr: string;
  owner: HolderMessage | null;
  createdAt: string;
  attachments: NetworkAttachmentMessage[];
}

export interface CreateNetworkRequestMessage {
  name: string;
  cidr: string;
  owner: HolderMessage | null;
}

export interface NetworkRefMessage {
  name: string;
}

export interface ListNetworksResponseMessage {
  networks: NetworkMessage[];
}

export interface PortRangeMessage {
  min: number;
  max: number;
}

export interface SecurityRuleMessage {
  id: string;
  direction: string;
  protocol: string;
  ports: PortRangeMessage | null;
  remoteCidr: string;
  remoteGroup: string;
}

export interface SecurityGroupMessage {
  id: string;
  name: string;
  owner: HolderMessage | null;
  rules: SecurityRuleMessage[];
  createdAt: string;
}

export interface CreateSecurityGroupRequestMessage {
  name: string;
  owner: HolderMessage | null;
}

export interface SecurityGroupRefMessage {
  name: string;
}

export interface ListSecurityGroupsResponseMessage {
  securityGroups: SecurityGroupMessage[];
}

export interface AddRuleRequestMessage {
  group: string;
  direction: string;
  protocol: string;
  ports: PortRangeMessage | null;
  remoteCidr: string;
  remoteGroup: string;
}

export interface AddRuleResponseMessage {
  group: SecurityGroupMessage | null;
  rule: SecurityRuleMessage | null;
}

export interface DeleteRuleRequestMessage {
  group: string;
  ruleId: string;
}
