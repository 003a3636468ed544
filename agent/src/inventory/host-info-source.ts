// The host facts the inventory asks systeminformation for, behind a small interface so tests can
// substitute a slow or failing source. Only the fields the inventory uses are declared.

import si from 'systeminformation';

export interface HostCpu {
  manufacturer: string;
  brand: string;
  /** Logical CPUs. */
  cores: number;
  physicalCores: number;
}

export interface HostOs {
  distro: string;
  release: string;
  codename: string;
  kernel: string;
  arch: string;
  hostname: string;
}

export interface HostNic {
  iface: string;
  mac: string;
  internal: boolean;
  virtual: boolean;
  operstate: string;
  mtu: number | null;
  /** Mbit/s; null or negative when unknown. */
  speed: number | null;
  /** Present only if a future systeminformation reports them. */
  driver?: string;
  pciAddress?: string;
}

export interface HostInfoSource {
  cpu(): Promise<HostCpu>;
  memTotal(): Promise<number>;
  os(): Promise<HostOs>;
  networkInterfaces(): Promise<HostNic[]>;
}

/** The real source: systeminformation. */
export function systeminformationSource(): HostInfoSource {
  return {
    cpu: () => si.cpu(),
    memTotal: async () => (await si.mem()).total,
    os: () => si.osInfo(),
    networkInterfaces: async () => {
      const r = await si.networkInterfaces();
      return Array.isArray(r) ? r : [r];
    },
  };
}
