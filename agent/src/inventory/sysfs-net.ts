// Network interface facts from sysfs (Documentation/ABI/testing/sysfs-class-net): what
// systeminformation does not report. /sys/class/net/NAME/device links to the device the netdev
// sits on; its driver link names the driver, and the nearest PCI address (DDDD:BB:DD.F) on the
// resolved path is the PCI function (a virtio NIC's device is virtioN, whose parent is the PCI
// function). The root is injectable so tests can build a fake tree in a temp dir.

import { readFile, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

const PCI_ADDRESS_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

export interface SysfsNic {
  name: string;
  /** null for interfaces without a device (loopback, bridges, veth, OVS internal ports). */
  pciAddress: string | null;
  driver: string | null;
  mac: string | null;
  speedMbps: number | null;
  mtu: number | null;
  operState: string | null;
  /** No device link: a software interface. */
  virtual: boolean;
}

/** An unexpected sysfs error (anything but a missing file or an unsupported attribute). */
export interface SysfsProblem {
  name: string;
  error: string;
}

export class SysfsNet {
  constructor(readonly root = '/sys') {}

  /** Interface names under class/net, sorted. */
  async list(): Promise<string[]> {
    return (await readdir(path.join(this.root, 'class/net'))).sort();
  }

  async read(name: string, problems: SysfsProblem[] = []): Promise<SysfsNic> {
    const dir = path.join(this.root, 'class/net', name);
    const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
      try {
        return await fn();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // ENOENT: no such link/attribute; EINVAL: speed of a link that is down; EOPNOTSUPP likewise.
        if (code !== 'ENOENT' && code !== 'EINVAL' && code !== 'EOPNOTSUPP')
          problems.push({ name, error: `${what}: ${(err as Error).message}` });
        return null;
      }
    };
    const device = await attempt('device', () => realpath(path.join(dir, 'device')));
    const driver = device === null ? null : await attempt('driver', async () => path.basename(await readlink(path.join(device, 'driver'))));
    const mac = await attempt('address', () => readAttr(dir, 'address'));
    const speed = await attempt('speed', () => readAttr(dir, 'speed'));
    const mtu = await attempt('mtu', () => readAttr(dir, 'mtu'));
    const operState = await attempt('operstate', () => readAttr(dir, 'operstate'));
    const speedMbps = speed === null ? null : Number(speed);
    return {
      name,
      pciAddress: device === null ? null : nearestPciAddress(device),
      driver,
      mac: mac || null,
      speedMbps: speedMbps !== null && Number.isInteger(speedMbps) && speedMbps > 0 ? speedMbps : null,
      mtu: mtu === null || mtu === '' ? null : Number(mtu),
      operState: operState || null,
      virtual: device === null,
    };
  }
}

/** The last path component that is a PCI address, e.g. 0000:03:00.1 in .../0000:03:00.1/virtio2. */
export function nearestPciAddress(devicePath: string): string | null {
  const parts = devicePath.split(path.sep).reverse();
  return parts.find((p) => PCI_ADDRESS_RE.test(p))?.toLowerCase() ?? null;
}

async function readAttr(dir: string, attr: string): Promise<string> {
  return (await readFile(path.join(dir, attr), 'utf8')).trim();
}
