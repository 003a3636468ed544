// What one deploy token grants: one machine, one step, what the ramdisk is told and served. Stored
// under the sha256 of the token (the token itself is never stored), in the boot-tokens table.
import { createHash } from 'node:crypto';
import type { UserDataField } from './sealed-deploy-secrets.js';

export const BOOT_MODES = ['deploy', 'erase'] as const;
export type BootMode = (typeof BOOT_MODES)[number];
export const END_ACTIONS = ['poweroff', 'reboot'] as const;
export type EndAction = (typeof END_ACTIONS)[number];
export const ERASE_MODES = ['quick', 'secure'] as const;
export type EraseMode = (typeof ERASE_MODES)[number];

/** How a step ended, as the ramdisk reported it. */
export type BootOutcome =
  | { readonly type: 'success'; readonly time: number; readonly details: Readonly<Record<string, string>> }
  | { readonly type: 'failure'; readonly time: number; readonly reason: string; readonly details: Readonly<Record<string, string>> };

export interface DeployGrant extends UserDataField {
  readonly machineId: string;
  readonly hostname: string;
  /** The sequence's step this token serves (the token ends with it). */
  readonly step: string;
  readonly mode: BootMode;
  /** Deploy: the image's name and its disk part. */
  readonly image: { readonly name: string; readonly sha256: string; readonly size: number; readonly holder: string } | null;
  /** The user-data, sealed (sealed-deploy-secrets.ts); DeployTokens.userData opens it. */
  readonly sealedUserData: Uint8Array;
  readonly sshKeys: readonly string[];
  readonly networkConfig: string | null;
  readonly rootDisk: string | null;
  readonly erase: EraseMode;
  readonly endAction: EndAction;
  /** Only requests from this address are served (the machine's provisioning address); null: any. */
  readonly clientAddress: string | null;
  /** The boot service the script points the ramdisk at. */
  readonly bootUrl: string;
  readonly created: number;
  readonly expiresAt: number;
  /** Set by the ramdisk's success or failure callback: from then on the token is spent. */
  readonly outcome: BootOutcome | null;
}

export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether the grant still opens anything at `now`. */
export function grantLive(grant: DeployGrant, now: number): boolean {
  return grant.outcome === null && now < grant.expiresAt;
}
