// TypeScript shapes of ports.proto and deploy.proto messages as the loader decodes them (see
// types.ts for the conventions).
import type { PortMessage } from './types.js';

export interface PortRefMessage {
  machine: string;
  mac: string;
}

export interface CreatePortRequestMessage {
  machine: string;
  port: PortMessage | null;
}

export interface ListPortsRequestMessage {
  machine: string;
}

export interface UpdatePortRequestMessage {
  machine: string;
  mac: string;
  port: PortMessage | null;
  updateMask: string[];
}

export interface PortInfoMessage {
  machineId: string;
  port: PortMessage | null;
  smartNicMode: string;
  mapsTo: string;
}

export interface ListPortsResponseMessage {
  ports: PortInfoMessage[];
}

export interface DeployMachineRequestMessage {
  machine: string;
  bootDevice: string;
  network: string;
  securityGroups: string[];
}

export interface NetworkBindRequestMessage {
  machine: string;
  network: string;
  securityGroups: string[];
}

export interface PortNetworkMessage {
  port: string;
  agent: string;
  mac: string;
  portId: string;
  network: string;
  lsp: string;
  ip: string;
  securityGroups: string[];
  ovnState: string;
  ovnChassis: string;
  ovnError: string;
}

export interface MachineNetworksMessage {
  ports: PortNetworkMessage[];
}

export interface SequenceMessage {
  id: string;
  machineId: string;
  kind: string;
  step: string;
  startedAt: string;
  powerFound: string;
  biosHalt: boolean;
  portsDone: string[];
  failure: string;
}

export interface ConfirmPowerRequestMessage {
  machine: string;
  action: string;
}
