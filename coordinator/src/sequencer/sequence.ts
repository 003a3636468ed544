// A BIOS-halt sequence as the store keeps it (ARCHITECTURE.md "The BIOS-halt sequence"). The
// record names the step about to be acted on; it is written before the step acts, so a restarted
// coordinator resumes exactly there. Every step is safe to repeat: boot-device writes are
// idempotent, power on/off leave a machine already in that state alone, agent waits compare
// epochs recorded before power-on, port commands carry ids derived from the sequence, which
// agents apply once, attach reuses the attachment (LSP name) it stored for a port before asking
// the fabric, and the fabric's attach and detach calls are idempotent.
import type { PhoneHomeTokenField, UserDataField } from '../boot/sealed-deploy-secrets.js';
import type { PowerState } from '../machines/machine.js';
import type { EraseMode } from '../boot/deploy-grant.js';
import type { BootDevice } from '../power/power-driver.js';

/**
 * deploy: ALLOCATED -> DEPLOYING -> (bind, boot the deploy device) -> DEPLOYED.
 * release: RELEASING -> (unbind, power off) -> READY.
 * bind / unbind: on demand, the machine's status is left as it is.
 */
export type SequenceKind = 'deploy' | 'release' | 'bind' | 'unbind';

export const STEPS = [
  'read-power',
  'set-boot-bios',
  'power-on',
  'wait-agents',
  // A tenant network: an OVN logical port per smartNIC port, stored before it is created.
  'attach',
  'ports',
  // A tenant network: OVN reports each logical port up (claimed by the smartNIC's chassis).
  'wait-ovn',
  // Logical ports the machine no longer uses (unbind, release, a move, a deploy without network).
  'detach',
  'set-boot-deploy',
  'restore-off',
  'restore-on',
  // An image deploy (image-steps.ts), after the deploy boot into the ramdisk on provisioning:
  // its outcome, then the port onto the tenant network, boot from disk, the first boot's phone-home.
  'wait-image',
  'move',
  'set-boot-disk',
  'disk-off',
  'disk-on',
  'wait-first-boot',
  // A release with erase, after the boot into the ramdisk in erase mode: its outcome.
  'wait-erase',
  'finish',
  // After a failure: a failed move's ports back on the network they left, the power back as it
  // was found, then record the failure.
  'fail-restore',
  'fail-finish',
] as const;
export type Step = (typeof STEPS)[number];

export interface SequenceFailure {
  readonly step: Step;
  readonly reason: string;
}

export interface SequenceRecord {
  readonly id: string;
  readonly machineId: string;
  readonly kind: SequenceKind;
  readonly actor: string;
  readonly step: Step;
  readonly startedAt: number;
  readonly stepStartedAt: number;
  /** The power state read at the start; null until read. */
  readonly powerFound: PowerState | null;
  /** Whether this sequence powered the machine on into BIOS setup. */
  readonly biosHalt: boolean;
  /** Each smartNIC agent's session epoch before power-on: a newer session proves it came back. */
  readonly epochsBefore: Readonly<Record<string, number>>;
  /** Ports (agent/port) already bound or unbound by this sequence. */
  readonly portsDone: readonly string[];
  readonly deployBoot: BootDevice;
  readonly failure: SequenceFailure | null;
  /** deploy / bind on a tenant network (ids); null or absent (records from before): none. */
  readonly network?: NetworkTarget | null;
  /** LSP names this sequence attached (a failure detaches them); absent in older records. */
  readonly attached?: readonly string[];
  /** An image deploy (absent: today's deploy). */
  readonly image?: ImageDeploy | null;
  /** A release that erases the disks first (absent: today's release). */
  readonly erase?: EraseMode | null;
}

/** What an image deploy writes and hands cloud-init. */
export interface ImageDeploy extends UserDataField, PhoneHomeTokenField {
  readonly name: string;
  /** The user-data given at deploy, sealed (boot/sealed-deploy-secrets.ts); BootSteps.openUserData opens it. */
  readonly sealedUserData: Uint8Array;
  readonly sshKeys: readonly string[];
  /**
   * The first boot's deploy token, sealed (BootSteps.openPhoneHomeToken opens it): chosen at deploy
   * so the phone-home URL can go into the seed the ramdisk writes; it is minted (and opens
   * anything) only from step set-boot-disk on.
   */
  readonly sealedPhoneHomeToken: Uint8Array;
}

/** The tenant network a deploy or bind puts the machine's smartNIC ports on. */
export interface NetworkTarget {
  readonly networkId: string;
  readonly securityGroupIds: readonly string[];
}

/** What each step tells an operator. */
export const STEP_TEXT: Readonly<Record<Step, string>> = {
  'read-power': 'read the power state',
  'set-boot-bios': 'set the next boot to BIOS setup (once)',
  'power-on': 'power on into BIOS setup',
  'wait-agents': 'wait for each smartNIC agent to open a new session',
  attach: 'attach the smartNIC ports to the tenant network',
  ports: 'bind the smartNIC ports and wait until they are active',
  'wait-ovn': 'wait until OVN reports each port up',
  detach: 'detach the ports from networks the machine no longer uses',
  'set-boot-deploy': 'set the deploy boot device',
  'restore-off': 'power off',
  'restore-on': 'power on',
  'wait-image': 'wait for the ramdisk to write the image',
  move: 'move the smartNIC ports from provisioning to the tenant network',
  'set-boot-disk': 'set the boot device to disk',
  'disk-off': 'power off',
  'disk-on': 'power on from disk',
  'wait-first-boot': "wait for the first boot's phone-home",
  'wait-erase': 'wait for the ramdisk to erase the disks',
  finish: 'finish',
  'fail-restore': 'restore the power state found',
  'fail-finish': 'record the failure',
};
