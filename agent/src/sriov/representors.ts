// Switchdev representors (Documentation/networking/representors.rst, protocol-facts 3.3): found by
// sysfs phys_switch_id (shared by every port of one eswitch) and phys_port_name, never by the
// netdev's parent device or name, since udev names them (BlueField's rules: p0, pf0hpf, pf0vfN;
// systemd >= v254: <pf>r<N>; vendors their own). Maps a VF (controller, PF, index) to the
// representor netdev to put on br-int, and back.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AmbiguousRepresentorError, RepresentorNotFoundError } from './errors.js';
import { formatPhysPort, parsePhysPortName, type PhysPort } from './phys-port-name.js';
import { errnoCode, SysfsReader, type SysfsGap } from './sysfs-attr.js';

export interface Representor {
  netdev: string;
  switchId: string;
  physPortName: string;
  port: PhysPort;
}

export interface RepresentorDiscovery {
  /** Sorted by switch id, then netdev name. */
  representors: Representor[];
  /** Netdevs on an eswitch whose phys_port_name is not a kernel devlink format. */
  unparsed: { netdev: string; switchId: string; physPortName: string }[];
  problems: SysfsGap[];
}

/** Every eswitch port netdev under `root` (default /sys): uplinks, PF, VF and SF representors. */
export async function discoverRepresentors(root = '/sys'): Promise<RepresentorDiscovery> {
  const reader = new SysfsReader(root);
  const result: RepresentorDiscovery = { representors: [], unparsed: [], problems: [] };
  let names: string[];
  try {
    names = await readdir(path.join(root, 'class/net'));
  } catch (err) {
    result.problems.push({ file: 'class/net', code: errnoCode(err) ?? 'UNKNOWN' });
    return result;
  }
  for (const netdev of names) {
    const gaps: SysfsGap[] = [];
    const switchId = await reader.text(`class/net/${netdev}/phys_switch_id`, gaps);
    const physPortName = await reader.text(`class/net/${netdev}/phys_port_name`, gaps);
    // ENOENT/EOPNOTSUPP: not a switch port (loopback, legacy-mode NICs, virtual devlink ports).
    for (const gap of gaps) if (gap.code !== 'ENOENT' && gap.code !== 'EOPNOTSUPP') result.problems.push(gap);
    if (switchId === null || switchId === '' || physPortName === null || physPortName === '') continue;
    const port = parsePhysPortName(physPortName);
    if (port === null) result.unparsed.push({ netdev, switchId, physPortName });
    else result.representors.push({ netdev, switchId, physPortName, port });
  }
  result.representors.sort((a, b) => a.switchId.localeCompare(b.switchId) || a.netdev.localeCompare(b.netdev));
  return result;
}

export interface VfAddress {
  /** null: the local controller; 1 on a BlueField's Arm side for the host's functions. */
  controller: number | null;
  pf: number;
  vf: number;
}

/** The representor of one VF, optionally on one eswitch; null when there is none. */
export function representorForVf(representors: readonly Representor[], vf: VfAddress, switchId?: string): Representor | null {
  const wanted = formatPhysPort({ kind: 'vf', ...vf });
  const matches = representors.filter((r) => (switchId === undefined || r.switchId === switchId) && formatPhysPort(r.port) === wanted);
  if (matches.length > 1)
    throw new AmbiguousRepresentorError(
      wanted,
      matches.map((r) => `${r.netdev}@${r.switchId}`),
    );
  return matches[0] ?? null;
}

/** The VF a representor stands for, or null for uplinks, PF and SF representors. */
export function vfOfRepresentor(representor: Representor): VfAddress | null {
  const { port } = representor;
  return port.kind === 'vf' ? { controller: port.controller, pf: port.pf, vf: port.vf } : null;
}

export interface ResolveOptions {
  /** Only representors of this eswitch. */
  switchId?: string;
  /**
   * The controller a reference without a "c<K>" prefix means. On a BlueField's Arm side in DPU
   * mode a smartNIC port names its host VF as "pf0vf3", which is port c1pf0vf3 there.
   */
  defaultController?: number | null;
}

/**
 * The representor a reference names. In order:
 *   1. a representor netdev of that name (BlueField udev names pf0vf3 the host VF 3 representor);
 *   2. the port the reference spells (kernel phys_port_name format, or pf<N>hpf), with
 *      defaultController applied when the reference has no controller;
 *   3. with no controller given at all and no local match, the single external-controller port
 *      that fits (the host's VF seen from a DPU whose representors udev named otherwise).
 */
export function resolveRepresentor(representors: readonly Representor[], reference: string, options: ResolveOptions = {}): Representor {
  const pool = representors.filter((r) => options.switchId === undefined || r.switchId === options.switchId);
  const byName = pool.find((r) => r.netdev === reference);
  if (byName !== undefined) return byName;
  const ref = parsePhysPortName(reference);
  if (ref === null)
    throw new RepresentorNotFoundError(
      reference,
      'not a representor netdev and not a port name (p0, pf0, pf0vf3, c1pf0vf3, pf0hpf, pf0sf2)',
    );
  const explicit = ref.kind === 'physical' || ref.controller !== null;
  const target = explicit || options.defaultController === undefined ? ref : { ...ref, controller: options.defaultController };
  const exact = pool.filter((r) => formatPhysPort(r.port) === formatPhysPort(target));
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1)
    throw new AmbiguousRepresentorError(
      reference,
      exact.map((r) => `${r.netdev}@${r.switchId}`),
    );
  if (!explicit && options.defaultController === undefined) {
    const external = pool.filter(
      (r) => r.port.kind !== 'physical' && r.port.kind === ref.kind && r.port.controller !== null && sameFunction(r.port, ref),
    );
    if (external.length === 1) return external[0]!;
    if (external.length > 1)
      throw new AmbiguousRepresentorError(
        reference,
        external.map((r) => `${r.netdev} (${r.physPortName})@${r.switchId}`),
      );
  }
  throw new RepresentorNotFoundError(reference, `no port ${formatPhysPort(target)} among ${pool.length} eswitch ports`);
}

/** Same PF and VF/SF index, ignoring the controller. */
function sameFunction(a: PhysPort, b: PhysPort): boolean {
  const strip = (p: PhysPort): PhysPort => (p.kind === 'physical' ? p : { ...p, controller: null });
  return formatPhysPort(strip(a)) === formatPhysPort(strip(b));
}
