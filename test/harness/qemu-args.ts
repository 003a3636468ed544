// QEMU's command line for one start of a machine (test/harness/qemu-machine.ts): a pure function,
// so what a boot device means is visible in one place and tested without starting QEMU.
import type { QemuAccel } from './qemu-accel.js';

/** network: NIC first (iPXE), then disk; disk: disk first, then NIC (a BIOS falls through); firmware: vCPUs stopped at reset. */
export type BootOrder = 'network' | 'disk' | 'firmware';

export interface QemuArgsInput {
  readonly name: string;
  readonly accel: QemuAccel;
  readonly memoryMiB: number;
  readonly disk: string;
  readonly serial: string;
  readonly qmp: string;
  readonly tap: string;
  readonly mac: string;
  readonly boot: BootOrder;
}

export function qemuArgs(input: QemuArgsInput): string[] {
  const [nicIndex, diskIndex] = input.boot === 'network' ? [1, 2] : [2, 1];
  return [
    '-name',
    input.name,
    '-accel',
    input.accel,
    '-m',
    String(input.memoryMiB),
    // No default devices, no display: SeaBIOS then mirrors its text console (and iPXE's) on serial.
    '-nodefaults',
    '-nographic',
    '-monitor',
    'none',
    '-chardev',
    `file,id=serial0,path=${input.serial},append=on`,
    '-serial',
    'chardev:serial0',
    '-qmp',
    `unix:${input.qmp},server=on,wait=off`,
    // discard=unmap: the guest's discard punches holes in the file (reads back as zeros), as an
    // SSD's TRIM makes blocks read as zeros: a quick erase (ramdisk: first and last MiB + discard) wipes it all.
    '-drive',
    `file=${input.disk},format=raw,if=none,id=disk0,discard=unmap`,
    '-device',
    `virtio-blk-pci,drive=disk0,bootindex=${diskIndex}`,
    '-netdev',
    `tap,id=net0,ifname=${input.tap},script=no,downscript=no`,
    // csum/gso off: the guest fills its own checksums; OVS's userspace datapath would forward
    // partial ones unfilled (shared/reference/real-components.md).
    '-device',
    `virtio-net-pci,netdev=net0,mac=${input.mac},csum=off,gso=off,bootindex=${nicIndex}`,
    ...(input.boot === 'firmware' ? ['-S'] : []),
  ];
}
