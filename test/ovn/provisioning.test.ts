// The provisioning network through real OVN: OvnNorthbound writes the rows, a real ovn-northd
// compiles them and a real ovn-controller on a smartNIC's OVS (userspace datapath) answers DHCP
// itself; machines are network namespaces behind that OVS running busybox udhcpc, with and without
// option 175 (iPXE's). The domain is the coordinator's own (LMDB store, event log, Provisioning),
// and one coordinator step runs in a child process that is killed with SIGKILL between its store
// write and its fabric call.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkNotFoundError, ProvisioningNetworkReservedError } from '../../coordinator/src/networks/errors.js';
import type { Network } from '../../coordinator/src/networks/network-records.js';
import type { ProvisioningSettings } from '../../coordinator/src/networks/provisioning-network.js';
import { SYSTEM_PRINCIPAL } from '../../coordinator/src/tenancy/user.js';
import { DhcpClientPort } from '../harness/dhcp-client-port.js';
import { OvnCentral } from '../harness/ovn.js';
import { NetdevSmartNic } from '../harness/ovs-netdev-smartnic.js';
import { openProvisioningWorld, testMachine, type ProvisioningWorld, type TestMachine } from '../harness/provisioning-world.js';
import { randomMac } from '../harness/qemu-boot-network.js';

const run = promisify(execFile);
const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'test', 'harness', 'provisioning-process.js');

const settings: ProvisioningSettings = {
  cidr: '10.77.0.0/24',
  router: null,
  leaseSeconds: 600,
  bootfileAlt: 'http://10.77.0.1:8080/ipxe.efi',
};
/** Each machine's iPXE script URL, with its one-time token (the boot service makes these). */
const scriptUrl = (m: TestMachine): string => `http://10.77.0.1:8080/machines/${m.id}/boot.ipxe?token=${m.hostname}-${randomUUID()}`;

describe('the provisioning network on real OVN', () => {
  let central: OvnCentral;
  let smartNic: NetdevSmartNic;
  let dataDir: string;
  let world: ProvisioningWorld;
  let tenant: Network;
  const ports = new Map<string, DhcpClientPort>();
  const urls = new Map<string, string>();
  const a = testMachine(randomUUID(), 'node-a', randomMac());
  const b = testMachine(randomUUID(), 'node-b', randomMac());

  beforeAll(async () => {
    [central, smartNic, dataDir] = await Promise.all([
      OvnCentral.start(),
      NetdevSmartNic.start(),
      mkdtemp(path.join(tmpdir(), 'mooring-prov-')),
    ]);
    await central.attachChassis('snic-prov', smartNic.ovs);
  });

  afterAll(async () => {
    for (const port of ports.values()) await port.stop();
    world?.close();
    await smartNic?.stop();
    await central?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const lspOf = (m: TestMachine): string => {
    const held = world.attachments.of(m.id);
    expect(held).toHaveLength(1);
    return held[0]!.lspName;
  };
  /** The machine's NIC behind the smartNIC, bound to its logical port (what the agent does at BIOS-halt). */
  const plug = async (m: TestMachine): Promise<DhcpClientPort> => {
    const port = await DhcpClientPort.create(smartNic, lspOf(m), m.ports[0]!.mac);
    ports.set(m.id, port);
    await world.fabric.waitPortUp(lspOf(m), 30_000);
    return port;
  };
  const lspsOf = async (m: TestMachine): Promise<string[]> =>
    central.nbFind('Logical_Switch_Port', 'name', `external_ids:"mooring:machine-id"="${m.id}"`);
  const dhcpRows = async (): Promise<string[]> => central.nbFind('DHCP_Options', 'external_ids');

  it('a coordinator killed between storing the port and the fabric call resumes with the same single LSP', async () => {
    urls.set(a.id, scriptUrl(a));
    const child = await run('node', [CHILD, dataDir, central.nbRemote, JSON.stringify(settings), JSON.stringify(a), urls.get(a.id)!]).then(
      () => {
        throw new Error('the provisioning process was not killed');
      },
      (error: { signal?: string; stdout?: string }) => error,
    );
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('stored\n');
    // The record is stored, OVN has nothing yet.
    world = await openProvisioningWorld(dataDir, central.nbRemote, settings);
    const stored = lspOf(a);
    expect(await lspsOf(a)).toEqual([]);

    await world.provisioning.attachProvisioning('admin', a, urls.get(a.id)!);
    expect(lspOf(a)).toBe(stored);
    expect(await lspsOf(a)).toEqual([stored]);
    // Called again (a resumed step): nothing changes, still one LSP and one DHCP_Options row.
    await world.provisioning.attachProvisioning('admin', a, urls.get(a.id)!);
    expect(await lspsOf(a)).toEqual([stored]);
    expect(await dhcpRows()).toHaveLength(1);
  });

  it('each machine gets its address and its own boot URL over DHCP; non-iPXE clients get the alternative', async () => {
    urls.set(b.id, scriptUrl(b));
    await world.provisioning.attachProvisioning('admin', b, urls.get(b.id)!);
    const [portA, portB] = await Promise.all([plug(a), plug(b)]);
    const ipOf = (m: TestMachine): string => world.attachments.of(m.id)[0]!.ip!;

    const leaseA = await portA.dhcp({ ipxe: true });
    expect(leaseA).toMatchObject({ ip: ipOf(a), subnet: '255.255.255.0', serverId: '10.77.0.1', lease: '600', router: '' });
    expect(leaseA?.bootfile).toBe(urls.get(a.id));
    const leaseB = await portB.dhcp({ ipxe: true });
    expect(leaseB).toMatchObject({ ip: ipOf(b), bootfile: urls.get(b.id) });
    expect(leaseB?.ip).not.toBe(leaseA?.ip);
    // Never the other machine's URL (its token).
    expect(leaseB?.bootfile).not.toContain(a.id);

    const plain = await portA.dhcp({ ipxe: false });
    expect(plain).toMatchObject({ ip: ipOf(a), bootfile: settings.bootfileAlt });
    // Nothing about the token went into the events.
    const text = JSON.stringify([...world.events.since(0)]);
    expect(text).not.toContain('token=');
  });

  it("reconcile keeps each port's DHCP row as stored and refuses a bad boot URL without echoing it", async () => {
    expect(await world.fabric.reconcile(world.networks.desiredFabric())).toEqual({ created: [], removed: [] });
    expect(await dhcpRows()).toHaveLength(2);
    const held = world.attachments.of(a.id)[0]!;
    const bad = { ...held, ip: held.ip!, dhcp: { ...held.dhcp!, bootfile: 'http://x/boot.ipxe?token="secret"' } };
    const refused = world.fabric.attachPort(bad);
    await expect(refused).rejects.toThrow(/^attachment\.dhcp\.bootfile: must be 1-255 printable ASCII/);
    await expect(refused).rejects.not.toThrow(/secret/);
    expect(await dhcpRows()).toHaveLength(2);
  });

  it('members never see the provisioning network; nobody creates, deletes or deploys to it by name', async () => {
    const member = { user: 'mia', role: 'member' as const, groups: [] };
    expect(() => world.networks.networks.visible(member, 'provisioning')).toThrow(NetworkNotFoundError);
    expect(world.networks.networks.list(member)).toEqual([]);
    expect(world.networks.networks.list(SYSTEM_PRINCIPAL).map((n) => n.name)).toEqual(['provisioning']);
    await expect(world.networks.networks.delete(SYSTEM_PRINCIPAL, 'provisioning')).rejects.toThrow(ProvisioningNetworkReservedError);
    await expect(world.networks.networks.create(member, { name: 'provisioning', cidr: null, owner: null })).rejects.toThrow(
      ProvisioningNetworkReservedError,
    );
  });

  it('moveToNetwork: the same LSP joins the tenant network, its DHCP gives the tenant address and gateway, no boot file', async () => {
    tenant = await world.networks.networks.create(SYSTEM_PRINCIPAL, { name: 'tenant-a', cidr: '10.88.0.0/24', owner: null });
    const before = lspOf(a);
    await world.provisioning.moveToNetwork('admin', a, { networkId: tenant.id, securityGroupIds: [] });
    await world.provisioning.moveToNetwork('admin', b, { networkId: tenant.id, securityGroupIds: [] });
    expect(lspOf(a)).toBe(before);
    const [onA, onB] = [world.attachments.of(a.id)[0]!, world.attachments.of(b.id)[0]!];
    expect(onA).toMatchObject({ networkId: tenant.id, ip: '10.88.0.2' });
    expect(onA.dhcp).toMatchObject({ cidr: '10.88.0.0/24', serverIp: '10.88.0.1', router: '10.88.0.1' });
    expect(onA.dhcp?.bootfile).toBeUndefined();
    expect(await lspsOf(a)).toEqual([before]);
    // One row per port still, now the tenant network's.
    expect(await dhcpRows()).toHaveLength(2);
    // Until the smartNIC's ovn-controller has applied it.
    await central.nbctl('--wait=hv', 'sync');
    // The provisioning addresses were given back.
    expect(world.networks.networks.attachments(world.provisioning.network().id)).toEqual([]);

    const [portA, portB] = [ports.get(a.id)!, ports.get(b.id)!];
    // The deployed system learns its tenant address by DHCP (no boot file: nothing netboots there).
    expect(await portA.dhcp({ ipxe: true })).toMatchObject({ ip: onA.ip, router: '10.88.0.1', serverId: '10.88.0.1', bootfile: '' });
    await portA.setAddress(onA.ip!, 24);
    await portB.setAddress(onB.ip!, 24);
    expect(await portA.ping(onB.ip!)).toBe(true);
  });

  it('after a failure only provisioning is left: DHCP again, no boot file, no tenant traffic', async () => {
    const lsp = lspOf(a);
    await world.provisioning.leaveOnlyProvisioning('admin', a);
    const held = world.attachments.of(a.id);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ lspName: lsp, networkId: world.provisioning.network().id });
    expect(await lspsOf(a)).toEqual([lsp]);
    await central.nbctl('--wait=hv', 'sync');
    const portA = ports.get(a.id)!;
    const lease = await portA.dhcp({ ipxe: true });
    expect(lease).toMatchObject({ ip: held[0]!.ip, bootfile: '' });
    expect(await portA.ping(world.attachments.of(b.id)[0]!.ip!, 2)).toBe(false);
  });

  it('release: erase mode puts the port back with the erase URL; detachAll leaves nothing in OVN', async () => {
    const eraseUrl = `http://10.77.0.1:8080/machines/${b.id}/erase.ipxe?token=${randomUUID()}`;
    const lsp = lspOf(b);
    await world.provisioning.attachForErase('admin', b, eraseUrl);
    expect(lspOf(b)).toBe(lsp);
    await central.nbctl('--wait=hv', 'sync');
    expect(await ports.get(b.id)!.dhcp({ ipxe: true })).toMatchObject({ bootfile: eraseUrl });

    expect(await world.provisioning.detachAll('admin', b)).toBe(1);
    expect(await world.provisioning.detachAll('admin', a)).toBe(1);
    expect(world.attachments.of(b.id)).toEqual([]);
    expect(await lspsOf(a)).toEqual([]);
    expect(await lspsOf(b)).toEqual([]);
    expect(await dhcpRows()).toEqual([]);
  });
});
