// The steps of an image deploy and of an erasing release (sequence.ts), run by the BIOS-halt
// sequencer around its own. An image deploy: at attach, the deploy token and the ports on the
// provisioning network with the iPXE script URL as their boot file (instead of the tenant network);
// bind, OVN up, boot pxe and power cycle as before; then
//   wait-image       the ramdisk's outcome (event-driven, bounded; its progress is in the events)
//   move             the token ends; each port's LSP moves to the tenant network (no rebind)
//   set-boot-disk    disk (persistent), and the first boot's token minted for its phone-home
//   disk-off/-on     power cycle (two steps: a resumed sequence never boots twice)
//   wait-first-boot  the phone-home of the first boot (cloud-init's phone_home), bounded
// An erasing release: at attach, the erase token and the ports on provisioning; bind (not unbind),
// boot pxe, power cycle; then wait-erase, and the ports leave every network before READY.
// A failure: the tokens end and the ports stay only on provisioning, without a boot file.
import { randomBytes } from 'node:crypto';
import { FIRST_BOOT_STEP, PHONE_HOME_PATH } from '../boot/boot-routes.js';
import type { BootSteps } from '../boot/boot-steps.js';
import type { EraseMode } from '../boot/deploy-grant.js';
import type { Machine } from '../machines/machine.js';
import type { PowerDriver, PowerTarget } from '../power/power-driver.js';
import { ImageDeployRefusedError, RamdiskFailedError } from './errors.js';
import { smartNicPorts } from './port-attachments.js';
import type { ImageDeploySettings } from './image-deploy-config.js';
import type { Provisioning } from './provisioning.js';
import type { ImageDeploy, NetworkTarget, SequenceRecord, Step } from './sequence.js';

/** An image deploy as asked for. */
export interface ImageRequest {
  readonly image: string;
  readonly userData: string;
  readonly sshKeys: readonly string[];
}

const MAX_USER_DATA = 64 * 1024;
const SSH_KEY = /^[a-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\n\r]*)?$/;

/** The boot steps' names (one token each). */
export const BOOT_STEP = { image: 'write-image', firstBoot: FIRST_BOOT_STEP, erase: 'erase' } as const;

type PowerCall = <T>(m: Machine, call: (d: PowerDriver, t: PowerTarget, s: AbortSignal) => Promise<T>) => Promise<T>;

export interface ImageStepsDeps {
  readonly boot: BootSteps;
  readonly provisioning: Provisioning;
  readonly settings: ImageDeploySettings;
  /** The boot service's URL as machines reach it (null while it does not listen). */
  readonly bootUrl: () => string | null;
}

export class ImageSteps {
  constructor(private readonly deps: ImageStepsDeps) {}

  /**
   * Checks an image deploy before anything is stored (provisioning network, boot service, image,
   * user-data, keys) and returns what the sequence record keeps (the user-data sealed); ImageDeployRefusedError or the
   * missing part's error otherwise.
   */
  prepare(request: ImageRequest, machine: Machine, hasNetwork: boolean): ImageDeploy {
    const refuse = (why: string): never => {
      throw new ImageDeployRefusedError(`image deploy of ${request.image}: ${why}`);
    };
    if (smartNicPorts(machine).length === 0) refuse(`machine ${machine.hostname} has no smartNIC port to netboot through`);
    if (!hasNetwork) refuse('needs --network (the tenant network the machine moves to once the image is written)');
    this.deps.provisioning.network(); // ProvisioningNotConfiguredError
    if (this.deps.bootUrl() === null) refuse('the boot service does not listen (set bootListen)');
    const image = this.deps.boot.image(request.image); // ImageNotFoundError
    if (!image.parts.some((p) => p.role === 'disk')) refuse('it is not a disk image (the ramdisk writes whole disk images)');
    if (image.format !== 'raw') refuse(`it is ${image.format}; the ramdisk writes raw disk images (convert it: qemu-img convert -O raw)`);
    const userData = request.userData;
    if (userData.length > MAX_USER_DATA) refuse(`user-data is ${userData.length} bytes, at most ${MAX_USER_DATA}`);
    if (userData !== '' && !userData.startsWith('#cloud-config'))
      refuse('user-data must be a #cloud-config document (the deploy adds its phone_home to it)');
    if (/^phone_home\s*:/m.test(userData)) refuse('user-data has a phone_home of its own; the deploy sets it');
    for (const key of request.sshKeys)
      if (!SSH_KEY.test(key)) refuse(`not an SSH public key (one line, "TYPE BASE64 [COMMENT]"): ${key.slice(0, 40)}`);
    return {
      name: image.name,
      sealedUserData: this.deps.boot.sealUserData(machine.id, userData),
      sshKeys: [...request.sshKeys],
      sealedPhoneHomeToken: this.deps.boot.sealPhoneHomeToken(machine.id, randomBytes(32).toString('base64url')),
    };
  }

  /** Whether the sequence boots the ramdisk (an image deploy or an erasing release). */
  static netboots(r: SequenceRecord): boolean {
    return (r.kind === 'deploy' && !!r.image) || (r.kind === 'release' && !!r.erase);
  }

  /** Where the ports are bound while the ramdisk runs. */
  target(): NetworkTarget {
    return this.deps.provisioning.target();
  }

  /** Step attach of a netbooting sequence: the step's token, then the ports on provisioning with its script URL. */
  async attach(r: SequenceRecord, m: Machine): Promise<void> {
    if (r.kind === 'deploy' && r.image) {
      const started = await this.deps.boot.start({
        machineId: m.id,
        step: BOOT_STEP.image,
        mode: 'deploy',
        image: r.image.name,
        userData: withPhoneHome(this.deps.boot.openUserData(m.id, r.image), this.phoneHomeUrl(m, r.image)),
        sshKeys: r.image.sshKeys,
        endAction: 'poweroff',
        actor: r.actor,
      });
      await this.deps.provisioning.attachProvisioning(r.actor, m, started.scriptUrl);
      return;
    }
    const started = await this.deps.boot.start({
      machineId: m.id,
      step: BOOT_STEP.erase,
      mode: 'erase',
      erase: r.erase ?? 'quick',
      endAction: 'poweroff',
      actor: r.actor,
    });
    await this.deps.provisioning.attachForErase(r.actor, m, started.scriptUrl);
  }

  /** The steps of this file; null: not one of them. */
  async act(r: SequenceRecord, m: Machine, power: PowerCall): Promise<{ step: Step } | null> {
    switch (r.step) {
      case 'wait-image':
        await this.outcome(m, BOOT_STEP.image, this.deps.settings.ramdiskTimeoutMs);
        return { step: 'move' };
      case 'move':
        await this.deps.boot.revoke(m.id);
        await this.deps.provisioning.moveToNetwork(r.actor, m, r.network!);
        return { step: 'set-boot-disk' };
      case 'set-boot-disk':
        await power(m, (d, t, s) => d.setBootDevice(t, { device: 'disk', persistent: true, mode: m.power.bootMode }, s));
        // Minted before the power-on: the phone-home can come at once.
        await this.deps.boot.start({
          machineId: m.id,
          step: BOOT_STEP.firstBoot,
          mode: 'deploy',
          image: r.image!.name,
          token: this.deps.boot.openPhoneHomeToken(m.id, r.image!),
          actor: r.actor,
        });
        return { step: 'disk-off' };
      case 'disk-off':
        await power(m, (d, t, s) => d.powerOff(t, s));
        return { step: 'disk-on' };
      case 'disk-on':
        await power(m, (d, t, s) => d.powerOn(t, s));
        return { step: 'wait-first-boot' };
      case 'wait-first-boot':
        await this.outcome(m, BOOT_STEP.firstBoot, this.deps.settings.firstBootTimeoutMs);
        await this.deps.boot.revoke(m.id);
        return { step: 'finish' };
      case 'wait-erase':
        await this.outcome(m, BOOT_STEP.erase, this.deps.settings.ramdiskTimeoutMs);
        await this.deps.boot.revoke(m.id);
        // Erased: the ports leave every network (the next deploy attaches them again).
        await this.deps.provisioning.detachAll(r.actor, m);
        // The ramdisk powered off; an off to an off chassis changes nothing.
        await power(m, (d, t, s) => d.powerOff(t, s));
        return { step: 'finish' };
      default:
        return null;
    }
  }

  /** How a release erases now: null when it does not (off, or no provisioning network or boot service). */
  releaseErase(): EraseMode | null {
    const mode = this.deps.settings.releaseErase;
    if (mode === 'off' || this.deps.bootUrl() === null) return null;
    try {
      this.deps.provisioning.network();
    } catch {
      return null; // no provisioning network: today's release
    }
    return mode;
  }

  /** The step after the deploy boot's power-on. */
  static afterPowerOn(r: SequenceRecord): Step {
    if (r.kind === 'deploy' && r.image) return 'wait-image';
    if (r.kind === 'release' && r.erase) return 'wait-erase';
    return 'finish';
  }

  /** After any failure of a netbooting sequence: no token left, the ports only on provisioning (no boot file). */
  async failed(r: SequenceRecord, m: Machine): Promise<void> {
    await this.deps.boot.revoke(m.id);
    await this.deps.provisioning.leaveOnlyProvisioning(r.actor, m);
  }

  private async outcome(m: Machine, step: string, timeoutMs: number): Promise<void> {
    const outcome = await this.deps.boot.outcome(m.id, step, { timeoutMs });
    if (outcome.type === 'failure') throw new RamdiskFailedError(step, outcome.reason);
  }

  private phoneHomeUrl(m: Machine, image: ImageDeploy): string {
    const bootUrl = this.deps.bootUrl();
    if (bootUrl === null) throw new ImageDeployRefusedError('no boot service listens (bootListen is off)');
    return `${bootUrl}${PHONE_HOME_PATH}/${this.deps.boot.openPhoneHomeToken(m.id, image)}`;
  }
}

/**
 * The deploy's user-data with cloud-init's phone_home pointed at the first boot's URL: a
 * #cloud-config document gets the key appended (a phone_home of its own is refused at deploy), none
 * becomes one with only it.
 */
export function withPhoneHome(userData: string, url: string): string {
  const base = userData === '' ? '#cloud-config\n' : userData.endsWith('\n') ? userData : `${userData}\n`;
  return `${base}phone_home:\n  url: ${url}\n  post: [instance_id, hostname]\n  tries: 10\n`;
}
