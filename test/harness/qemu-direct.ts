// Runs one short-lived QEMU machine to completion: either a direct kernel boot (-kernel/-initrd/
// -append, as the deploy ramdisk's tests do) or a BIOS boot from its first disk (a deployed
// image's first boot). Disks are virtio-blk with discard passed through; the NIC is virtio-net on
// QEMU user-mode networking with restrict=on, so the guest reaches nothing but the one host port
// forwarded to it: the boot service at BOOT_SERVICE_URL inside the guest. The serial console goes
// to a file. The accelerator: test/harness/qemu-accel.ts's probe, as for every VM here (reported
// with each run's result).
// Machines driven over IPMI with netboot are test/harness/qemu-machine.ts (another file's job).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { qemuAccel, type QemuAccel } from './qemu-accel.js';

/** The boot service as the guest sees it: QEMU forwards this address to the host port given. */
export const BOOT_SERVICE_GUEST_IP = '10.0.2.100';
export const BOOT_SERVICE_GUEST_PORT = 80;
export const BOOT_SERVICE_URL = `http://${BOOT_SERVICE_GUEST_IP}:${BOOT_SERVICE_GUEST_PORT}`;

export interface DirectDisk {
  file: string;
  /** virtio-blk serial (what mooring.root_disk=serial:... matches). */
  serial?: string;
}

export type DirectBoot = { type: 'kernel'; kernel: string; initrd: string; append: string } | { type: 'disk' };

export interface DirectRunOptions {
  boot: DirectBoot;
  disks: DirectDisk[];
  /** Host TCP port (on 127.0.0.1) the guest's BOOT_SERVICE_URL is forwarded to. */
  bootServicePort: number;
  serialLog: string;
  memoryMiB?: number;
  /** Upper bound; the machine is killed (and the run rejected) past it. */
  timeoutMs: number;
}

export interface DirectRunResult {
  accel: QemuAccel;
  exitCode: number | null;
  serial: string;
}

const log = pino({ name: 'qemu-direct' });
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function qemuDirectArgs(opts: DirectRunOptions, accel: QemuAccel): string[] {
  const forward = `cmd:busybox nc 127.0.0.1 ${opts.bootServicePort}`;
  const args = [
    '-nodefaults',
    '-no-reboot', // a guest reboot ends the run: the test then boots the next stage itself
    '-display',
    'none',
    '-machine',
    `pc,accel=${accel}`,
    '-m',
    String(opts.memoryMiB ?? 512),
    '-serial',
    `file:${opts.serialLog}`,
    '-netdev',
    // restrict=on: no route out of the guest; guestfwd connects each guest connection to the
    // boot service on the host (cmd: runs once per connection).
    `user,id=n0,restrict=on,guestfwd=tcp:${BOOT_SERVICE_GUEST_IP}:${BOOT_SERVICE_GUEST_PORT}-${forward}`,
    '-device',
    'virtio-net-pci,netdev=n0,romfile=',
  ];
  opts.disks.forEach((d, i) => {
    args.push('-drive', `file=${d.file},if=none,id=d${i},format=raw,discard=unmap,cache=unsafe`);
    args.push(
      '-device',
      `virtio-blk-pci,drive=d${i}${d.serial ? `,serial=${d.serial}` : ''}${i === 0 && opts.boot.type === 'disk' ? ',bootindex=0' : ''}`,
    );
  });
  if (opts.boot.type === 'kernel') {
    args.push('-kernel', opts.boot.kernel, '-initrd', opts.boot.initrd, '-append', opts.boot.append);
  }
  return args;
}

/** Runs the machine until it powers off (or reboots) and returns what its serial console printed. */
export async function runQemuDirect(opts: DirectRunOptions): Promise<DirectRunResult> {
  const { accel } = await qemuAccel(log);
  const child = spawn('qemu-system-x86_64', qemuDirectArgs(opts, accel), { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`QEMU (${accel}) still running after ${opts.timeoutMs} ms; serial log ${opts.serialLog}`));
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve(code);
    });
  });
  const serial = await readFile(opts.serialLog, 'utf8').catch(() => '');
  if (exitCode !== 0) throw new Error(`QEMU (${accel}) exited ${exitCode}: ${stderr.trim()}\n${serial}`);
  return { accel, exitCode, serial };
}
