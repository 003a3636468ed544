// A SIMULATION of the Linux sysfs SR-IOV tree, for tests on machines without SR-IOV hardware or
// netdevsim (shared/reference/real-components.md, "What cannot run here"). It lays out, in a temp
// dir, what the kernel shows (protocol-facts 3.1, Documentation/PCI/pci-iov-howto.rst):
//   class/net/<pf> -> ../../devices/pci0000:00/<BDF>/net/<pf>
//   devices/pci0000:00/<BDF>/{sriov_totalvfs,sriov_numvfs,sriov_drivers_autoprobe,sriov_offset,
//     sriov_stride,numa_node,driver -> bus/pci/drivers/<drv>,virtfnN -> ../<VF BDF>}
//   devices/pci0000:00/<VF BDF>/{physfn -> ../<BDF>,net/<vf netdev>}
// Plain files cannot refuse writes, so the simulated SysfsWriter applies drivers/pci/iov.c
// sriov_numvfs_store in the kernel's order: not a u16 EINVAL; above totalvfs ERANGE; the current
// value a no-op; no driver ENOENT; 0 disables; nonzero -> different nonzero EBUSY; the driver may
// enable fewer than asked. Errors look like Node fs errors (err.code, err.errno, err.syscall).
// virtfn links and switchdev representors appear during the write, as the kernel creates them in
// sriov_configure; VF netdevs appear later, when the simulated VF driver "probes".
// The eswitch mode lives in .sim-state/eswitch-<BDF>.json, shared with the simulated devlink
// (sriov-sim-tools): representors are created on enable only in switchdev mode, and every enable
// or disable resets the VFs' ip-link settings (.sim-state/vf-<BDF>.json), as a new VF starts blank.
// Every accepted or refused write is appended to .sim-state/calls.log, the log the simulated
// tools append their calls to, so tests can assert the order of sysfs writes and tool calls.

import { EventEmitter } from 'node:events';
import { appendFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SysfsWriter } from '../../agent/src/sriov/sysfs-writer.js';

export interface SimSwitchdev {
  /** phys_switch_id shared by the uplink and every representor of this eswitch. */
  switchId: string;
  /** The uplink's phys_port_name (the PF netdev itself in switchdev mode). */
  uplinkPortName?: string;
  /** Representors of enabled VFs get phys_port_name [c<K>]pf<pfIndex>vf<N>. */
  controller?: number | null;
  pfIndex?: number;
  /** Representor netdev name; default pf<pfIndex>vf<N> (BlueField's udev rules). */
  representorName?: (vf: number) => string;
}

export interface SimPfOptions {
  netdev: string;
  /** PCI address, e.g. 0000:03:00.0. */
  bdf: string;
  totalVfs: number;
  /** PF driver; null simulates an unbound PF (sriov_numvfs writes then fail with ENOENT). */
  driver?: string | null;
  vfDriver?: string;
  numaNode?: number;
  mac?: string;
  operState?: string;
  offset?: number;
  stride?: number;
  autoprobe?: boolean;
  /** The driver enables at most this many VFs, whatever is asked (a firmware limit). */
  enableLimit?: number;
  /** When VF netdevs appear: after delayMs, only on releaseNetdevs(), or never. */
  vfNetdevs?: { mode: 'delayed'; delayMs: number } | { mode: 'held' } | { mode: 'never' };
  vfNetdevName?: (vf: number) => string;
  switchdev?: SimSwitchdev | null;
  /** With switchdev given: the eswitch mode at start (default switchdev); devlink may change it. */
  eswitchMode?: 'legacy' | 'switchdev';
  /** Leave these attribute files out (a driver or kernel that does not expose them). */
  omit?: string[];
}

export interface SimPortOptions {
  netdev: string;
  /** The PCI function the netdev hangs off (representors hang off their eswitch's PF). */
  parentBdf: string;
  switchId: string | null;
  physPortName: string | null;
  mac?: string;
}

export interface SimWrite {
  /** Path relative to the root as the writer was given it. */
  file: string;
  attribute: string;
  value: string;
  /** 'ok', or the errno code the simulated kernel answered with. */
  outcome: string;
}

interface SimPf {
  options: SimPfOptions;
  pciDir: string;
  numVfs: number;
  autoprobe: boolean;
  timer: NodeJS.Timeout | null;
  /** Netdevs created for the current enable (VF netdevs and representors), to remove on disable. */
  vfNetdevs: string[];
  representors: string[];
  pendingNetdevs: (() => Promise<void>) | null;
}

const ERRNO: Record<string, { errno: number; text: string }> = {
  EBUSY: { errno: -16, text: 'resource busy or locked' },
  ERANGE: { errno: -34, text: 'result too large' },
  ENOENT: { errno: -2, text: 'no such file or directory' },
  EINVAL: { errno: -22, text: 'invalid argument' },
};

/** An error shaped as Node's fs module reports a failed write(2). */
export function simulatedFsError(code: keyof typeof ERRNO): NodeJS.ErrnoException {
  const { errno, text } = ERRNO[code]!;
  return Object.assign(new Error(`${code}: ${text}, write`), { code, errno, syscall: 'write' });
}

export class SriovSysfsSimulation {
  /** Every write the simulated kernel saw, in order, including refused ones. */
  readonly writes: SimWrite[] = [];
  /** 'write' (SimWrite) after each write; 'vf-netdevs' (pf netdev) once a PF's VF netdevs appeared. */
  readonly events = new EventEmitter();
  readonly writer: SysfsWriter;
  /** Failures of delayed work (VF netdevs appearing); tests may assert it stays empty. */
  readonly failures: unknown[] = [];
  private readonly pfs = new Map<string, SimPf>();
  private staging = 0;
  private lock: Promise<void> = Promise.resolve();

  private constructor(readonly root: string) {
    // The kernel holds the device lock across sriov_numvfs_store: writes are serialized.
    this.writer = {
      write: (file, value) => {
        const result = this.lock.then(() => this.write(file, value));
        this.lock = result.catch(() => undefined);
        return result;
      },
    };
  }

  static async create(): Promise<SriovSysfsSimulation> {
    const root = await realpath(await mkdtemp(path.join(tmpdir(), 'mooring-sriov-sim-')));
    for (const dir of ['class/net', 'devices/pci0000:00', 'bus/pci/devices', 'bus/pci/drivers', '.sim-staging', '.sim-state']) {
      await mkdir(path.join(root, dir), { recursive: true });
    }
    return new SriovSysfsSimulation(root);
  }

  async close(): Promise<void> {
    for (const pf of this.pfs.values()) if (pf.timer !== null) clearTimeout(pf.timer);
    await rm(this.root, { recursive: true, force: true });
  }

  async addPf(options: SimPfOptions): Promise<void> {
    const pciDir = await this.addPciFunction(
      options.bdf,
      options.driver === undefined ? 'mlx5_core' : options.driver,
      options.numaNode ?? 0,
    );
    const attrs: Record<string, string> = {
      sriov_totalvfs: String(options.totalVfs),
      sriov_numvfs: '0',
      sriov_drivers_autoprobe: options.autoprobe === false ? '0' : '1',
      sriov_offset: String(options.offset ?? 2),
      sriov_stride: String(options.stride ?? 1),
    };
    for (const [name, value] of Object.entries(attrs)) {
      if (!(options.omit ?? []).includes(name)) await writeFile(path.join(pciDir, name), `${value}\n`);
    }
    const switchdevNow = options.switchdev != null && (options.eswitchMode ?? 'switchdev') === 'switchdev';
    await this.addNetdev(options.bdf, options.netdev, {
      address: options.mac ?? '0c:42:a1:00:00:00',
      operstate: options.operState ?? 'up',
      ...(!switchdevNow ? {} : { phys_switch_id: options.switchdev!.switchId, phys_port_name: options.switchdev!.uplinkPortName ?? 'p0' }),
    });
    if (options.switchdev != null) {
      const state = {
        mode: switchdevNow ? 'switchdev' : 'legacy',
        switchId: options.switchdev.switchId,
        uplinkPortName: options.switchdev.uplinkPortName ?? 'p0',
      };
      await writeFile(this.statePath(`eswitch-${options.bdf}.json`), JSON.stringify(state));
    }
    for (const name of options.omit ?? []) await rm(path.join(pciDir, name), { force: true });
    this.pfs.set(pciDir, {
      options,
      pciDir,
      numVfs: 0,
      autoprobe: options.autoprobe !== false,
      timer: null,
      vfNetdevs: [],
      representors: [],
      pendingNetdevs: null,
    });
  }

  /** A netdev on an existing PCI function: a representor (switchId + port name) or a plain port. */
  async addPort(options: SimPortOptions): Promise<void> {
    await this.addNetdev(options.parentBdf, options.netdev, {
      address: options.mac ?? '00:00:00:00:00:00',
      operstate: 'up',
      ...(options.switchId === null ? {} : { phys_switch_id: options.switchId }),
      ...(options.physPortName === null ? {} : { phys_port_name: options.physPortName }),
    });
  }

  /** A PCI function with no SR-IOV capability (to hang plain netdevs off). */
  async addPlainPciFunction(bdf: string, driver: string | null): Promise<void> {
    await this.addPciFunction(bdf, driver, -1);
  }

  /** For vfNetdevs 'held': the simulated VF driver probes now. Resolves once the netdevs exist. */
  async releaseNetdevs(pfNetdev: string): Promise<void> {
    const pf = this.pfByNetdev(pfNetdev);
    const pending = pf.pendingNetdevs;
    if (pending === null) throw new Error(`simulation: no VF netdevs pending on ${pfNetdev}`);
    await pending();
  }

  /** A file of the state shared with the simulated tools. */
  statePath(name: string): string {
    return path.join(this.root, '.sim-state', name);
  }

  /** Appends one entry to the call log the simulated tools write too. */
  logCall(entry: Record<string, unknown>): void {
    appendFileSync(this.statePath('calls.log'), `${JSON.stringify(entry)}\n`);
  }

  /** New or removed VFs start blank: their ip-link settings and port-function MACs go. */
  private async resetVfState(bdf: string): Promise<void> {
    for (const name of [`vf-${bdf}.json`, `portfn-${bdf}.json`]) await rm(this.statePath(name), { force: true });
  }

  /** The eswitch mode as the simulated devlink left it; null for a PF without an eswitch. */
  async eswitchMode(pfNetdev: string): Promise<'legacy' | 'switchdev' | null> {
    const { options } = this.pfByNetdev(pfNetdev);
    if (options.switchdev == null) return null;
    const state = JSON.parse(await readFile(this.statePath(`eswitch-${options.bdf}.json`), 'utf8')) as { mode: 'legacy' | 'switchdev' };
    return state.mode;
  }

  pfDir(pfNetdev: string): string {
    return this.pfByNetdev(pfNetdev).pciDir;
  }

  /** The VF's PCI address as the kernel derives it: PF routing ID + offset + stride * index. */
  vfBdf(pfNetdev: string, vf: number): string {
    const { options } = this.pfByNetdev(pfNetdev);
    return vfAddress(options.bdf, options.offset ?? 2, options.stride ?? 1, vf);
  }

  private pfByNetdev(netdev: string): SimPf {
    for (const pf of this.pfs.values()) if (pf.options.netdev === netdev) return pf;
    throw new Error(`simulation: no PF ${netdev}`);
  }

  private async addPciFunction(bdf: string, driver: string | null, numaNode: number): Promise<string> {
    const dir = path.join(this.root, 'devices/pci0000:00', bdf);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'numa_node'), `${numaNode}\n`);
    await symlink(`../../../devices/pci0000:00/${bdf}`, path.join(this.root, 'bus/pci/devices', bdf));
    if (driver !== null) {
      await mkdir(path.join(this.root, 'bus/pci/drivers', driver), { recursive: true });
      await symlink(`../../../bus/pci/drivers/${driver}`, path.join(dir, 'driver'));
    }
    return dir;
  }

  /**
   * devices/pci0000:00/<bdf>/net/<name>, then class/net/<name>: the kernel's device_add order (the
   * device's dir under its parent, then the class symlink). The dir is built aside and renamed into
   * place so a reader never sees half a netdev.
   */
  private async addNetdev(bdf: string, name: string, attrs: Record<string, string>): Promise<void> {
    const staged = path.join(this.root, '.sim-staging', String(this.staging++));
    await mkdir(staged);
    for (const [attr, value] of Object.entries(attrs)) await writeFile(path.join(staged, attr), `${value}\n`);
    await symlink(`../../../${bdf}`, path.join(staged, 'device'));
    await mkdir(path.join(this.root, 'devices/pci0000:00', bdf, 'net'), { recursive: true });
    await rename(staged, path.join(this.root, 'devices/pci0000:00', bdf, 'net', name));
    await symlink(`../../devices/pci0000:00/${bdf}/net/${name}`, path.join(this.root, 'class/net', name));
  }

  private async removeNetdev(bdf: string, name: string): Promise<void> {
    await rm(path.join(this.root, 'class/net', name), { force: true });
    await rm(path.join(this.root, 'devices/pci0000:00', bdf, 'net', name), { recursive: true, force: true });
  }

  private async write(file: string, value: string): Promise<void> {
    const attribute = path.basename(file);
    const record = (outcome: string): void => {
      const write = { file: path.relative(this.root, file), attribute, value, outcome };
      this.writes.push(write);
      this.logCall({ kind: 'sysfs', attribute, value, outcome });
      this.events.emit('write', write);
    };
    const dir = await realpath(path.dirname(file));
    const pf = this.pfs.get(dir);
    if (pf === undefined || (attribute !== 'sriov_numvfs' && attribute !== 'sriov_drivers_autoprobe')) {
      await writeFile(file, value);
      record('ok');
      return;
    }
    try {
      if (attribute === 'sriov_numvfs') await this.storeNumVfs(pf, value);
      else await this.storeAutoprobe(pf, value);
      record('ok');
    } catch (err) {
      record((err as NodeJS.ErrnoException).code ?? 'UNKNOWN');
      throw err;
    }
  }

  /** drivers/pci/iov.c sriov_drivers_autoprobe_store: kstrtobool. */
  private async storeAutoprobe(pf: SimPf, value: string): Promise<void> {
    const v = value.trim();
    if (!/^([01yYnN]|on|off)$/i.test(v)) throw simulatedFsError('EINVAL');
    pf.autoprobe = /^(1|y|on)$/i.test(v);
    await writeFile(path.join(pf.pciDir, 'sriov_drivers_autoprobe'), `${pf.autoprobe ? 1 : 0}\n`);
  }

  /** drivers/pci/iov.c sriov_numvfs_store, in its order of checks. */
  private async storeNumVfs(pf: SimPf, value: string): Promise<void> {
    const v = value.trim();
    if (!/^\d+$/.test(v) || Number(v) > 0xffff) throw simulatedFsError('EINVAL');
    const requested = Number(v);
    if (requested > pf.options.totalVfs) throw simulatedFsError('ERANGE');
    if (requested === pf.numVfs) return;
    const driverBound = await lstat(path.join(pf.pciDir, 'driver')).then(
      () => true,
      () => false,
    );
    if (!driverBound) throw simulatedFsError('ENOENT');
    if (requested === 0) {
      await this.disable(pf);
      return;
    }
    // "%d VFs already enabled. Disable before enabling %d VFs"
    if (pf.numVfs !== 0) throw simulatedFsError('EBUSY');
    await this.enable(pf, Math.min(requested, pf.options.enableLimit ?? requested));
  }

  private async enable(pf: SimPf, count: number): Promise<void> {
    const { options } = pf;
    const vfNames: string[] = [];
    for (let i = 0; i < count; i++) {
      const bdf = this.vfBdf(options.netdev, i);
      await this.addPciFunction(bdf, pf.autoprobe ? (options.vfDriver ?? options.driver ?? 'mlx5_core') : null, options.numaNode ?? 0);
      await symlink(`../${options.bdf}`, path.join(this.root, 'devices/pci0000:00', bdf, 'physfn'));
      await symlink(`../${bdf}`, path.join(pf.pciDir, `virtfn${i}`));
      vfNames.push((options.vfNetdevName ?? ((n: number) => `${options.netdev}v${n}`))(i));
    }
    const sw = options.switchdev;
    await this.resetVfState(options.bdf);
    if (sw != null && (await this.eswitchMode(options.netdev)) === 'switchdev') {
      const pfIndex = sw.pfIndex ?? 0;
      const prefix = sw.controller == null ? '' : `c${sw.controller}`;
      for (let i = 0; i < count; i++) {
        const name = (sw.representorName ?? ((n: number) => `pf${pfIndex}vf${n}`))(i);
        await this.addPort({ netdev: name, parentBdf: options.bdf, switchId: sw.switchId, physPortName: `${prefix}pf${pfIndex}vf${i}` });
        pf.representors.push(name);
      }
    }
    pf.numVfs = count;
    await writeFile(path.join(pf.pciDir, 'sriov_numvfs'), `${count}\n`);

    // VF netdevs only appear where a VF driver binds, i.e. with autoprobe on.
    const mode = options.vfNetdevs ?? { mode: 'delayed', delayMs: 20 };
    if (!pf.autoprobe || mode.mode === 'never') return;
    let done: Promise<void> | null = null;
    const appear = (): Promise<void> => {
      done ??= (async () => {
        pf.timer = null;
        pf.pendingNetdevs = null;
        for (let i = 0; i < vfNames.length; i++) {
          const name = vfNames[i]!;
          await this.addNetdev(this.vfBdf(options.netdev, i), name, {
            address: `02:00:00:00:${hex(pf.options.totalVfs)}:${hex(i)}`,
            operstate: 'up',
          });
          pf.vfNetdevs.push(name);
        }
        this.events.emit('vf-netdevs', options.netdev);
      })();
      return done;
    };
    pf.pendingNetdevs = appear;
    if (mode.mode === 'delayed') {
      pf.timer = setTimeout(() => {
        appear().catch((err: unknown) => this.failures.push(err));
      }, mode.delayMs);
    }
  }

  private async disable(pf: SimPf): Promise<void> {
    if (pf.timer !== null) clearTimeout(pf.timer);
    pf.timer = null;
    pf.pendingNetdevs = null;
    const { options } = pf;
    for (const name of pf.representors) await this.removeNetdev(options.bdf, name);
    for (let i = 0; i < pf.numVfs; i++) {
      const bdf = this.vfBdf(options.netdev, i);
      const name = pf.vfNetdevs[i];
      if (name !== undefined) await rm(path.join(this.root, 'class/net', name), { force: true });
      await rm(path.join(pf.pciDir, `virtfn${i}`), { force: true });
      await rm(path.join(this.root, 'bus/pci/devices', bdf), { force: true });
      await rm(path.join(this.root, 'devices/pci0000:00', bdf), { recursive: true, force: true });
    }
    pf.representors = [];
    pf.vfNetdevs = [];
    await this.resetVfState(options.bdf);
    pf.numVfs = 0;
    await writeFile(path.join(pf.pciDir, 'sriov_numvfs'), '0\n');
  }
}

function hex(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

/** PCI routing ID arithmetic (pci_iov_virtfn_bus/devfn): VF n is at RID(PF) + offset + n * stride. */
export function vfAddress(pfBdf: string, offset: number, stride: number, vf: number): string {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(pfBdf);
  if (m === null) throw new Error(`simulation: bad PCI address ${pfBdf}`);
  const rid = (parseInt(m[2]!, 16) << 8) + (parseInt(m[3]!, 16) << 3) + parseInt(m[4]!, 10) + offset + vf * stride;
  const bus = (rid >> 8) & 0xff;
  const dev = (rid >> 3) & 0x1f;
  const fn = rid & 0x7;
  return `${m[1]}:${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${fn}`;
}
