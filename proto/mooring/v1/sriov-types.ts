// TypeScript shapes of the SR-IOV messages of the agent link (sriov.proto), decoded as
// agent-types.ts describes: camelCase, 64-bit integers as numbers, scalar defaults filled in,
// unset messages null, maps as plain objects.

export interface SriovVfConfigMessage {
  vf: number;
  settings: Record<string, string>;
}

export interface SriovPfConfigMessage {
  pf: string;
  numVfs: number;
  eswitchMode: string;
  autoprobe: string;
  vfs: SriovVfConfigMessage[];
}

export interface SriovDesiredMessage {
  revision: number;
  pfs: SriovPfConfigMessage[];
}

export interface SriovVfReportMessage {
  vf: number;
  pciAddress: string;
  netdev: string;
  mac: string;
  vlan: number;
  qos: number;
  spoofchk: string;
  trust: string;
  linkState: string;
  maxTxRate: number;
  minTxRate: number;
  representor: string;
}

export interface SriovPfReportMessage {
  netdev: string;
  pciAddress: string;
  driver: string;
  numaNode: number;
  linkState: string;
  totalVfs: number;
  numVfs: number;
  eswitchMode: string;
  vendor: string;
  model: string;
  firmware: string;
  vfs: SriovVfReportMessage[];
}

export interface SriovRepresentorReportMessage {
  netdev: string;
  physPortName: string;
  switchId: string;
  flavour: string;
}

export interface SmartNicModeReportMessage {
  location: string;
  mode: string;
  nextBootMode: string;
  source: string;
  vendor: string;
  model: string;
  firmware: string;
  evidence: string[];
}

export interface SriovReportMessage {
  smartNic: SmartNicModeReportMessage | null;
  pfs: SriovPfReportMessage[];
  representors: SriovRepresentorReportMessage[];
  desiredRevision: number;
  lastReconcileAt: string;
  lastReconcileError: string;
  problems: string[];
}

export interface SriovResultMessage {
  report: SriovReportMessage | null;
}

export interface AgentSriovSetRequestMessage {
  agent: string;
  pf: SriovPfConfigMessage | null;
  remove: boolean;
  timeoutSeconds: number;
}

export interface AgentSriovGetRequestMessage {
  agent: string;
}

export interface AgentSriovResponseMessage {
  agent: string;
  desired: SriovDesiredMessage | null;
  report: SriovReportMessage | null;
  commandId: string;
}
