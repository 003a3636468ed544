// What a boot device means on QEMU's command line (test/harness/qemu-args.ts), without starting QEMU.
import { describe, expect, it } from 'vitest';
import { qemuArgs, type BootOrder } from '../harness/qemu-args.js';

const argsFor = (boot: BootOrder): string[] =>
  qemuArgs({
    name: 'vm1',
    accel: 'kvm',
    memoryMiB: 256,
    disk: '/d/disk.raw',
    serial: '/d/serial.log',
    qmp: '/d/qmp.sock',
    tap: 't-vm1',
    mac: '02:00:00:00:00:01',
    boot,
  });

const device = (args: string[], prefix: string): string => args.find((a) => a.startsWith(prefix)) ?? '';

describe('qemuArgs', () => {
  it('puts the NIC first for network boot and the disk first otherwise', () => {
    const network = argsFor('network');
    expect(device(network, 'virtio-net-pci')).toContain('bootindex=1');
    expect(device(network, 'virtio-blk-pci')).toContain('bootindex=2');
    const disk = argsFor('disk');
    expect(device(disk, 'virtio-blk-pci')).toContain('bootindex=1');
    expect(device(disk, 'virtio-net-pci')).toContain('bootindex=2');
  });

  it('holds the vCPUs stopped for firmware (BIOS setup) and only then', () => {
    expect(argsFor('firmware')).toContain('-S');
    expect(argsFor('disk')).not.toContain('-S');
    expect(argsFor('network')).not.toContain('-S');
  });

  it('attaches the tap with the MAC, full checksums from the guest, the serial console to a file', () => {
    const args = argsFor('network');
    expect(args).toContain('tap,id=net0,ifname=t-vm1,script=no,downscript=no');
    expect(device(args, 'virtio-net-pci')).toContain('mac=02:00:00:00:00:01,csum=off,gso=off');
    expect(args).toContain('file,id=serial0,path=/d/serial.log,append=on');
    expect(args.slice(args.indexOf('-accel'), args.indexOf('-accel') + 2)).toEqual(['-accel', 'kvm']);
  });
});
