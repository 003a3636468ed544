// The limits bench:deploy sets the image transfer against, measured in the same run, each on the
// ramdisk's initrd (served without a token) from the same boot service, so the README can say
// which one binds:
//   curl       the boot service itself: curl on the host, to the service's address (local delivery)
//   switch     the provisioning switch: curl from a namespace of its own plugged into it
//              (VmDeployWorld.probe), through the smartNIC's OVS userspace datapath and the host
//              link, as the machine's ramdisk reaches the service
//   guestSink  the machine under its accelerator (TCG here): wget to /dev/null inside it, run by its
//              first boot (the deployed image's runcmd, in the background once it has phoned home),
//              through its tap and the smartNIC's OVS; the result is a line on its serial console.
// curl and the switch keep the best of three downloads; the guest downloads the file
// GUEST_DOWNLOADS times in a row, twice, and keeps the faster round (one download is over before
// the rate settles).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '../../test/harness/ovs.js';
import type { VmDeployWorld } from '../../test/harness/vm-deploy-world.js';

const run = promisify(execFile);
const GUEST_DOWNLOADS = 8;
const GUEST_LINE = /mooring-guest-sink: (ok|failed) ([0-9.]+) ([0-9.]+) ([0-9.]+)/;

/** The file every limit downloads: the ramdisk's initrd. */
export function limitUrl(world: VmDeployWorld): string {
  return `${world.bootUrl}/boot/v1/ramdisk/initrd.img`;
}

/** curl's download rate (bytes/s) for `url`, the best of three; in namespace `netns` when given. */
export async function curlBytesPerSecond(url: string, netns?: string): Promise<number> {
  const curl = ['curl', '-sS', '--fail', '-o', '/dev/null', '-w', '%{speed_download}', url];
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const { stdout } = netns ? await run('ip', ['netns', 'exec', netns, ...curl]) : await run(curl[0]!, curl.slice(1));
    best = Math.max(best, Number(stdout));
  }
  return best;
}

/** The rate (bytes/s) through the provisioning switch: curl from a namespace on it at PREFIX.`host`. */
export async function switchBytesPerSecond(world: VmDeployWorld, host = 250): Promise<number> {
  const probe = await world.probe('provisioning', `${world.provisioningPrefix}.${host}`);
  const url = limitUrl(world);
  // The probe's port carries traffic once ovn-controller has bound it (the provisioning network's
  // ACLs let through what a ramdisk sends the boot service, not ping).
  await waitFor(
    async () =>
      run('ip', ['netns', 'exec', probe.netns!, 'curl', '-sS', '--fail', '-m', '2', '-o', '/dev/null', url]).then(
        () => true,
        () => false,
      ),
    30_000,
    `the provisioning switch to carry ${probe.address}'s requests to the boot service`,
  );
  return curlBytesPerSecond(url, probe.netns);
}

/**
 * The user-data line (a runcmd item) that measures the guest's download rate to /dev/null in the
 * background, 3 s after the first boot's runcmd (its phone-home goes first), and prints
 * `mooring-guest-sink: ok|failed BYTES START END` (seconds of uptime) on the console. Double-quoted:
 * YAML's plain scalars may not hold ": " (the test image's reader drops the quotes, as YAML does).
 */
export function guestSinkRuncmd(url: string, bytes: number): string {
  const download = `wget -q -O /dev/null ${url} || r=failed`;
  const round = `t0=$(u); r=ok; i=0; while [ $i -lt ${GUEST_DOWNLOADS} ]; do ${download}; i=$((i + 1)); done; t1=$(u)`;
  const print = `echo mooring-guest-sink: $r ${bytes * GUEST_DOWNLOADS} $t0 $t1`;
  return `"(u() { cut -d' ' -f1 /proc/uptime; }; sleep 3; ${round}; ${print}; ${round}; ${print}) >/dev/console 2>&1 &"`;
}

/** The guest's rate (bytes/s): the faster of guestSinkRuncmd's two rounds, waited for on the serial console. */
export async function guestSinkBytesPerSecond(world: VmDeployWorld, timeoutMs: number): Promise<number> {
  const lines = (text: string): RegExpExecArray[] => [...text.matchAll(new RegExp(GUEST_LINE, 'g'))];
  const serial = await world.machine.waitForSerial(new RegExp(`${GUEST_LINE.source}[^]*${GUEST_LINE.source}`), timeoutMs);
  let best = 0;
  for (const [line, result, bytes, start, end] of lines(serial)) {
    if (result !== 'ok') throw new Error(`the guest's download failed: ${line}`);
    // /proc/uptime counts hundredths of a second.
    best = Math.max(best, Number(bytes) / Math.max(Number(end) - Number(start), 0.01));
  }
  return best;
}
