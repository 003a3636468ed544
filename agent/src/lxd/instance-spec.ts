// A compose request checked and turned into LXD's InstancesPost body, and an LXD instance turned
// into the LxdInstance message. Everything wrong with a request is found here, before LXD is asked,
// so nothing is half-created.

import type { LxdCompose__Output, LxdInstance__Output, LxdNicRequest__Output } from '../../../proto/generated/index.js';
import { LxdInvalidError } from './errors.js';
import { cpuLimit, formatCpuSet, parseCpuSet, parseLxdSize, parseMemoryLimit, VM_DEFAULT_MEMORY } from './limits.js';
import type { RawInstance } from './resources.js';

/** The config key marking an instance Mooring composed, holding its machine id. */
export const MACHINE_ID_KEY = 'user.mooring.machine-id';

export const INSTANCE_TYPES = ['container', 'virtual-machine'] as const;

// LXD instance names are host names: letters, digits and hyphens, not starting with a digit or hyphen.
const INSTANCE_NAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const DEVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

export function checkInstanceName(name: string, field = 'name'): string {
  if (!INSTANCE_NAME.test(name))
    throw new LxdInvalidError(field, `${JSON.stringify(name)} is not an instance name (1-63 letters, digits or -, starting with a letter)`);
  return name;
}

export interface ComposeContext {
  /** Thread id -> NUMA node of the host. */
  threadNodes: ReadonlyMap<number, number>;
  /** Storage pools that exist. */
  pools: readonly string[];
  /** Image used when the request names none; empty: an empty instance (netboot). */
  defaultImage: string;
}

/** The body of POST /1.0/instances for a compose request. */
export interface ComposeBody {
  name: string;
  type: string;
  source: Record<string, string>;
  config: Record<string, string>;
  devices: Record<string, Record<string, string>>;
}

export function composeBody(req: LxdCompose__Output, ctx: ComposeContext): ComposeBody {
  const name = checkInstanceName(req.name);
  const type = req.type || 'container';
  if (!(INSTANCE_TYPES as readonly string[]).includes(type))
    throw new LxdInvalidError('type', `${JSON.stringify(type)} is not container or virtual-machine`);
  const config: Record<string, string> = {};
  const cpus = cpuConfig(req, ctx.threadNodes);
  if (cpus) config['limits.cpu'] = cpus;
  if (req.memoryBytes > 0) config['limits.memory'] = String(req.memoryBytes);
  else if (req.hugepages) throw new LxdInvalidError('memory', 'hugepage-backed memory needs a memory size');
  // LXD knows limits.memory.hugepages for virtual machines only (containers take limits.hugepages.*).
  if (req.hugepages && type !== 'virtual-machine')
    throw new LxdInvalidError('hugepages', 'hugepage-backed memory (limits.memory.hugepages) applies to virtual machines only');
  if (req.hugepages) config['limits.memory.hugepages'] = 'true';
  if (req.machineId) config[MACHINE_ID_KEY] = req.machineId;
  const devices: Record<string, Record<string, string>> = {};
  const pool = req.pool || (ctx.pools.includes('default') ? 'default' : (ctx.pools[0] ?? ''));
  if (!pool) throw new LxdInvalidError('pool', 'this LXD host has no storage pool');
  if (!ctx.pools.includes(pool))
    throw new LxdInvalidError('pool', `storage pool ${JSON.stringify(pool)} does not exist (pools: ${ctx.pools.join(', ') || 'none'})`);
  devices.root = { type: 'disk', path: '/', pool };
  if (req.rootDiskBytes > 0) devices.root.size = String(req.rootDiskBytes);
  req.nics.forEach((n, i) => {
    const dev = nicDevice(n, i);
    if (devices[dev.key]) throw new LxdInvalidError(`nics[${i}].name`, `device ${dev.key} is given twice`);
    devices[dev.key] = dev.device;
  });
  const image = req.image || ctx.defaultImage;
  const source: Record<string, string> = image
    ? /^[0-9a-f]{64}$/.test(image)
      ? { type: 'image', fingerprint: image }
      : { type: 'image', alias: image }
    : { type: 'none' };
  return { name, type, source, config, devices };
}

/** limits.cpu for the request: a count, or a pinned set that must exist and lie on one NUMA node. */
function cpuConfig(req: LxdCompose__Output, nodes: ReadonlyMap<number, number>): string | null {
  if (!req.pinnedCpus) return req.cores > 0 ? String(req.cores) : null;
  const set = parseCpuSet(req.pinnedCpus);
  if (!set || set.length === 0)
    throw new LxdInvalidError('pinned_cpus', `${JSON.stringify(req.pinnedCpus)} is not a CPU set such as 0-3 or 0,2`);
  if (req.cores > 0 && req.cores !== set.length)
    throw new LxdInvalidError('cores', `${req.cores} cores requested but the pinned set ${req.pinnedCpus} has ${set.length}`);
  const missing = set.filter((c) => !nodes.has(c));
  if (missing.length > 0)
    throw new LxdInvalidError('pinned_cpus', `CPU ${missing.join(', ')} does not exist on this host (CPUs 0-${Math.max(...nodes.keys())})`);
  const onNodes = new Set(set.map((c) => nodes.get(c)));
  if (onNodes.size > 1)
    throw new LxdInvalidError(
      'pinned_cpus',
      `CPUs ${req.pinnedCpus} span NUMA nodes ${[...onNodes].join(', ')}; a pinned set must lie on one node`,
    );
  // LXD reads a bare number as a count: a single pinned CPU is written as the range N-N.
  return set.length === 1 ? `${set[0]}-${set[0]}` : formatCpuSet(set);
}

/** Exactly one of network, parent (a host bridge) or sriov_parent (a PF: nictype sriov). */
function nicDevice(n: LxdNicRequest__Output, i: number): { key: string; device: Record<string, string> } {
  const given = [n.network && 'network', n.parent && 'parent', n.sriovParent && 'sriov_parent'].filter(Boolean);
  if (given.length !== 1)
    throw new LxdInvalidError(
      `nics[${i}]`,
      `give exactly one of network, parent or sriov_parent (got ${given.length ? given.join(', ') : 'none'})`,
    );
  const key = n.name || `eth${i}`;
  if (!DEVICE_NAME.test(key)) throw new LxdInvalidError(`nics[${i}].name`, `${JSON.stringify(key)} is not a device name`);
  const device: Record<string, string> = n.network
    ? { type: 'nic', network: n.network }
    : n.parent
      ? { type: 'nic', nictype: 'bridged', parent: n.parent }
      : { type: 'nic', nictype: 'sriov', parent: n.sriovParent };
  device.name = key;
  if (n.mac) {
    if (!MAC.test(n.mac)) throw new LxdInvalidError(`nics[${i}].mac`, `${JSON.stringify(n.mac)} is not a MAC address`);
    device.hwaddr = n.mac.toLowerCase();
  }
  return { key, device };
}

export function instanceMessage(i: RawInstance, hostMemory: number): LxdInstance__Output {
  const cfg = i.expanded_config ?? i.config ?? {};
  const devices = i.expanded_devices ?? i.devices ?? {};
  const cpu = cpuLimit(cfg['limits.cpu'], i.type);
  const memText = cfg['limits.memory'];
  const root = Object.values(devices).find((d) => d.type === 'disk' && d.path === '/');
  const nics = Object.entries(devices)
    .filter(([, d]) => d.type === 'nic')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, d]) => ({
      network: d.network ?? '',
      parent: d.nictype === 'sriov' ? '' : (d.parent ?? ''),
      sriovParent: d.nictype === 'sriov' ? (d.parent ?? '') : '',
      name: key,
      mac: d.hwaddr ?? cfg[`volatile.${key}.hwaddr`] ?? '',
    }));
  return {
    name: i.name,
    type: i.type,
    status: i.status,
    cores: cpu.cores,
    pinnedCpus: cpu.pinned ? formatCpuSet(cpu.pinned) : '',
    memoryBytes: memText ? (parseMemoryLimit(memText, hostMemory) ?? 0) : i.type === 'virtual-machine' ? VM_DEFAULT_MEMORY : 0,
    hugepages: cfg['limits.memory.hugepages'] === 'true',
    rootDiskBytes: root?.size ? (parseLxdSize(root.size) ?? 0) : 0,
    pool: root?.pool ?? '',
    nics,
    createdAt: i.created_at ?? '',
    machineId: cfg[MACHINE_ID_KEY] ?? '',
  };
}
