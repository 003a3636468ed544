// A machine as a real QEMU VM behind a smartNIC whose OVS runs the userspace datapath, powered over
// IPMI by a real ipmi_sim: with bootdev pxe it takes its address from ovn-controller's DHCP (OVN's
// IPAM picked it) and iPXE fetches its script over HTTP from a test server on the host side of the
// logical switch (standing in for the boot service); power off kills QEMU; bootdev disk starts it
// from its disk; reset restarts it; QEMU ending by itself shows as power off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootHttpRecorder } from '../harness/qemu-boot-http.js';
import { BootNetwork, randomMac } from '../harness/qemu-boot-network.js';
import { QemuMachine } from '../harness/qemu-machine.js';
import { NetdevSmartNic } from '../harness/ovs-netdev-smartnic.js';
import { OvnCentral } from '../harness/ovn.js';

describe('a QEMU machine on a netdev smartNIC, powered over IPMI', () => {
  let central: OvnCentral;
  let smartNic: NetdevSmartNic;
  let network: BootNetwork;
  let http: BootHttpRecorder;
  let machine: QemuMachine;

  beforeAll(async () => {
    central = await OvnCentral.start();
    smartNic = await NetdevSmartNic.start();
    await central.attachChassis('snic-vm', smartNic.ovs);
    network = await BootNetwork.create(central, smartNic, 'provisioning');
    http = await BootHttpRecorder.start(network.host!.address);
    const mac = randomMac();
    await network.addMachinePort('vm1', mac);
    machine = await QemuMachine.create({ name: 'vm1', smartNic, ifaceId: 'vm1', mac });
  });

  afterAll(async () => {
    await machine?.stop();
    await http?.stop();
    await central?.stop();
    await smartNic?.stop();
  });

  /** Runs ipmitool, waits for the chassis call it makes (`set power 1`, say) and for the machine to carry it out. */
  const chassis = async (args: string[], call: string): Promise<void> => {
    const before = Math.max(0, ...(await machine.bmc.calls()).map((c) => c.seq));
    await ipmi(...args);
    await machine.bmc.waitForCall((c) => c.seq > before && c.text === call, call);
    await machine.settle();
  };

  const ipmi = async (...args: string[]): Promise<string> => {
    const result = await machine.bmc.ipmitool(...args);
    if (result.code !== 0) throw new Error(`ipmitool ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };

  it('netboots with bootdev pxe: OVN DHCP gives the address and the boot file, iPXE fetches it over HTTP', async () => {
    // iPXE expands ${net0/ip} itself: the second request says which address the firmware holds.
    http.serve('/boot.ipxe', '#!ipxe\necho mooring netboot script on ${net0/ip}\nchain --autofree /booted?ip=${net0/ip}\n');
    http.serve('/booted', '#!ipxe\necho mooring netboot done\nshell\n');
    await network.setBootfile(`${http.origin}/boot.ipxe`, 'undionly.kpxe');
    const address = await network.addressOf('vm1');
    expect(address.startsWith(`${network.prefix}.`)).toBe(true);

    await chassis(['chassis', 'bootdev', 'pxe'], 'set boot pxe');
    expect(await machine.bmc.bootDevice()).toBe('pxe');
    expect(await ipmi('chassis', 'power', 'status')).toBe('Chassis Power is off');
    await chassis(['chassis', 'power', 'on'], 'set power 1');
    expect(machine.running).toBe(true);
    expect(machine.starts).toEqual(['network']);
    expect(await ipmi('chassis', 'power', 'status')).toBe('Chassis Power is on');

    const script = await http.waitFor((r) => r.path === '/boot.ipxe', 'the iPXE script', 90_000);
    expect(script).toMatchObject({ method: 'GET', from: address, status: 200 });
    const booted = await http.waitFor((r) => r.path.startsWith('/booted'), 'the chained script', 30_000);
    expect(booted).toMatchObject({ path: `/booted?ip=${address}`, from: address, status: 200 });

    const console = await machine.waitForSerial(/mooring netboot done/, 30_000);
    // What iPXE printed: the lease (address, netmask, router from DHCP_Options) and the boot file.
    expect(console).toContain(`net0: ${address}/255.255.255.0 gw ${network.prefix}.1`);
    expect(console).toContain(`Filename: ${http.origin}/boot.ipxe`);
    expect(console).toContain(`mooring netboot script on ${address}`);
    expect(machine.errors).toEqual([]);
  });

  it('powers off hard, then starts from disk with bootdev disk, and restarts on reset', async () => {
    const pid = machine.pid;
    await chassis(['chassis', 'power', 'off'], 'set power 0');
    expect(machine.running).toBe(false);
    expect(pid !== undefined && processExists(pid)).toBe(false);
    expect(await ipmi('chassis', 'power', 'status')).toBe('Chassis Power is off');

    await chassis(['chassis', 'bootdev', 'disk'], 'set boot default');
    await chassis(['chassis', 'power', 'on'], 'set power 1');
    expect(machine.starts.at(-1)).toBe('disk');
    const before = countOf(await machine.serial(), 'Booting from Hard Disk');
    await machine.waitForSerial(new RegExp(`(Booting from Hard Disk[^]*){${before + 1}}`), 30_000);

    const firstPid = machine.pid;
    await chassis(['chassis', 'power', 'reset'], 'set reset 1');
    await machine.waitForSerial(new RegExp(`(Booting from Hard Disk[^]*){${before + 2}}`), 30_000);
    expect(machine.starts.slice(-2)).toEqual(['disk', 'disk']);
    expect(machine.pid).not.toBe(firstPid);
    expect(await ipmi('chassis', 'power', 'status')).toBe('Chassis Power is on');
  });

  it('shows power off once QEMU ends by itself', async () => {
    expect(machine.running).toBe(true);
    process.kill(machine.pid!, 'SIGTERM');
    await machine.waitForPowerOff(10_000);
    await expect.poll(() => machine.bmc.power()).toBe('off');
    expect(await ipmi('chassis', 'power', 'status')).toBe('Chassis Power is off');
  });
});

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
