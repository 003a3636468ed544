// A bare-metal machine as a real QEMU VM: a raw disk image file, the serial console captured to a
// file, and its NIC a persistent tap on a smartNIC's netdev OVS (test/harness/ovs-netdev-smartnic.ts).
// Its BMC is a real ipmi_sim (test/harness/ipmi-sim.ts) whose chassis calls drive the VM: power on
// starts QEMU, power off kills it (hard: SIGKILL), reset restarts it, a soft shutdown asks the guest
// over QMP (ACPI power button); the boot device set with `chassis bootdev` picks the boot order of
// the next start (pxe: network first; disk/default: disk first; bios: the VM stays halted in
// firmware, vCPUs stopped, as a host held in BIOS setup). When QEMU exits on its own (the guest
// powered off, or QEMU failed), the chassis power goes off, so `chassis power status` always
// reflects the QEMU process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { IpmiSim, waitForChange, type ChassisCall, type ChassisFollower } from './ipmi-sim.js';
import type { NetdevSmartNic } from './ovs-netdev-smartnic.js';
import { qemuAccel, type QemuAccel } from './qemu-accel.js';
import { qemuArgs, type BootOrder } from './qemu-args.js';
import { qmpCommand } from './qemu-qmp.js';

/** CSI sequences (ESC [ ... letter) and ESC c (reset), built from a string: no control characters in a regex literal. */
const TERMINAL_ESCAPE = new RegExp(`${String.fromCharCode(27)}(\\[[0-9;?]*[A-Za-z]|c)`, 'g');
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface QemuMachineOptions {
  /** A short name (the tap is `t-<name>`, at most 15 bytes). */
  readonly name: string;
  readonly smartNic: NetdevSmartNic;
  /**
   * The Logical_Switch_Port the machine's port stands for (the tap's external_ids:iface-id);
   * absent: the tap is left off the bridge for the smartNIC's mooring-agent to bind.
   */
  readonly ifaceId?: string;
  readonly mac: string;
  /** Default 64 MiB (sparse). */
  readonly diskMiB?: number;
  /** Default 256 MiB. */
  readonly memoryMiB?: number;
  readonly log?: Logger;
  /** Keep the machine's dir (disk, serial log, QEMU's stderr) for inspection. */
  readonly keep?: boolean;
}

/** One QEMU process of the machine (one power-on or reset). */
interface Run {
  readonly child: ChildProcess;
  readonly boot: BootOrder;
  readonly exited: Promise<void>;
  /** Set before the harness stops it: its exit is not the guest powering off. */
  expected: boolean;
}

export class QemuMachine {
  /** One entry per QEMU start, with the boot order it used. */
  readonly starts: BootOrder[] = [];
  /** QEMU failures and chassis calls that could not be carried out. */
  readonly errors: string[] = [];
  private run: Run | undefined;
  private follower: ChassisFollower | undefined;
  private stopped = false;

  private constructor(
    readonly options: QemuMachineOptions,
    readonly dir: string,
    readonly bmc: IpmiSim,
    readonly accel: QemuAccel,
    private readonly log: Logger,
  ) {}

  static async create(options: QemuMachineOptions): Promise<QemuMachine> {
    const log = (options.log ?? pino({ name: 'qemu-machine' })).child({ machine: options.name });
    const { accel } = await qemuAccel(log);
    const dir = await mkdtemp(path.join(tmpdir(), `mooring-vm-${options.name}-`));
    const bmc = await IpmiSim.start({ power: 'off', keep: options.keep }).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    const machine = new QemuMachine(options, dir, bmc, accel, log);
    try {
      const disk = await open(machine.diskPath, 'w');
      await disk.truncate((options.diskMiB ?? 64) * 1024 * 1024);
      await disk.close();
      await options.smartNic.addTap(machine.tap, options.ifaceId);
      machine.follower = await bmc.follow(
        (call) => machine.onChassisCall(call),
        (error) => machine.fail(`chassis call: ${String(error)}`),
      );
    } catch (error) {
      await machine.stop();
      throw error;
    }
    return machine;
  }

  get tap(): string {
    return `t-${this.options.name}`;
  }

  get diskPath(): string {
    return path.join(this.dir, 'disk.raw');
  }

  get serialPath(): string {
    return path.join(this.dir, 'serial.log');
  }

  /** Whether a QEMU process of this machine is running. */
  get running(): boolean {
    return this.run !== undefined;
  }

  /** QEMU's pid while it runs. */
  get pid(): number | undefined {
    return this.run?.child.pid;
  }

  /** Resolves once every chassis call logged so far has been carried out (QEMU started, killed, ...). */
  async settle(): Promise<void> {
    await this.follower?.sync();
  }

  /** Everything the guest printed on its serial console so far (every boot), without CRs and terminal escapes. */
  async serial(): Promise<string> {
    const raw = await readFile(this.serialPath, 'utf8').catch(() => '');
    // SeaBIOS's serial console draws with ANSI escapes; iPXE ends lines with CR LF.
    return raw.replace(TERMINAL_ESCAPE, '').replace(/\r/g, '');
  }

  /** Resolves with the serial console text once `pattern` appears in it, waking on writes to it. */
  async waitForSerial(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitForChange(
      this.dir,
      async () => {
        const text = await this.serial();
        if (pattern.test(text)) return text;
        if (this.errors.length > 0) throw new Error(`${this.options.name}: ${this.errors.join('; ')}`);
        return undefined;
      },
      `${this.options.name}'s console to show ${String(pattern)}`,
      timeoutMs,
    );
  }

  /** Resolves once QEMU is no longer running (the guest powered off, or the BMC turned it off). */
  async waitForPowerOff(timeoutMs = 60_000): Promise<void> {
    const run = this.run;
    if (!run) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.options.name} still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([run.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills QEMU, stops the BMC and removes the machine's files (not its tap: the smartNIC owns that). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.follower?.stop();
    await this.kill();
    await this.bmc.stop();
    if (!this.options.keep) await rm(this.dir, { recursive: true, force: true });
  }

  private async onChassisCall(call: ChassisCall): Promise<void> {
    if (this.stopped || call.verb !== 'set') return;
    const [what, value] = call.args;
    if (what === 'power' && value === '1' && !this.run) await this.start();
    else if (what === 'power' && value === '0') await this.kill();
    else if (what === 'reset' && value === '1' && this.run) {
      await this.kill();
      await this.start();
    } else if (what === 'shutdown' && value === '1' && this.run) await this.pressPowerButton();
  }

  private async start(): Promise<void> {
    const device = await this.bmc.bootDevice();
    const boot: BootOrder = device === 'pxe' ? 'network' : device === 'bios' ? 'firmware' : 'disk';
    const args = qemuArgs({
      name: this.options.name,
      accel: this.accel,
      memoryMiB: this.options.memoryMiB ?? 256,
      disk: this.diskPath,
      serial: this.serialPath,
      qmp: this.qmpPath,
      tap: this.tap,
      mac: this.options.mac,
      boot,
    });
    const stderr = await open(path.join(this.dir, 'qemu.log'), 'a');
    // The tap lives in the smartNIC's namespace: QEMU opens it from there (`ip netns exec` execs QEMU in place).
    const child = spawn('ip', ['netns', 'exec', this.options.smartNic.netns, 'qemu-system-x86_64', ...args], {
      stdio: ['ignore', 'ignore', stderr.fd],
    });
    await stderr.close();
    live.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const run: Run = { child, boot, exited, expected: false };
    this.run = run;
    this.starts.push(boot);
    this.log.info({ pid: child.pid, boot, accel: this.accel, device }, 'QEMU started');
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (this.run === run) this.run = undefined;
      if (run.expected) return;
      this.log.info({ code, signal }, 'QEMU exited by itself: chassis power off');
      if (code !== 0) this.fail(`QEMU exited with ${code ?? signal}; see ${path.join(this.dir, 'qemu.log')}`);
      this.bmc.setPower('off').catch((error: unknown) => this.fail(`chassis power off after QEMU exit: ${String(error)}`));
    });
  }

  private async kill(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.expected = true;
    run.child.kill('SIGKILL');
    await run.exited;
    this.log.info({ pid: run.child.pid }, 'QEMU killed (hard power off)');
  }

  /**
   * ACPI power button through QMP. The chassis program has already written power off; it stays on
   * until QEMU really exits (a guest without ACPI, like iPXE, ignores the button, as real ones do).
   */
  private async pressPowerButton(): Promise<void> {
    await this.bmc.setPower('on');
    await qmpCommand(this.qmpPath, 'system_powerdown');
  }

  private get qmpPath(): string {
    return path.join(this.dir, 'qmp.sock');
  }

  private fail(message: string): void {
    this.errors.push(message);
    this.log.warn({ error: message }, 'machine fault');
  }
}
