// SR-IOV physical functions under a sysfs root (Documentation/PCI/pci-iov-howto.rst, protocol-facts
// 3.1). A PF is a netdev whose device (class/net/<pf>/device -> devices/.../<BDF>) has
// sriov_totalvfs. In switchdev mode the VF/PF/SF representors' device is the same PCI function, so
// a netdev whose phys_port_name names a function port (pf0vf3, c1pf0, ...) is a representor, not a
// PF; the uplink (phys_port_name p<N>, or none in legacy mode) is the PF. Missing attributes are
// reported per PF, never fatal.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { NotSriovPfError } from './errors.js';
import { parsePhysPortName } from './phys-port-name.js';
import { errnoCode, SysfsReader, type SysfsGap } from './sysfs-attr.js';

export interface VfInfo {
  index: number;
  /** PCI address the virtfnN link points at; null if the link could not be read. */
  pciAddress: string | null;
  /** The VF's netdev, null while it has not appeared or when the VF is bound to vfio-pci. */
  netdev: string | null;
  mac: string | null;
}

export interface PfInfo {
  netdev: string;
  pciAddress: string | null;
  driver: string | null;
  /** null when the kernel reports -1 (no NUMA affinity) or the attribute is missing. */
  numaNode: number | null;
  operState: string | null;
  mac: string | null;
  /** Present on switchdev-capable drivers: shared by every port of the eswitch. */
  physSwitchId: string | null;
  physPortName: string | null;
  totalVfs: number;
  numVfs: number | null;
  autoprobe: boolean | null;
  vfOffset: number | null;
  vfStride: number | null;
  vfs: VfInfo[];
  /** Attributes that were expected but missing or unreadable, relative to the sysfs root. */
  missing: SysfsGap[];
}

export interface PfDiscovery {
  pfs: PfInfo[];
  /** class/net itself could not be listed, or a PF failed to read entirely. */
  problems: SysfsGap[];
}

const VIRTFN_RE = /^virtfn(\d+)$/;

/** Every SR-IOV PF netdev under `root` (default /sys), sorted by netdev name. */
export async function discoverPfs(root = '/sys'): Promise<PfDiscovery> {
  const problems: SysfsGap[] = [];
  let names: string[];
  try {
    names = (await readdir(path.join(root, 'class/net'))).sort();
  } catch (err) {
    return { pfs: [], problems: [{ file: 'class/net', code: errnoCode(err) ?? 'UNKNOWN' }] };
  }
  const pfs: PfInfo[] = [];
  for (const name of names) {
    const candidate = await isPfCandidate(root, name);
    if (!candidate) continue;
    try {
      pfs.push(await readPf(root, name));
    } catch (err) {
      // Vanished between listing and reading (VFs being disabled, a driver unbinding).
      problems.push({ file: `class/net/${name}`, code: errnoCode(err) ?? (err as Error).name });
    }
  }
  return { pfs, problems };
}

async function isPfCandidate(root: string, name: string): Promise<boolean> {
  const reader = new SysfsReader(root);
  const scratch: SysfsGap[] = [];
  if ((await reader.text(`class/net/${name}/device/sriov_totalvfs`, scratch)) === null) return false;
  const portName = await reader.text(`class/net/${name}/phys_port_name`, scratch);
  if (portName === null || portName === '') return true;
  const port = parsePhysPortName(portName);
  return port === null || port.kind === 'physical';
}

/** One PF by netdev name; NotSriovPfError when its device has no sriov_totalvfs. */
export async function readPf(root: string, netdev: string): Promise<PfInfo> {
  const reader = new SysfsReader(root);
  const net = `class/net/${netdev}`;
  const dev = `${net}/device`;
  const missing: SysfsGap[] = [];
  const totalGaps: SysfsGap[] = [];
  const totalVfs = await reader.int(`${dev}/sriov_totalvfs`, totalGaps);
  if (totalVfs === null) {
    throw new NotSriovPfError(netdev, `${totalGaps[0]?.file ?? dev} ${totalGaps[0]?.code ?? 'missing'}`);
  }
  const pciAddress = await reader.linkName(dev, missing);
  const driver = await reader.linkName(`${dev}/driver`, missing);
  const numa = await reader.int(`${dev}/numa_node`, missing);
  const autoprobe = await reader.int(`${dev}/sriov_drivers_autoprobe`, missing);
  const pf: PfInfo = {
    netdev,
    pciAddress,
    driver,
    numaNode: numa === null || numa < 0 ? null : numa,
    operState: await reader.text(`${net}/operstate`, missing),
    mac: await reader.text(`${net}/address`, missing),
    physSwitchId: await optional(reader, `${net}/phys_switch_id`, missing),
    physPortName: await optional(reader, `${net}/phys_port_name`, missing),
    totalVfs,
    numVfs: await reader.int(`${dev}/sriov_numvfs`, missing),
    autoprobe: autoprobe === null ? null : autoprobe !== 0,
    vfOffset: await reader.int(`${dev}/sriov_offset`, missing),
    vfStride: await reader.int(`${dev}/sriov_stride`, missing),
    vfs: await readVfs(reader, dev, missing),
    missing,
  };
  return pf;
}

/** phys_switch_id/phys_port_name: EOPNOTSUPP (legacy-mode drivers) or ENOENT mean "none", not a gap. */
async function optional(reader: SysfsReader, rel: string, missing: SysfsGap[]): Promise<string | null> {
  const gaps: SysfsGap[] = [];
  const value = await reader.text(rel, gaps);
  for (const gap of gaps) if (gap.code !== 'ENOENT' && gap.code !== 'EOPNOTSUPP') missing.push(gap);
  return value === '' ? null : value;
}

/** The VFs the PF's virtfnN links name, by index. */
export async function readVfs(reader: SysfsReader, pfDeviceRel: string, missing: SysfsGap[]): Promise<VfInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(reader.abs(pfDeviceRel));
  } catch (err) {
    missing.push({ file: pfDeviceRel, code: errnoCode(err) ?? 'UNKNOWN' });
    return [];
  }
  const indexes = entries
    .map((e) => VIRTFN_RE.exec(e)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const vfs: VfInfo[] = [];
  for (const index of indexes) {
    const link = `${pfDeviceRel}/virtfn${index}`;
    const pciAddress = await reader.linkName(link, missing);
    const netdev = await vfNetdev(reader, link);
    // Through the VF's own dir: the class/net link is made after it (device_add order).
    const mac = netdev === null ? null : await reader.text(`${link}/net/${netdev}/address`, missing);
    vfs.push({ index, pciAddress, netdev, mac });
  }
  return vfs;
}

/** The netdev under virtfnN/net, if one has appeared (none while the driver probes, or with vfio-pci). */
export async function vfNetdev(reader: SysfsReader, virtfnRel: string): Promise<string | null> {
  try {
    const names = (await readdir(reader.abs(`${virtfnRel}/net`))).sort();
    return names[0] ?? null;
  } catch {
    return null;
  }
}
