// TypeScript shapes of the mooring.v1 messages as the loader decodes them (proto/loader.ts:
// camelCase fields, enums as their names, 64-bit integers as numbers, scalar defaults filled in,
// unset message fields as null, the set member of a oneof named by its `kind`).

export type MachineStatusName =
  | 'MACHINE_STATUS_UNSPECIFIED'
  | 'MACHINE_STATUS_NEW'
  | 'MACHINE_STATUS_COMMISSIONING'
  | 'MACHINE_STATUS_READY'
  | 'MACHINE_STATUS_ALLOCATED'
  | 'MACHINE_STATUS_DEPLOYING'
  | 'MACHINE_STATUS_DEPLOYED'
  | 'MACHINE_STATUS_RELEASING'
  | 'MACHINE_STATUS_BROKEN'
  | 'MACHINE_STATUS_FAILED_COMMISSIONING'
  | 'MACHINE_STATUS_FAILED_DEPLOYMENT';
export type PowerDriverName =
  | 'POWER_DRIVER_UNSPECIFIED'
  | 'POWER_DRIVER_IPMI'
  | 'POWER_DRIVER_REDFISH'
  | 'POWER_DRIVER_LXD'
  | 'POWER_DRIVER_MANUAL';
export type BootModeName = 'BOOT_MODE_UNSPECIFIED' | 'BOOT_MODE_UEFI' | 'BOOT_MODE_LEGACY';
export type PowerStateName = 'POWER_STATE_UNSPECIFIED' | 'POWER_STATE_ON' | 'POWER_STATE_OFF' | 'POWER_STATE_UNKNOWN';
export type SmartNicConstraintName =
  | 'SMART_NIC_CONSTRAINT_ANY'
  | 'SMART_NIC_CONSTRAINT_REQUIRED'
  | 'SMART_NIC_CONSTRAINT_EXCLUDED';
export type RoleName = 'ROLE_UNSPECIFIED' | 'ROLE_ADMIN' | 'ROLE_MEMBER' | 'ROLE_OBSERVER';

export interface PowerSettingsMessage {
  driver: PowerDriverName;
  address: string;
  user: string;
  password: string;
  passwordFile: string;
  bootMode: BootModeName;
  hasPassword: boolean;
}

export interface PortMessage {
  mac: string;
  isSmartNic: boolean;
  smartNicAgentId: string;
  smartNicPortId: string;
  sshPublicKey: string;
  ovsdbCaCert: string;
}

export interface HolderMessage {
  kind?: 'user' | 'group';
  user?: string;
  group?: string;
}

export interface MachineMessage {
  id: string;
  hostname: string;
  arch: string;
  cores: number;
  memoryMib: number;
  tags: string[];
  pool: string;
  zone: string;
  status: MachineStatusName;
  statusReason: string;
  owner: string;
  reservedFor: HolderMessage | null;
  power: PowerSettingsMessage | null;
  powerState: PowerStateName;
  ports: PortMessage[];
  annotations: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface EnlistMachineRequest {
  hostname: string;
  arch: string;
  cores: number;
  memoryMib: number;
  tags: string[];
  pool: string;
  zone: string;
  power: PowerSettingsMessage | null;
  ports: PortMessage[];
  commission: boolean;
}

export interface MachineRef {
  machine: string;
}

export interface MachineReason {
  machine: string;
  reason: string;
}

export interface ListMachinesRequest {
  status: MachineStatusName;
  pool: string;
  owner: string;
  pageSize: number;
  pageToken: string;
}

export interface ListMachinesResponse {
  machines: MachineMessage[];
  nextPageToken: string;
}

export type DeleteMachineResponse = Record<string, never>;

export interface AllocationConstraintsMessage {
  name: string;
  arch: string;
  minCores: number;
  minMemoryMib: number;
  tags: string[];
  notTags: string[];
  pool: string;
  zone: string;
  smartNic: SmartNicConstraintName;
}

export interface AllocateMachineRequest {
  constraints: AllocationConstraintsMessage | null;
  dryRun: boolean;
  annotations: Record<string, string>;
  reason: string;
}

export interface AllocateMachineResponse {
  machine: MachineMessage | null;
  dryRun: boolean;
}

export interface AnnotateMachineRequest {
  machine: string;
  set: Record<string, string>;
  remove: string[];
}

export interface ReserveMachineRequest {
  machine: string;
  holder: HolderMessage | null;
}

export interface PoolMessage {
  name: string;
  description: string;
  autoReserveFor: HolderMessage | null;
}

export interface CreatePoolRequest {
  name: string;
  description: string;
  autoReserveFor: HolderMessage | null;
}

export interface PoolRef {
  name: string;
}

export interface SetPoolReservationRequest {
  name: string;
  autoReserveFor: HolderMessage | null;
}

export type ListPoolsRequest = Record<string, never>;

export interface ListPoolsResponse {
  pools: PoolMessage[];
}

export type DeletePoolResponse = Record<string, never>;

export interface UserMessage {
  name: string;
  role: RoleName;
  groups: string[];
  createdAt: string;
}

export interface GroupMessage {
  name: string;
  members: string[];
  createdAt: string;
}

export interface CreateUserRequest {
  name: string;
  role: RoleName;
}

export type ListUsersRequest = Record<string, never>;

export interface ListUsersResponse {
  users: UserMessage[];
}

export interface CreateGroupRequest {
  name: string;
}

export type ListGroupsRequest = Record<string, never>;

export interface ListGroupsResponse {
  groups: GroupMessage[];
}

export interface GroupMemberRequest {
  group: string;
  user: string;
}

export interface TokenMessage {
  id: string;
  user: string;
  description: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string;
}

export interface CreateTokenRequest {
  user: string;
  description: string;
  expiresInSeconds: number;
}

export interface CreateTokenResponse {
  token: TokenMessage | null;
  secret: string;
}

export interface ListTokensRequest {
  user: string;
}

export interface ListTokensResponse {
  tokens: TokenMessage[];
}

export interface RevokeTokenRequest {
  id: string;
}

export type WhoAmIRequest = Record<string, never>;

export interface EventMessage {
  seq: number;
  time: string;
  actor: string;
  kind: string;
  machineId: string;
  fromStatus: string;
  toStatus: string;
  why: string;
  details: Record<string, string>;
}

export interface WatchEventsRequest {
  sinceSeq: number;
  machine: string;
  noFollow: boolean;
}

export interface ListEventsRequest {
  sinceSeq: number;
  machine: string;
  limit: number;
}

export interface ListEventsResponse {
  events: EventMessage[];
  lastSeq: number;
}

/** A message as a sender may write it: every field optional, nested messages too. */
export type Draft<T> = T extends (infer E)[]
  ? Draft<E>[]
  : T extends object
    ? { [K in keyof T]?: Draft<T[K]> | null }
    : T;
