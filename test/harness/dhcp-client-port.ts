// A machine's NIC reduced to what DHCP needs: a network namespace of its own with one interface
// (eth0, the machine's MAC), the other end of a veth plugged into the smartNIC's OVS with the
// iface-id of the machine's logical port, as a host's port sits behind its representor. A real DHCP
// client runs in it: busybox udhcpc (busybox-static), with or without DHCP option 175 (which iPXE
// sends; OVN answers those with bootfile_name, the others with bootfile_name_alt).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NetdevSmartNic } from './ovs-netdev-smartnic.js';

const run = promisify(execFile);
const liveNamespaces = new Set<string>();
process.once('exit', () => {
  for (const ns of liveNamespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
});

/** What udhcpc was given (its `bound` event's environment). */
export interface Lease {
  readonly ip: string;
  readonly subnet: string;
  readonly router: string;
  readonly serverId: string;
  readonly lease: string;
  /** Option 67. */
  readonly bootfile: string;
}

/** Prints the lease udhcpc reports as one line of key=value pairs. */
const SCRIPT = `#!/bin/sh
if [ "$1" = bound ]; then
  echo "LEASE ip=$ip subnet=$subnet router=$router serverid=$serverid lease=$lease bootfile=$bootfile"
fi
`;

export class DhcpClientPort {
  private stopped = false;

  private constructor(
    readonly netns: string,
    readonly mac: string,
    private readonly dir: string,
  ) {}

  static async create(smartNic: NetdevSmartNic, ifaceId: string, mac: string): Promise<DhcpClientPort> {
    const id = randomBytes(4).toString('hex');
    const netns = `mooring-m-${id}`;
    const peer = `mp${id}`;
    await run('ip', ['netns', 'add', netns]);
    liveNamespaces.add(netns);
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-dhcp-'));
    await writeFile(path.join(dir, 'script'), SCRIPT);
    await chmod(path.join(dir, 'script'), 0o755);
    const port = new DhcpClientPort(netns, mac, dir);
    try {
      await run('ip', [
        'link',
        'add',
        'eth0',
        'netns',
        netns,
        'address',
        mac,
        'type',
        'veth',
        'peer',
        'name',
        peer,
        'netns',
        smartNic.netns,
      ]);
      await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
      await run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
      // OVS's userspace datapath leaves partial checksums unfilled (ovs-netdev-smartnic.ts).
      await run('ip', ['netns', 'exec', netns, 'ethtool', '-K', 'eth0', 'tx', 'off']);
      await run('ip', ['-n', smartNic.netns, 'link', 'set', peer, 'up']);
      await smartNic.ovs.vsctl('add-port', smartNic.bridge, peer, '--', 'set', 'Interface', peer, `external_ids:iface-id=${ifaceId}`);
    } catch (error) {
      await port.stop();
      throw error;
    }
    return port;
  }

  /**
   * One DHCP exchange (DISCOVER, OFFER, REQUEST, ACK) with `attempts` DISCOVERs a second apart; the
   * lease, or null when nothing answered. `ipxe`: send option 175 as iPXE does. The address is not
   * configured (udhcpc's script only reports it).
   */
  async dhcp(options: { ipxe: boolean; attempts?: number }): Promise<Lease | null> {
    const args = ['netns', 'exec', this.netns, 'busybox', 'udhcpc', '-i', 'eth0', '-f', '-q', '-n'];
    args.push('-t', String(options.attempts ?? 5), '-T', '1', '-A', '1', '-s', path.join(this.dir, 'script'));
    // Option 175 (Etherboot/iPXE encapsulated options): sub-option 0x15 (iPXE: HTTP), length 1, 1.
    if (options.ipxe) args.push('-x', '0xaf:150101');
    const result = await run('ip', args).then(
      (r) => r.stdout,
      (error: { stdout?: string; code?: number }) => {
        if (error.code === 1) return error.stdout ?? '';
        throw error as Error;
      },
    );
    const line = result.split('\n').find((l) => l.startsWith('LEASE '));
    if (!line) return null;
    const field = (key: string): string => new RegExp(`\\b${key}=(\\S*)`).exec(line)?.[1] ?? '';
    return {
      ip: field('ip'),
      subnet: field('subnet'),
      router: field('router'),
      serverId: field('serverid'),
      lease: field('lease'),
      bootfile: field('bootfile'),
    };
  }

  /** Gives eth0 a static address (dhcp() only reports the lease). */
  async setAddress(address: string, prefix: number): Promise<void> {
    await run('ip', ['-n', this.netns, 'addr', 'flush', 'dev', 'eth0']);
    await run('ip', ['-n', this.netns, 'addr', 'add', `${address}/${prefix}`, 'dev', 'eth0']);
  }

  /** Whether `address` answers one of `count` pings (busybox ping, 0.2 s apart, waiting 1 s after the last, 3 s in all). */
  async ping(address: string, count = 3): Promise<boolean> {
    return run('ip', [
      'netns',
      'exec',
      this.netns,
      'busybox',
      'ping',
      '-c',
      String(count),
      '-i',
      '0.2',
      '-W',
      '1',
      '-w',
      '3',
      address,
    ]).then(
      () => true,
      () => false,
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await run('ip', ['netns', 'del', this.netns]).catch(() => undefined);
    liveNamespaces.delete(this.netns);
    await rm(this.dir, { recursive: true, force: true });
  }
}
