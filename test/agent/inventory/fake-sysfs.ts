// Builds a small sysfs tree in a temp dir with the real layout: class/net/NAME links to the netdev
// under devices/, whose device link points at its parent device, whose driver link points into
// bus/*/drivers/.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeNic {
  name: string;
  /** Device directory under devices/, e.g. pci0000:00/0000:03:00.0 (none for a software interface). */
  device?: string;
  /** Driver name (bus/pci/drivers/NAME). */
  driver?: string;
  mac?: string;
  speed?: string;
  mtu?: string;
  operstate?: string;
}

export async function fakeSysfs(nics: FakeNic[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'mooring-sysfs-'));
  await mkdir(path.join(root, 'class/net'), { recursive: true });
  for (const nic of nics) {
    const netdev = path.join(root, 'devices', nic.device ?? 'virtual/net', nic.device ? 'net' : '', nic.name);
    await mkdir(netdev, { recursive: true });
    await symlink(path.relative(path.join(root, 'class/net'), netdev), path.join(root, 'class/net', nic.name));
    if (nic.device) {
      const dev = path.join(root, 'devices', nic.device);
      await symlink(path.relative(netdev, dev), path.join(netdev, 'device'));
      if (nic.driver) {
        const drv = path.join(root, 'bus/pci/drivers', nic.driver);
        await mkdir(drv, { recursive: true });
        await symlink(path.relative(dev, drv), path.join(dev, 'driver'));
      }
    }
    for (const [attr, v] of [
      ['address', nic.mac],
      ['speed', nic.speed],
      ['mtu', nic.mtu],
      ['operstate', nic.operstate],
    ] as const) {
      if (v !== undefined) await writeFile(path.join(netdev, attr), `${v}\n`);
    }
  }
  return root;
}
