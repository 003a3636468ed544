// Real packets between QEMU machines on one smartNIC: two logical switches with the same /24 (two
// tenants' networks; only OVN keeps them apart). vm-a and vm-b share switch tenant-a, vm-c is on
// tenant-b. Debian's iPXE has no ping and answers no TCP port, so what reaches whom is read off the
// wire: tcpdump on vm-b's and vm-c's taps in the smartNIC's namespace sees every frame OVS delivers
// to them. vm-a connects to vm-b (its SYNs arrive at vm-b) and to vm-c's address (its ARP request is
// flooded on tenant-a only: vm-b sees it, vm-c never does); nothing of vm-a or vm-b ever reaches
// vm-c, nothing of vm-c reaches vm-b, and vm-c, given a boot URL on tenant-a's host port, never
// reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootHttpRecorder } from '../harness/qemu-boot-http.js';
import { BootNetwork, randomMac } from '../harness/qemu-boot-network.js';
import { QemuMachine } from '../harness/qemu-machine.js';
import { PortCapture } from '../harness/ovs-netdev-capture.js';
import { NetdevSmartNic } from '../harness/ovs-netdev-smartnic.js';
import { OvnCentral } from '../harness/ovn.js';

describe('QEMU machines on two logical switches of one smartNIC', () => {
  let central: OvnCentral;
  let smartNic: NetdevSmartNic;
  let http: BootHttpRecorder;
  const machines: QemuMachine[] = [];
  const captures: PortCapture[] = [];

  beforeAll(async () => {
    central = await OvnCentral.start();
    smartNic = await NetdevSmartNic.start();
    await central.attachChassis('snic-iso', smartNic.ovs);
  });

  afterAll(async () => {
    await Promise.all(captures.map((c) => c.stop()));
    await Promise.all(machines.map((m) => m.stop()));
    await http?.stop();
    await central?.stop();
    await smartNic?.stop();
  });

  // Three VMs boot side by side: under TCG on two loaded cores this takes minutes, under KVM seconds.
  it('lets machines on one switch reach each other and keeps the other switch out', { timeout: 300_000 }, async ({ onTestFailed }) => {
    onTestFailed(async () => {
      for (const m of machines) console.error(`--- ${m.options.name} console:\n${(await m.serial()).slice(-1500)}`);
      for (const c of captures) console.error(`--- ${c.iface} frames:\n${c.lines.join('\n')}`);
    });
    const tenantA = await BootNetwork.create(central, smartNic, 'tenant-a');
    const tenantB = await BootNetwork.create(central, smartNic, 'tenant-b', { prefix: tenantA.prefix, firstMachine: 200, hostLink: false });
    http = await BootHttpRecorder.start(tenantA.host!.address);
    const url = `${http.origin}/boot.ipxe`;
    await tenantA.setBootfile(url, 'undionly.kpxe');
    await tenantB.setBootfile(url, 'undionly.kpxe');

    const mac = { a: randomMac(), b: randomMac(), c: randomMac() };
    // iPXE would read "/m/42:..." as a URI scheme: per-machine paths use ${net0/mac:hexhyp} (42-12-...).
    const path = (m: string): string => `/m/${m.replace(/:/g, '-')}`;
    await tenantA.addMachinePort('vm-a', mac.a);
    await tenantA.addMachinePort('vm-b', mac.b);
    await tenantB.addMachinePort('vm-c', mac.c);
    const [a, b, c] = await Promise.all([tenantA.addressOf('vm-a'), tenantA.addressOf('vm-b'), tenantB.addressOf('vm-c')]);
    // Same /24 on both switches: vm-c's address would be reachable from vm-a if the switches leaked.
    expect(c.startsWith(`${tenantA.prefix}.`)).toBe(true);

    http.serve('/boot.ipxe', '#!ipxe\nchain /m/${net0/mac:hexhyp}\n');
    http.serve(path(mac.b), '#!ipxe\necho vm-b up\nshell\n');
    // vm-a's probes run once vm-b is at its shell.
    const bUp = http.waitFor((r) => r.path === path(mac.b), 'vm-b script', 240_000);
    const probe = (to: string): string => `imgfetch --timeout 5000 http://${to}/probe || echo vm-a to ${to}: no answer\n`;
    http.serve(path(mac.a), `#!ipxe\n${probe(b)}${probe(c)}echo vm-a done\nshell\n`, bUp);

    for (const [name, lsp, m] of [
      ['a', 'vm-a', mac.a],
      ['b', 'vm-b', mac.b],
      ['c', 'vm-c', mac.c],
    ] as const) {
      machines.push(await QemuMachine.create({ name, smartNic, ifaceId: lsp, mac: m }));
    }
    const [vmA, vmB, vmC] = machines as [QemuMachine, QemuMachine, QemuMachine];
    // Every frame OVS sends out of vm-b's and vm-c's taps that another machine sent.
    captures.push(await PortCapture.start(smartNic, vmB.tap, `ether src ${mac.a} or ether src ${mac.c}`));
    captures.push(await PortCapture.start(smartNic, vmC.tap, `ether src ${mac.a} or ether src ${mac.b}`));
    const [toB, toC] = captures as [PortCapture, PortCapture];
    for (const machine of machines) {
      await machine.bmc.ipmitool('chassis', 'bootdev', 'pxe');
      await machine.bmc.ipmitool('chassis', 'power', 'on');
    }

    await expect(bUp).resolves.toMatchObject({ from: b });
    const consoleA = await vmA.waitForSerial(/vm-a done/, 240_000);
    // vm-a's TCP connection attempt to vm-b came out of vm-b's port (iPXE answers no TCP port, so
    // the fetch itself times out either way; the frames tell)...
    await toB.waitFor(new RegExp(`${escape(a)}\\.\\d+ > ${escape(b)}\\.80: Flags \\[S\\]`), 10_000);
    // ...and its ARP request for vm-c's address was flooded on tenant-a (vm-b saw it) and never
    // reached vm-c, which has that very address on tenant-b.
    await toB.waitFor(new RegExp(`Request who-has ${escape(c)} tell ${escape(a)}`), 10_000);
    expect(consoleA).toContain(`vm-a to ${c}: no answer`);

    // vm-c got its lease from its own switch, then could not reach the host port on tenant-a.
    const consoleC = await vmC.waitForSerial(new RegExp(`Filename: ${escape(url)}[^]*(timed out|No such|unreachable)`, 'i'), 120_000);
    expect(consoleC).toContain(`net0: ${c}/255.255.255.0`);
    expect(http.requests.filter((r) => r.from === c)).toEqual([]);
    expect(http.requests.some((r) => r.from === a && r.path === path(mac.a))).toBe(true);

    expect(toC.lines).toEqual([]);
    expect(toB.lines.filter((l) => l.startsWith(mac.c))).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
