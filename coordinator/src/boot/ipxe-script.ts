// The per-machine iPXE script: the deploy ramdisk's kernel and initrd from the boot service, and
// the kernel command line packaging/ramdisk/README.md defines ("Kernel command line").
import type { DeployGrant } from './deploy-grant.js';

export const RAMDISK_KERNEL = 'vmlinuz';
export const RAMDISK_INITRD = 'initrd.img';
/** Where the ramdisk files are served, below the boot URL (the same for every machine: nothing in them is per machine). */
export const RAMDISK_FILES_PATH = '/boot/v1/ramdisk';

/** The kernel command line of the ramdisk for `grant`, with its token. */
export function ramdiskCommandLine(grant: DeployGrant, token: string): string {
  const args = [
    // The last console= is /dev/console, where the ramdisk logs its steps: the serial port.
    'console=tty0',
    'console=ttyS0,115200',
    `mooring.url=${grant.bootUrl}`,
    `mooring.token=${token}`,
    `mooring.mode=${grant.mode}`,
    `mooring.end=${grant.endAction}`,
  ];
  if (grant.mode === 'erase') args.push(`mooring.erase=${grant.erase}`);
  if (grant.mode === 'deploy' && grant.rootDisk) args.push(`mooring.root_disk=${grant.rootDisk}`);
  return args.join(' ');
}

export function ipxeScript(grant: DeployGrant, token: string): string {
  const files = `${grant.bootUrl}${RAMDISK_FILES_PATH}`;
  return [
    '#!ipxe',
    `echo Mooring: ${grant.mode} ${grant.hostname} (step ${grant.step})`,
    // initrd= names the initrd for an EFI stub kernel; a BIOS kernel ignores it.
    `kernel ${files}/${RAMDISK_KERNEL} initrd=${RAMDISK_INITRD} ${ramdiskCommandLine(grant, token)}`,
    `initrd ${files}/${RAMDISK_INITRD}`,
    'boot',
    '',
  ].join('\n');
}
