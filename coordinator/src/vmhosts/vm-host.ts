// The VM host record (ARCHITECTURE.md "VM hosts"): an LXD host whose agent manages exactly one
// project. The agent's last LXD report is kept with it, so `vmhost show` and compose's capacity
// check work from what the host last said, even while its agent is offline.
import type { LxdReport__Output } from '../../../proto/generated/index.js';

export interface VmHost {
  /** The VM host takes its agent's name: one VM host per agent. */
  readonly name: string;
  readonly agent: string;
  readonly project: string;
  /** 0 to 10; 0 means nothing may be composed. */
  readonly cpuOvercommit: number;
  readonly memoryOvercommit: number;
  readonly pool: string;
  readonly zone: string;
  readonly arch: string;
  /** Image alias or fingerprint composed instances start from; '' leaves it to the agent. */
  readonly image: string;
  readonly report: LxdReport__Output | null;
  readonly reportAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const MAX_OVERCOMMIT = 10;
export const DEFAULT_OVERCOMMIT = 1;

/** power.address of an instance's machine: which host, which instance. */
export function instanceAddress(host: string, instance: string): string {
  return `${host}/${instance}`;
}

export function parseInstanceAddress(address: string): { host: string; instance: string } | null {
  const at = address.indexOf('/');
  if (at <= 0 || at === address.length - 1) return null;
  return { host: address.slice(0, at), instance: address.slice(at + 1) };
}
