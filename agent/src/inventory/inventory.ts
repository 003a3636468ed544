// What the agent tells the coordinator about its machine in its hello: CPU, memory, OS and kernel,
// network interfaces (with driver and PCI address from sysfs), the OVS version and bridges, and
// the configured role. Collection is bounded in time per source and never throws: a source that
// fails or times out leaves its part null (or falls back to node:os) and is listed in failures.

import os from 'node:os';
import type { Logger } from 'pino';
import type { AgentRole } from '../config/config-schema.js';
import { systeminformationSource, type HostInfoSource, type HostNic } from './host-info-source.js';
import { readOvsInventory, vswitchdVersion, type OvsInventory, type OvsRowSource } from './ovs-inventory.js';
import { SysfsNet, type SysfsNic, type SysfsProblem } from './sysfs-net.js';
import { timeBound } from './time-bound.js';

export type InventorySourceName = 'cpu' | 'memory' | 'os' | 'network' | 'sysfs' | 'ovs';

export interface InventoryFailure {
  source: InventorySourceName;
  error: string;
}

export interface NetworkInterfaceInventory {
  name: string;
  mac: string | null;
  speedMbps: number | null;
  mtu: number | null;
  operState: string | null;
  driver: string | null;
  /** PCI function (DDDD:BB:DD.F) the netdev sits on, where known. */
  pciAddress: string | null;
  /** A software interface (no device behind it). */
  virtual: boolean;
}

/**
 * JSON-serialisable. cpu, memory and os fall back to node:os when systeminformation fails (the
 * failure is still listed); ovs is null when no replica was given or it could not be read.
 */
export interface Inventory {
  collectedAt: string;
  role: AgentRole;
  hostname: string;
  cpu: { model: string; physicalCores: number | null; logicalCores: number };
  memory: { totalBytes: number };
  os: { distro: string | null; release: string | null; codename: string | null; kernel: string; arch: string };
  networkInterfaces: NetworkInterfaceInventory[];
  ovs: OvsInventory | null;
  failures: InventoryFailure[];
}

export interface CollectInventoryOptions {
  role: AgentRole;
  /** The OVSDB replica (PortBinder.replicaMonitor.replica); omit when OVS is not available. */
  ovs?: OvsRowSource;
  /** Cap on each source (default 5 s). */
  timeoutMs?: number;
  /** Default /sys. */
  sysfsRoot?: string;
  /** Default: systeminformation. */
  hostInfo?: HostInfoSource;
  /** Asked for its version when the database does not record one (default ovs-vswitchd). */
  vswitchdBinary?: string;
  log?: Logger;
}

export async function collectInventory(options: CollectInventoryOptions): Promise<Inventory> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const host = options.hostInfo ?? systeminformationSource();
  const sysfs = new SysfsNet(options.sysfsRoot);
  const failures: InventoryFailure[] = [];
  const started = Date.now();
  const attempt = async <T>(source: InventorySourceName, work: () => Promise<T>, capMs = timeoutMs): Promise<T | null> => {
    try {
      return await timeBound(source, capMs, work);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      failures.push({ source, error });
      options.log?.warn({ source, err: error }, 'inventory source failed');
      return null;
    }
  };

  const [cpu, memTotal, osInfo, nics] = await Promise.all([
    attempt('cpu', () => host.cpu()),
    attempt('memory', () => host.memTotal()),
    attempt('os', () => host.os()),
    // systeminformation gets one cap, then the sysfs pass (or fallback) another.
    attempt('network', () => networkInterfaces(host, sysfs, failures, timeoutMs), 2 * timeoutMs),
  ]);
  let ovs: OvsInventory | null = null;
  if (options.ovs) {
    const source = options.ovs;
    ovs = await attempt('ovs', () => Promise.resolve().then(() => readOvsInventory(source)));
    if (ovs && ovs.version === null) ovs = { ...ovs, version: await vswitchdVersion(options.vswitchdBinary, timeoutMs) };
  }

  const inventory: Inventory = {
    collectedAt: new Date(started).toISOString(),
    role: options.role,
    hostname: osInfo?.hostname || os.hostname(),
    // node:os answers instantly; it stands in when systeminformation did not answer.
    cpu: cpu
      ? {
          model: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || (os.cpus()[0]?.model ?? 'unknown'),
          physicalCores: cpu.physicalCores || null,
          logicalCores: cpu.cores || os.availableParallelism(),
        }
      : { model: os.cpus()[0]?.model ?? 'unknown', physicalCores: null, logicalCores: os.availableParallelism() },
    memory: { totalBytes: memTotal && memTotal > 0 ? memTotal : os.totalmem() },
    os: osInfo
      ? {
          distro: osInfo.distro || null,
          release: osInfo.release || null,
          codename: osInfo.codename || null,
          kernel: osInfo.kernel || os.release(),
          arch: osInfo.arch || os.arch(),
        }
      : { distro: null, release: null, codename: null, kernel: os.release(), arch: os.arch() },
    networkInterfaces: nics ?? [],
    ovs,
    failures,
  };
  options.log?.info(
    { ms: Date.now() - started, interfaces: inventory.networkInterfaces.length, failures: failures.length },
    'inventory collected',
  );
  return inventory;
}

/**
 * systeminformation's list, completed from sysfs (driver, PCI address, and any field it left
 * empty); if systeminformation fails, sysfs alone. Interfaces are sorted by name.
 */
async function networkInterfaces(
  host: HostInfoSource,
  sysfs: SysfsNet,
  failures: InventoryFailure[],
  timeoutMs: number,
): Promise<NetworkInterfaceInventory[]> {
  let fromSi: HostNic[] | undefined;
  let siError: unknown;
  try {
    fromSi = await timeBound('network', timeoutMs, () => host.networkInterfaces());
  } catch (err) {
    siError = err;
  }
  const problems: SysfsProblem[] = [];
  const read = async (name: string): Promise<SysfsNic | undefined> => sysfs.read(name, problems).catch(() => undefined);
  let out: NetworkInterfaceInventory[];
  if (fromSi) {
    out = await Promise.all(fromSi.map(async (n) => merge(n, await read(n.iface))));
  } else {
    // Fall back to sysfs alone, but still report that systeminformation failed.
    failures.push({
      source: 'network',
      error: `systeminformation: ${siError instanceof Error ? siError.message : String(siError)}; listed from sysfs`,
    });
    const names = await sysfs.list();
    out = (await Promise.all(names.map(read))).filter((n): n is SysfsNic => n !== undefined).map((s) => ({ ...s }));
  }
  for (const p of problems) failures.push({ source: 'sysfs', error: `${p.name}: ${p.error}` });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function merge(n: HostNic, s: SysfsNic | undefined): NetworkInterfaceInventory {
  return {
    name: n.iface,
    mac: n.mac || s?.mac || null,
    speedMbps: n.speed !== null && n.speed > 0 ? n.speed : (s?.speedMbps ?? null),
    mtu: n.mtu ?? s?.mtu ?? null,
    operState: n.operstate || s?.operState || null,
    driver: n.driver || s?.driver || null,
    pciAddress: n.pciAddress || s?.pciAddress || null,
    virtual: n.virtual || n.internal || (s?.virtual ?? false),
  };
}
