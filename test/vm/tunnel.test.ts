// Real packets between two smartNICs: each its own OVS on the userspace datapath in a namespace of
// its own with ovn-controller, joined by an underlay (test/harness/ovs-underlay.ts), so OVN carries
// its logical switches between them in Geneve tunnels that the smartNICs' OVS builds itself. Hosts
// are namespaces on host links (as a deployed machine would be a VM on a tap: the same switch port
// for OVS, without a minute of boot): one on each smartNIC on tenant-a, one on tenant-b beside the
// second with an address in the same /24. A pings its peer across the tunnel; tenant-b's host, one
// hop further on the same smartNIC, is out of reach.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetdevSmartNic, type HostLink } from '../harness/ovs-netdev-smartnic.js';
import { Underlay } from '../harness/ovs-underlay.js';
import { OvnCentral } from '../harness/ovn.js';
import { waitFor } from '../harness/ovs.js';
import { randomMac, unusedPrefix } from '../harness/qemu-boot-network.js';

const run = promisify(execFile);

describe('two netdev smartNICs joined by Geneve over an underlay', () => {
  let central: OvnCentral;
  let underlay: Underlay;
  const smartNics: NetdevSmartNic[] = [];

  beforeAll(async () => {
    [central, underlay] = await Promise.all([OvnCentral.start(), Underlay.start()]);
    smartNics.push(...(await Promise.all([NetdevSmartNic.start(), NetdevSmartNic.start()])));
    for (const [i, snic] of smartNics.entries()) {
      const encapIp = await underlay.join(snic);
      await central.attachChassis(`tunnel-snic${i + 1}`, snic.ovs, { encapIp });
    }
  });

  afterAll(async () => {
    await central?.stop();
    for (const s of smartNics) await s.stop();
    await underlay?.stop();
  });

  it('carries a switch across the smartNICs and keeps the other switch out', { timeout: 60_000 }, async ({ onTestFailed }) => {
    const [one, two] = smartNics as [NetdevSmartNic, NetdevSmartNic];
    onTestFailed(async () => {
      for (const s of smartNics) console.error(await underlay.tunnelState(s));
    });
    const prefix = await unusedPrefix();
    await central.nbctl('ls-add', 'tenant-a', '--', 'ls-add', 'tenant-b');
    const host = async (snic: NetdevSmartNic, ls: string, lsp: string, last: number): Promise<HostLink> => {
      const link = await snic.addHostLink(lsp, randomMac(), `${prefix}.${last}`, 24, { ownNamespace: true });
      await central.nbctl('lsp-add', ls, lsp, '--', 'lsp-set-addresses', lsp, `${link.mac} ${link.address}`);
      return link;
    };
    const a1 = await host(one, 'tenant-a', 'a1', 11);
    const a2 = await host(two, 'tenant-a', 'a2', 12);
    const b = await host(two, 'tenant-b', 'b', 13);
    await central.nbctl('--wait=hv', 'sync');

    // ovn-controller made the tunnel: a Geneve port on each br-int to the other smartNIC's encap address.
    const remotes = await Promise.all(
      smartNics.map(async (s) => s.ovs.vsctl('--bare', '--columns=options', 'find', 'Interface', 'type=geneve')),
    );
    expect(remotes[0]).toMatch(new RegExp(`remote_ip="?${underlay.prefix.replace(/\./g, '\\.')}\\.12`));
    expect(remotes[1]).toMatch(new RegExp(`remote_ip="?${underlay.prefix.replace(/\./g, '\\.')}\\.11`));

    // The first ping may go before ovn-controller has installed every flow: the wait is bounded.
    let last = '';
    onTestFailed(() => console.error(`--- the last ping from ${a1.address}:\n${last}`));
    await waitFor(
      async () => {
        const r = await ping(a1, a2.address);
        last = r.output;
        return r.ok;
      },
      20_000,
      `${a1.address} to ping ${a2.address} across the tunnel`,
    );
    expect((await ping(a2, a1.address)).ok).toBe(true);
    // Full-sized frames too (1500 bytes inside, 1558 and more outside): the underlay carries jumbo frames.
    expect((await ping(a1, a2.address, 1472)).ok).toBe(true);
    // tenant-b's host is on the second smartNIC too, in the same /24: only OVN keeps it apart.
    const crossed = await ping(a1, b.address);
    expect(crossed.ok).toBe(false);
    expect((await ping(b, a2.address)).ok).toBe(false);
    // The packets went as Geneve over the underlay: the second smartNIC's tunnel neighbour table
    // learned the first one's encap address.
    expect(await two.ovs.appctl('tnl/arp/show')).toContain(`${underlay.prefix}.11`);
  });
});

/** Pings from `from`'s namespace to `address` for at most two seconds (busybox's ping: the host has no iputils). */
async function ping(from: HostLink, address: string, size = 56): Promise<{ ok: boolean; output: string }> {
  return run('ip', [
    'netns',
    'exec',
    from.netns!,
    'busybox',
    'ping',
    '-c',
    '3',
    '-i',
    '0.2',
    '-W',
    '1',
    '-w',
    '2',
    '-s',
    String(size),
    address,
  ]).then(
    (r) => ({ ok: true, output: r.stdout }),
    (e: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}
