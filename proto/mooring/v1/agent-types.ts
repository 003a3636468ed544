// TypeScript shapes of the mooring.v1 agent-link messages (agent.proto) as the loader decodes
// them: camelCase fields, 64-bit integers as numbers, scalar defaults filled in, unset message
// fields null, and the oneof's name (`body`, `kind`) holding the name of the member that is set.
// Outgoing messages may leave out fields that hold their default.

import type { LxdAssignProjectMessage, LxdComposeMessage, LxdDeleteMessage, LxdPowerMessage, LxdReleaseMessage, LxdReportMessage, LxdResultMessage } from './lxd-types.js';
import type { SriovDesiredMessage, SriovReportMessage, SriovResultMessage } from './sriov-types.js';

export interface EnrollRequestMessage {
  token: string;
  csrPem: string;
}

export interface EnrollResponseMessage {
  agentId: string;
  certificatePem: string;
  caPem: string;
  role: string;
  notAfter: string;
}

export interface RenewRequestMessage {
  csrPem: string;
}

export interface RenewResponseMessage {
  certificatePem: string;
  notAfter: string;
}

export interface NetInterfaceMessage {
  name: string;
  mac: string;
  speedMbps: number;
  driver: string;
  pciAddress: string;
  state: string;
}

export interface InventoryMessage {
  cpuModel: string;
  coresPhysical: number;
  coresLogical: number;
  memoryBytes: number;
  os: string;
  kernel: string;
  interfaces: NetInterfaceMessage[];
  ovsVersion: string;
  bridges: string[];
  role: string;
  hostname: string;
  errors: string[];
}

export interface PortSpecMessage {
  name: string;
  ifaceId: string;
  mac: string;
  vmUuid: string;
}

export interface PortReportMessage {
  spec: PortSpecMessage | null;
  state: string;
  ofport: number;
  error: string;
}

export interface AgentReportMessage {
  ovsdbConnected: boolean;
  ovsVersion: string;
  bridge: string;
  bridges: string[];
  ports: PortReportMessage[];
  sriov?: SriovReportMessage | null;
  /** VM hosts: the LXD project the agent manages (absent or null on smartNIC agents). */
  lxd?: LxdReportMessage | null;
  /** Open_vSwitch external_ids ovn-remote / system-id ("" when unset; absent from older agents). */
  ovnRemote?: string;
  ovnChassis?: string;
}

export interface HelloMessage {
  agentId: string;
  version: string;
  role: string;
  inventory: InventoryMessage | null;
  report: AgentReportMessage | null;
}

export interface HeartbeatMessage {
  seq: number;
}

export interface CommandResultMessage {
  commandId: string;
  ok: boolean;
  errorCode: string;
  error: string;
  ports: PortReportMessage[];
  sriov?: SriovResultMessage | null;
  /** Result of an LXD command (absent or null otherwise). */
  lxd?: LxdResultMessage | null;
}

export interface AgentMessage {
  hello?: HelloMessage | null;
  heartbeat?: HeartbeatMessage | null;
  report?: AgentReportMessage | null;
  result?: CommandResultMessage | null;
  body?: 'hello' | 'heartbeat' | 'report' | 'result';
}

export interface WelcomeMessage {
  agentId: string;
  epoch: number;
  heartbeatIntervalMs: number;
}

export interface AgentCommandMessage {
  id: string;
  bindPort?: { port: PortSpecMessage | null } | null;
  unbindPort?: { name: string } | null;
  reconcilePorts?: { ports: PortSpecMessage[] } | null;
  sriovConfigure?: { desired: SriovDesiredMessage | null } | null;
  sriovRefresh?: Record<string, never> | null;
  lxdAssignProject?: LxdAssignProjectMessage | null;
  lxdRefresh?: Record<string, never> | null;
  lxdCompose?: LxdComposeMessage | null;
  lxdPower?: LxdPowerMessage | null;
  lxdDelete?: LxdDeleteMessage | null;
  lxdRelease?: LxdReleaseMessage | null;
  kind?:
    | 'bindPort'
    | 'unbindPort'
    | 'reconcilePorts'
    | 'sriovConfigure'
    | 'sriovRefresh'
    | 'lxdAssignProject'
    | 'lxdRefresh'
    | 'lxdCompose'
    | 'lxdPower'
    | 'lxdDelete'
    | 'lxdRelease';
}

export interface CoordinatorMessage {
  welcome?: WelcomeMessage | null;
  command?: AgentCommandMessage | null;
  heartbeatAck?: { seq: number } | null;
  body?: 'welcome' | 'command' | 'heartbeatAck';
}

export interface CreateEnrollmentTokenRequestMessage {
  name: string;
  role: string;
  ttlSeconds: number;
}

export interface CreateEnrollmentTokenResponseMessage {
  token: string;
  name: string;
  role: string;
  expiresAt: string;
}

export interface AgentInfoMessage {
  id: string;
  role: string;
  state: string;
  stateReason: string;
  stateChangedAt: string;
  epoch: number;
  lastHeartbeatAt: string;
  version: string;
  inventory: InventoryMessage | null;
  report: AgentReportMessage | null;
  enrolledAt: string;
  revoked: boolean;
  certNotAfter: string;
  ovnReported: boolean;
  ovnRemote: string;
  ovnChassis: string;
}

export interface AgentBindPortRequestMessage {
  agent: string;
  port: PortSpecMessage | null;
  timeoutSeconds: number;
}

export interface AgentUnbindPortRequestMessage {
  agent: string;
  port: string;
  timeoutSeconds: number;
}

export interface AgentCommandResponseMessage {
  commandId: string;
  ports: PortReportMessage[];
}
