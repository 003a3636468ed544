// The machine record as the coordinator stores it (ARCHITECTURE.md "Coordinator model"). Secrets
// (BMC passwords) are not part of it: they live in their own table (store/secret-table.ts).
import { effectiveCores, effectiveMemoryMib, type HardwareFacts } from './hardware-facts.js';

export const MACHINE_STATUSES = [
  'NEW',
  'COMMISSIONING',
  'READY',
  'ALLOCATED',
  'DEPLOYING',
  'DEPLOYED',
  'RELEASING',
  'BROKEN',
  'FAILED_COMMISSIONING',
  'FAILED_DEPLOYMENT',
] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];

export const POWER_DRIVERS = ['ipmi', 'redfish', 'lxd', 'manual'] as const;
export type PowerDriverName = (typeof POWER_DRIVERS)[number];

export const BOOT_MODES = ['uefi', 'legacy'] as const;
export type BootMode = (typeof BOOT_MODES)[number];

export type PowerState = 'on' | 'off' | 'unknown';

/**
 * The RMCP+ cipher suites a machine may use (IPMI v2.0 table 22-20, as MAAS offers them): each
 * authenticates, checks integrity and encrypts (AES-CBC-128). 3 is HMAC-SHA1 (the default: old
 * BMCs and ipmi_sim take it), 17 HMAC-SHA256 (required by many current BMCs), 8 and 12 HMAC-MD5 and
 * MD5. Suite 0 logs in without authentication and the rest send commands in clear, so they are refused.
 */
export const IPMI_CIPHER_SUITES = [3, 8, 12, 17] as const;
export type IpmiCipherSuite = (typeof IPMI_CIPHER_SUITES)[number];
export const DEFAULT_IPMI_CIPHER_SUITE: IpmiCipherSuite = 3;

/** How the redfish driver checks the BMC's TLS certificate. */
export type RedfishTls =
  /** The coordinator's own setting (config redfishCaFile / redfishInsecure; else the system CAs). */
  | { readonly verify: 'default' }
  /** Against this PEM file on the coordinator's host. */
  | { readonly verify: 'ca-file'; readonly caFile: string }
  | { readonly verify: 'system-cas' }
  /** No verification (labs only). */
  | { readonly verify: 'off' };

/** Who a machine is reserved for. */
export type Holder = { readonly kind: 'user'; readonly name: string } | { readonly kind: 'group'; readonly name: string };

export interface PowerSettings {
  readonly driver: PowerDriverName;
  readonly address: string;
  readonly user: string;
  /** A path on the coordinator's host holding the password, read when the driver needs it. */
  readonly passwordFile: string | null;
  /** Whether a password is stored in the secret table for this machine. */
  readonly hasPassword: boolean;
  readonly bootMode: BootMode;
  /** ipmi only (null for other drivers): ipmitool's -C. */
  readonly ipmiCipherSuite: IpmiCipherSuite | null;
  /** redfish only (null for other drivers). */
  readonly redfishTls: RedfishTls | null;
}

export interface Port {
  readonly mac: string;
  readonly isSmartNic: boolean;
  readonly smartNicAgentId: string | null;
  readonly smartNicPortId: string | null;
  readonly sshPublicKey: string | null;
  readonly ovsdbCaCert: string | null;
}

export interface Machine {
  readonly id: string;
  readonly hostname: string;
  readonly arch: string;
  readonly cores: number;
  readonly memoryMib: number;
  readonly tags: readonly string[];
  readonly pool: string;
  readonly zone: string;
  readonly status: MachineStatus;
  readonly statusReason: string;
  readonly owner: string | null;
  readonly reservedFor: Holder | null;
  readonly power: PowerSettings;
  readonly powerState: PowerState;
  readonly ports: readonly Port[];
  readonly annotations: Readonly<Record<string, string>>;
  /** The status a BROKEN machine had when it was marked broken; mark-fixed returns there. */
  readonly brokenFrom: MachineStatus | null;
  readonly commissioned: boolean;
  /**
   * What the BMC reported at the last commissioning that read any facts. `cores` and `memoryMib`
   * above stay as typed in at enlistment; where the facts give a figure it is the one in effect
   * (effectiveCores, effectiveMemoryMib). Absent in records stored before facts existed.
   */
  readonly hardware?: HardwareFacts;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Allocation cost: smaller fits first (cores + memory in GiB, the values in effect). */
export function machineCost(machine: Pick<Machine, 'cores' | 'memoryMib' | 'hardware'>): number {
  return effectiveCores(machine) + effectiveMemoryMib(machine) / 1024;
}

export function hasSmartNic(machine: Pick<Machine, 'ports'>): boolean {
  return machine.ports.some((port) => port.isSmartNic);
}

export function holderKey(holder: Holder | null): string {
  if (!holder) return '';
  return `${holder.kind === 'user' ? 'u' : 'g'}:${holder.name}`;
}

export function describeHolder(holder: Holder | null): string {
  return holder ? `${holder.kind} ${holder.name}` : 'nobody';
}
