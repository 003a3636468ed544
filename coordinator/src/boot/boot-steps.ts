// The boot service's entry points for the deploy sequence (one file, so the sequence needs no other):
//   start(step)        mints the deploy token of one step of one machine (deploy an image, or erase
//                      its disks) and returns the iPXE script URL to hand the machine's DHCP
//                      (bootfile_name); the machine's previous token ends.
//   revoke(machineId)  ends the machine's tokens: call it when the step ends, however it ends.
//   outcome(machineId, step, {timeoutMs, signal})
//                      resolves with the ramdisk's success or failure for that step, from the
//                      store if it is already recorded (a resumed sequence), else on the event that
//                      records it (on etcd, whichever coordinator took the callback); bounded.
//   image(name)        the image by name (ImageNotFoundError), as a deploy names it.
//   sealUserData, openUserData, sealPhoneHomeToken, openPhoneHomeToken
//                      the deploy's user-data and first-boot token as its records keep them: sealed
//                      (sealed-deploy-secrets.ts).
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { ImageCatalog } from '../images/image-catalog.js';
import { formattedRole, type ImageRecord } from '../images/image-record.js';
import type { Machine } from '../machines/machine.js';
import { MachineNotFoundError } from '../machines/errors.js';
import type { Store } from '../store/store.js';
import type { BootMode, BootOutcome, EndAction, EraseMode } from './deploy-grant.js';
import { BOOT_EVENTS, type DeployTokens } from './deploy-tokens.js';
import { BootStepError, BootWaitError } from './errors.js';
import { IPXE_PATH } from './boot-routes.js';
import {
  openPhoneHomeToken,
  openUserData,
  sealPhoneHomeToken,
  sealUserData,
  type PhoneHomeTokenField,
  type UserDataField,
} from './sealed-deploy-secrets.js';

export interface BootStepRequest {
  readonly machineId: string;
  /** The sequence's step (e.g. "write-image", "erase"): one token per step. */
  readonly step: string;
  readonly mode: BootMode;
  /** deploy: the image's name (a raw disk image). */
  readonly image?: string;
  /** deploy: cloud-init user-data as given, the SSH public keys, an optional network-config. */
  readonly userData?: string;
  readonly sshKeys?: readonly string[];
  readonly networkConfig?: string | null;
  /** deploy: vda, sda, nvme0n1 or serial:S; default the ramdisk's choice (the smallest disk that fits). */
  readonly rootDisk?: string | null;
  /** erase: quick (default) or secure. */
  readonly erase?: EraseMode;
  /** After success or failure; default poweroff. */
  readonly endAction?: EndAction;
  /** Serve only requests from this address (the machine's provisioning address); default any. */
  readonly clientAddress?: string | null;
  /** Bound on the token's life; default 2 h. */
  readonly ttlMs?: number;
  /**
   * The token, when the caller chose it (the first boot's, which the deploy's seed names before it
   * is minted); default a new random one.
   */
  readonly token?: string;
  /** Who starts it (the event's actor); default "system". */
  readonly actor?: string;
}

export interface StartedBootStep {
  /** The iPXE script URL; it holds the token, so it is as secret as the token. */
  readonly scriptUrl: string;
  readonly token: string;
  readonly expiresAt: number;
}

export interface BootStepsDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly tokens: DeployTokens;
  readonly images: ImageCatalog;
  readonly clock: Clock;
  /** This coordinator's boot service URL, or null while it does not listen. */
  readonly bootUrl: () => string | null;
}

export const DEFAULT_BOOT_TOKEN_TTL_MS = 2 * 3600_000;
const ROOT_DISK = /^([a-z][a-z0-9]{1,31}|serial:[A-Za-z0-9._:-]{1,64})$/;
const SSH_KEY = /^[a-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\n\r]*)?$/;

export class BootSteps {
  constructor(private readonly deps: BootStepsDeps) {}

  image(name: string): ImageRecord {
    return this.deps.images.require(name);
  }

  sealUserData(machineId: string, userData: string): Uint8Array {
    return sealUserData(this.deps.store.cipher, machineId, userData);
  }

  openUserData(machineId: string, record: UserDataField): string {
    return openUserData(this.deps.store.cipher, machineId, record);
  }

  sealPhoneHomeToken(machineId: string, token: string): Uint8Array {
    return sealPhoneHomeToken(this.deps.store.cipher, machineId, token);
  }

  openPhoneHomeToken(machineId: string, record: PhoneHomeTokenField): string {
    return openPhoneHomeToken(this.deps.store.cipher, machineId, record);
  }

  async start(request: BootStepRequest): Promise<StartedBootStep> {
    const machine = this.deps.store.tables.machines.get(request.machineId) as Machine | undefined;
    if (!machine) throw new MachineNotFoundError(request.machineId);
    const fail = (problem: string): never => {
      throw new BootStepError(request.machineId, problem);
    };
    let image: { name: string; sha256: string; size: number; holder: string } | null = null;
    let bootUrl = this.deps.bootUrl();
    if (request.mode === 'deploy') {
      if (!request.image) fail('a deploy step needs an image');
      const record = this.image(request.image!);
      const disk = record.parts.find((p) => p.role === 'disk');
      if (!disk) fail(`image ${record.name} is a kernel, initrd and rootfs; the ramdisk writes whole disk images`);
      if (formattedRole(record.parts.map((p) => p.role)) === 'disk' && record.format !== 'raw')
        fail(`image ${record.name} is ${record.format}; the ramdisk writes raw disk images (convert it: qemu-img convert -O raw)`);
      image = { name: record.name, sha256: disk!.sha256, size: disk!.size, holder: record.holder };
      // The bytes are served by the boot service of the coordinator holding them.
      if (record.holder !== this.deps.images.holder) bootUrl = record.bootUrl;
    } else if (request.image) fail('an erase step takes no image');
    if (bootUrl === null) fail('no boot service serves this step (bootListen is off)');
    if (request.rootDisk && !ROOT_DISK.test(request.rootDisk))
      fail(`root disk ${request.rootDisk}: expected a disk name (vda, sda, nvme0n1) or serial:S`);
    for (const key of request.sshKeys ?? [])
      if (!SSH_KEY.test(key)) fail(`not an SSH public key (one line, "TYPE BASE64 [COMMENT]"): ${key.slice(0, 40)}`);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(request.step)) fail(`step ${request.step}: expected 1-64 letters, digits, ".", "_" or "-"`);
    const now = this.deps.clock.now();
    const expiresAt = now + (request.ttlMs ?? DEFAULT_BOOT_TOKEN_TTL_MS);
    const token = await this.deps.tokens.mint(
      {
        machineId: machine.id,
        hostname: machine.hostname,
        step: request.step,
        mode: request.mode,
        image,
        userData: request.userData ?? '',
        sshKeys: [...(request.sshKeys ?? [])],
        networkConfig: request.networkConfig ?? null,
        rootDisk: request.rootDisk ?? null,
        erase: request.erase ?? 'quick',
        endAction: request.endAction ?? 'poweroff',
        clientAddress: request.clientAddress ?? null,
        bootUrl: bootUrl!,
        expiresAt,
      },
      request.actor ?? 'system',
      request.token,
    );
    return { scriptUrl: `${bootUrl!}${IPXE_PATH}/${token}`, token, expiresAt };
  }

  revoke(machineId: string): Promise<number> {
    return this.deps.tokens.revokeMachine(machineId);
  }

  /** The step's outcome: recorded already, or the next one recorded; BootWaitError after timeoutMs or on abort. */
  outcome(machineId: string, step: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<BootOutcome> {
    return new Promise<BootOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new BootWaitError(machineId, step, `no outcome from the ramdisk within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      timer.unref();
      const done = (): void => {
        unsubscribe();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', aborted);
      };
      // Subscribed before the store is read: an outcome committed in between is seen either way.
      const unsubscribe = this.deps.events.subscribe((event) => {
        if (event.machineId !== machineId || event.details['step'] !== step) return;
        if (event.kind !== BOOT_EVENTS.succeeded && event.kind !== BOOT_EVENTS.failed) return;
        done();
        // The stored outcome, as a resumed wait reads it; from the event if the step was revoked meanwhile.
        const details = Object.fromEntries(Object.entries(event.details).filter(([k]) => k !== 'step'));
        resolve(
          this.stored(machineId, step) ??
            (event.kind === BOOT_EVENTS.succeeded
              ? { type: 'success', time: event.time, details }
              : { type: 'failure', time: event.time, reason: event.why, details }),
        );
      });
      const aborted = (): void => {
        done();
        reject(new BootWaitError(machineId, step, 'the wait was cancelled'));
      };
      const stored = this.stored(machineId, step);
      if (stored) {
        done();
        resolve(stored);
        return;
      }
      if (options.signal?.aborted) return aborted();
      options.signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  private stored(machineId: string, step: string): BootOutcome | null {
    return this.deps.tokens.grantsOf(machineId).find((g) => g.step === step && g.outcome !== null)?.outcome ?? null;
  }
}
