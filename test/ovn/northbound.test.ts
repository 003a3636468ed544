// OvnNorthbound against real OVN (NB and SB ovsdb-servers, ovn-northd, one ovn-controller on the
// dummy datapath): the rows it writes, port state from a real chassis claim, reconcile beside
// foreign rows, an NB restart, and bad input refused before anything is written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OvsdbClient } from '../../proto/ovsdb/client.js';
import { OvnCentral, type OvnChassis } from '../harness/ovn.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { InvalidArgumentError } from '../../coordinator/src/domain-error.js';
import {
  FabricRowMissingError,
  ForeignRowError,
  GroupInUseError,
  NorthboundUnavailableError,
  PortUpTimeoutError,
  SwitchHoldsForeignPortsError,
} from '../../coordinator/src/ovn/errors.js';
import type { PortAttachment } from '../../coordinator/src/networks/fabric.js';

const OWNER = 'fleet-test';
let ovn: OvnCentral;
let chassis: OvnChassis;
let fabric: OvnNorthbound;

beforeAll(async () => {
  ovn = await OvnCentral.start({ nbTcp: true });
  chassis = await ovn.addChassis('nic-a');
  fabric = OvnNorthbound.create({
    remote: ovn.nbRemote,
    southbound: { remote: ovn.sbRemote },
    owner: OWNER,
    reconnect: { initialMs: 50, maxMs: 200 },
  });
  await fabric.ready();
});

afterAll(async () => {
  fabric?.close();
  await ovn?.stop();
});

function port(networkId: string, mac: string, extra: Partial<PortAttachment> = {}): PortAttachment {
  return { lspName: randomUUID(), networkId, machineId: randomUUID(), portId: randomUUID(), mac, securityGroupIds: [], ...extra };
}

/** One column or map key of a row, without ovn-nbctl's quotes. */
async function nbGet(table: string, row: string, column: string): Promise<string> {
  return (await ovn.nbctl('get', table, row, column)).replace(/^"|"$/g, '');
}

async function lspCount(name: string): Promise<number> {
  return (await ovn.nbFind('Logical_Switch_Port', 'name', `name=${name}`)).length;
}

describe('rows', () => {
  it('ensureNetwork and attachPort create the switch, the port and its group memberships, once', async () => {
    const net = randomUUID();
    const sg = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'tenant-a', cidr: '10.9.0.0/24' });
    await fabric.ensureSecurityGroup({ id: sg, name: 'ssh', rules: [{ id: 'r1', direction: 'in', protocol: 'tcp', portMin: 22 }] });
    const p = port(net, '52:54:00:00:00:01', { ip: '10.9.0.5', securityGroupIds: [sg] });
    await fabric.attachPort(p);
    await fabric.attachPort(p); // idempotent by name

    const sw = `mooring-net-${net}`;
    expect(await nbGet('Logical_Switch', sw, 'other_config:subnet')).toBe('10.9.0.0/24');
    expect(await nbGet('Logical_Switch', sw, 'external_ids:"mooring:owner"')).toBe(OWNER);
    expect(await nbGet('Logical_Switch', sw, 'external_ids:"mooring:name"')).toBe('tenant-a');
    expect(await ovn.nbctl('lsp-list', sw)).toContain(p.lspName);
    expect(await ovn.nbctl('lsp-get-addresses', p.lspName)).toBe('52:54:00:00:00:01 10.9.0.5');
    expect(await ovn.nbctl('lsp-get-port-security', p.lspName)).toBe('52:54:00:00:00:01 10.9.0.5');
    expect(await nbGet('Logical_Switch_Port', p.lspName, 'external_ids:"mooring:machine-id"')).toBe(p.machineId);
    expect(await nbGet('Logical_Switch_Port', p.lspName, 'external_ids:"mooring:port-id"')).toBe(p.portId);
    expect(await lspCount(p.lspName)).toBe(1);
    const pg = `mooring_sg_${sg.replaceAll('-', '_')}`;
    const lspUuid = await ovn.nbctl('--bare', '--columns=_uuid', 'find', 'Logical_Switch_Port', `name=${p.lspName}`);
    expect(await ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', pg)).toBe(lspUuid);
    expect(await ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', 'mooring_default_drop')).toContain(lspUuid);
    expect(await ovn.nbctl('acl-list', pg)).toContain('outport == @' + pg + ' && ip4 && tcp && tcp.dst == 22');
    // Every row Mooring made carries the ownership key, the ACLs and port groups included.
    for (const table of ['ACL', 'Port_Group']) {
      const ids = (await ovn.nbctl('--bare', '--columns=external_ids', 'list', table)).split('\n').filter((l) => l !== '');
      expect(ids.length).toBeGreaterThan(0);
      for (const line of ids) expect(line).toContain(`mooring:owner=${OWNER}`);
    }

    // Moving the port to another network and out of its group: one row, on the new switch only.
    const net2 = randomUUID();
    await fabric.ensureNetwork({ id: net2, name: 'tenant-a2' });
    await fabric.attachPort({ ...p, networkId: net2, ip: undefined, securityGroupIds: [] });
    expect(await ovn.nbctl('lsp-list', sw)).not.toContain(p.lspName);
    expect(await ovn.nbctl('lsp-list', `mooring-net-${net2}`)).toContain(p.lspName);
    expect(await ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', pg)).toBe('');
    expect(await ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', 'mooring_default_drop')).not.toContain(lspUuid);
    expect(await lspCount(p.lspName)).toBe(1);

    await fabric.detachPort(p.lspName);
    await fabric.detachPort(p.lspName);
    expect(await lspCount(p.lspName)).toBe(0);
  });
});

describe('deletes', () => {
  it('deleting a group takes its ports out of the default drop unless another group has them; a remote group in use is kept', async () => {
    const net = randomUUID();
    const [sgA, sgB, sgC] = [randomUUID(), randomUUID(), randomUUID()];
    await fabric.ensureNetwork({ id: net, name: 'del' });
    await fabric.ensureSecurityGroup({ id: sgA, name: 'a', rules: [] });
    await fabric.ensureSecurityGroup({
      id: sgB,
      name: 'b',
      rules: [{ id: 'from-a', direction: 'in', protocol: 'any', remoteGroupId: sgA }],
    });
    await fabric.ensureSecurityGroup({ id: sgC, name: 'c', rules: [] });
    const onlyA = port(net, '52:54:00:00:06:01', { securityGroupIds: [sgA] });
    const aAndC = port(net, '52:54:00:00:06:02', { securityGroupIds: [sgA, sgC] });
    await fabric.attachPort(onlyA);
    await fabric.attachPort(aAndC);
    const uuidOf = async (name: string): Promise<string> =>
      ovn.nbctl('--bare', '--columns=_uuid', 'find', 'Logical_Switch_Port', `name=${name}`);
    const dropPorts = async (): Promise<string> => ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', 'mooring_default_drop');

    const inUse = await fabric.deleteSecurityGroup(sgA).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(GroupInUseError);
    expect((inUse as Error).message).toContain(sgB);
    await fabric.ensureSecurityGroup({ id: sgB, name: 'b', rules: [] });
    await fabric.deleteSecurityGroup(sgA);
    await fabric.deleteSecurityGroup(sgA);
    const pgA = `mooring_sg_${sgA.replaceAll('-', '_')}`;
    expect(await ovn.nbFind('Port_Group', 'name', `name=${pgA}`)).toEqual([]);
    expect(await ovn.nbFind('ACL', '_uuid', `external_ids:"mooring:sg-id"=${sgA}`)).toEqual([]);
    expect(await dropPorts()).not.toContain(await uuidOf(onlyA.lspName));
    expect(await dropPorts()).toContain(await uuidOf(aAndC.lspName));

    // A foreign port in our switch keeps the switch; without it the switch and our ports go.
    await ovn.nbctl('lsp-add', `mooring-net-${net}`, 'foreign-guest');
    await expect(fabric.deleteNetwork(net)).rejects.toBeInstanceOf(SwitchHoldsForeignPortsError);
    await ovn.nbctl('lsp-del', 'foreign-guest');
    await fabric.deleteNetwork(net);
    expect(await ovn.nbFind('Logical_Switch', 'name', `name=mooring-net-${net}`)).toEqual([]);
    expect(await lspCount(aAndC.lspName)).toBe(0);
  });
});

describe('a foreign change between plan and commit', () => {
  it('a port added after deleteNetwork planned fails its commit at the guard; planned again, the delete is refused', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'raced' });
    const ours = port(net, '52:54:00:00:05:01');
    await fabric.attachPort(ours);
    // Another client commits between this write's plan and its transact: interposed on the real
    // NB client, so the delete goes to ovsdb-server planned on a switch without the new port.
    const nb = (fabric as unknown as { nb: OvsdbClient }).nb;
    const transact = nb.transact.bind(nb);
    let raced = 0;
    const spy = vi.spyOn(nb, 'transact').mockImplementation(async (db, ops) => {
      if (raced++ === 0) await ovn.nbctl('lsp-add', `mooring-net-${net}`, 'late-guest');
      return transact(db, ops);
    });
    try {
      await expect(fabric.deleteNetwork(net)).rejects.toBeInstanceOf(SwitchHoldsForeignPortsError);
    } finally {
      spy.mockRestore();
    }
    expect(raced).toBe(1); // the second plan saw the port and sent nothing
    expect(await ovn.nbctl('lsp-list', `mooring-net-${net}`)).toContain('late-guest');
    expect(await lspCount(ours.lspName)).toBe(1);
    await ovn.nbctl('lsp-del', 'late-guest');
    await fabric.deleteNetwork(net);
    expect(await ovn.nbFind('Logical_Switch', 'name', `name=mooring-net-${net}`)).toEqual([]);
  });
});

describe('port state', () => {
  it('waitPortUp resolves with the chassis that claimed the port when it binds the LSP name as iface-id', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'claimed' });
    const p = port(net, '52:54:00:00:01:01');
    await fabric.attachPort(p);
    expect(await fabric.portState(p.lspName)).toEqual({ lspName: p.lspName, exists: true, up: false });
    const waiting = fabric.waitPortUp(p.lspName, 20_000);
    await chassis.bind('tap-claim', p.lspName);
    expect(await waiting).toEqual({ lspName: p.lspName, exists: true, up: true, chassis: 'nic-a' });
    expect(await fabric.portState(p.lspName)).toEqual({ lspName: p.lspName, exists: true, up: true, chassis: 'nic-a' });
    await chassis.unbind('tap-claim');
  });

  it('two smartNICs binding representors of the same name claim their own LSPs', async () => {
    const other = await ovn.addChassis('nic-b');
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'twins' });
    const [pa, pb] = [port(net, '52:54:00:00:01:11'), port(net, '52:54:00:00:01:12')];
    await fabric.attachPort(pa);
    await fabric.attachPort(pb);
    const [upA, upB] = [fabric.waitPortUp(pa.lspName, 20_000), fabric.waitPortUp(pb.lspName, 20_000)];
    await chassis.bind('pf0vf0', pa.lspName);
    await other.bind('pf0vf0', pb.lspName);
    expect(await upA).toMatchObject({ up: true, chassis: 'nic-a' });
    expect(await upB).toMatchObject({ up: true, chassis: 'nic-b' });
    await chassis.unbind('pf0vf0');
    await other.stop();
  });

  it('waitPortUp rejects with an error naming the port and the timeout when no chassis binds it', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'unclaimed' });
    const p = port(net, '52:54:00:00:01:02');
    await fabric.attachPort(p);
    const err = await fabric.waitPortUp(p.lspName, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortUpTimeoutError);
    expect((err as Error).message).toBe(`OVN did not report port ${p.lspName} up within 300 ms (no chassis claimed it)`);
  });

  it('waitPortUp stops when its signal aborts', async () => {
    const ac = new AbortController();
    const waiting = fabric.waitPortUp(randomUUID(), 60_000, ac.signal);
    ac.abort();
    await expect(waiting).rejects.toThrow(/was aborted/);
  });
});

describe('reconcile', () => {
  it('recreates what is missing, removes owned orphans and leaves foreign rows alone', async () => {
    const net = randomUUID();
    const group = {
      id: randomUUID(),
      name: 'rec',
      rules: [{ id: 'web', direction: 'in' as const, protocol: 'tcp' as const, portMin: 443 }],
    };
    const keep = port(net, '52:54:00:00:02:01', { securityGroupIds: [group.id] });
    const orphan = port(net, '52:54:00:00:02:02');
    await fabric.ensureNetwork({ id: net, name: 'rec' });
    await fabric.ensureSecurityGroup(group);
    await fabric.attachPort(keep);
    await fabric.attachPort(orphan);
    const desired = { networks: [{ id: net, name: 'rec' }], securityGroups: [group], attachments: [keep] };
    const pg = `mooring_sg_${group.id.replaceAll('-', '_')}`;
    // Someone removed the group's rule ACL behind our back.
    await ovn.nbctl('acl-del', pg, 'to-lport', '1002', `outport == @${pg} && ip4 && tcp && tcp.dst == 443`);
    // Foreign rows: a switch and port of someone else.
    await ovn.nbctl('ls-add', 'foreign-sw', '--', 'lsp-add', 'foreign-sw', 'foreign-port');
    // Someone deleted our kept port behind our back.
    await ovn.nbctl('lsp-del', keep.lspName);

    const report = await fabric.reconcile(desired);
    expect([...report.created].sort()).toEqual([`ACL ${pg}/web`, `Logical_Switch_Port ${keep.lspName}`]);
    expect(await ovn.nbctl('acl-list', pg)).toContain('tcp.dst == 443');
    expect(await ovn.nbctl('--bare', '--columns=ports', 'list', 'Port_Group', pg)).toBe(
      await ovn.nbctl('--bare', '--columns=_uuid', 'find', 'Logical_Switch_Port', `name=${keep.lspName}`),
    );
    expect(report.removed).toContain(`Logical_Switch_Port ${orphan.lspName}`);
    // Earlier tests' owned rows not in `desired` are orphans too: all of them are ours.
    for (const r of report.removed) expect(r).not.toMatch(/foreign/);
    expect(await lspCount(keep.lspName)).toBe(1);
    expect(await lspCount(orphan.lspName)).toBe(0);
    expect(await ovn.nbctl('lsp-list', 'foreign-sw')).toContain('foreign-port');
    expect(await ovn.nbFind('Logical_Switch', 'name')).toEqual(expect.arrayContaining(['foreign-sw', `mooring-net-${net}`]));

    // Nothing left to do: a second run changes nothing.
    expect(await fabric.reconcile(desired)).toEqual({ created: [], removed: [] });

    // A default-drop ACL removed behind our back comes back, though no port is new.
    await ovn.nbctl('acl-del', 'mooring_default_drop', 'from-lport', '1001', 'inport == @mooring_default_drop && ip');
    expect(await fabric.reconcile(desired)).toEqual({ created: ['ACL mooring_default_drop/default-drop'], removed: [] });
    expect(await ovn.nbctl('acl-list', 'mooring_default_drop')).toContain('from-lport  1001 (inport == @mooring_default_drop && ip) drop');
  });

  it('refuses to create a row whose name a foreign row holds, and leaves that row as it was', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'clash' });
    const taken = randomUUID();
    await ovn.nbctl('lsp-add', 'foreign-sw', taken, '--', 'lsp-set-addresses', taken, '00:00:00:00:00:aa');
    const err = await fabric.attachPort(port(net, '52:54:00:00:03:01', { lspName: taken })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForeignRowError);
    expect((err as Error).message).toContain(`Logical_Switch_Port named ${taken}`);
    expect(await ovn.nbctl('lsp-get-addresses', taken)).toBe('00:00:00:00:00:aa');
    expect(await ovn.nbctl('lsp-list', `mooring-net-${net}`)).toBe('');
  });
});

describe('bad input', () => {
  it('is refused with the field named, before anything is written', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'strict', cidr: '10.7.0.0/24' });
    const before = await ovn.nbctl('show');
    const aclsBefore = await ovn.nbctl('--bare', '--columns=_uuid', 'list', 'ACL');
    const cases: [Promise<unknown>, string][] = [
      [fabric.attachPort(port(net, '52:54:00:00:zz:01')), 'attachment.mac'],
      [fabric.attachPort(port(net, '01:00:5e:00:00:01')), 'attachment.mac'],
      [fabric.attachPort(port(net, '52:54:00:00:04:01', { ip: '10.8.0.1' })), 'attachment.ip'],
      [fabric.ensureNetwork({ id: randomUUID(), name: 'bad', cidr: '10.0.0.1/24' }), 'network.cidr'],
      [fabric.ensureNetwork({ id: randomUUID(), name: 'bad', cidr: '300.0.0.0/8' }), 'network.cidr'],
      [
        fabric.ensureSecurityGroup({ id: randomUUID(), name: 'g', rules: [{ id: 'r', direction: 'in', protocol: 'tcp', portMin: 0 }] }),
        'group.rules[0].portMin',
      ],
      [
        fabric.ensureSecurityGroup({
          id: randomUUID(),
          name: 'g',
          rules: [{ id: 'r', direction: 'in', protocol: 'udp', portMin: 100, portMax: 65536 }],
        }),
        'group.rules[0].portMax',
      ],
      [
        fabric.ensureSecurityGroup({
          id: randomUUID(),
          name: 'g',
          rules: [{ id: 'r', direction: 'in', protocol: 'tcp', portMin: 90, portMax: 80 }],
        }),
        'group.rules[0].portMax',
      ],
      [
        fabric.ensureSecurityGroup({ id: randomUUID(), name: 'g', rules: [{ id: 'r', direction: 'in', protocol: 'icmp', portMin: 22 }] }),
        'group.rules[0].portMin',
      ],
      [
        fabric.ensureSecurityGroup({
          id: randomUUID(),
          name: 'g',
          rules: [{ id: 'r', direction: 'in', protocol: 'any', remoteCidr: '10.0.0.0/33' }],
        }),
        'group.rules[0].remoteCidr',
      ],
    ];
    for (const [call, field] of cases) {
      const err = await call.catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).field).toBe(field);
    }
    const missingGroup = await fabric
      .attachPort(port(net, '52:54:00:00:04:02', { securityGroupIds: [randomUUID()] }))
      .catch((e: unknown) => e);
    expect(missingGroup).toBeInstanceOf(FabricRowMissingError);
    expect((missingGroup as Error).message).toMatch(/^attachment\.securityGroupIds\[0\]: security group .* has no Port_Group/);
    const missingNet = await fabric.attachPort(port(randomUUID(), '52:54:00:00:04:03')).catch((e: unknown) => e);
    expect((missingNet as Error).message).toMatch(/^attachment\.networkId: network .* has no Logical_Switch/);
    expect(await ovn.nbctl('show')).toBe(before);
    expect(await ovn.nbctl('--bare', '--columns=_uuid', 'list', 'ACL')).toBe(aclsBefore);
  });
});

describe('NB restart', () => {
  it('a call made while NB is down waits for it (bounded), then applies once; a short bound fails clearly', async () => {
    const net = randomUUID();
    await fabric.ensureNetwork({ id: net, name: 'outage' });
    const reconnected = new Promise<boolean>((resolve) => fabric.once('connected', (e) => resolve(e.reconnect)));
    const impatient = OvnNorthbound.create({
      remote: ovn.tcpNbRemote,
      owner: OWNER,
      unavailableWaitMs: 200,
      reconnect: { initialMs: 50, maxMs: 200 },
    });
    await impatient.ready();

    await ovn.killNb();
    const p = port(net, '52:54:00:00:05:01');
    const attaching = fabric.attachPort(p);
    const err = await impatient.attachPort(port(net, '52:54:00:00:05:02')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NorthboundUnavailableError);
    expect((err as Error).message).toMatch(new RegExp(`^OVN northbound ${ovn.tcpNbRemote} is not reachable .*nothing was changed$`));
    await ovn.restartNb();
    await attaching;
    expect(await reconnected).toBe(true);
    // The TCP client is back too and writes again (bounded wait long enough now).
    const viaTcp = port(net, '52:54:00:00:05:04');
    await impatient.ready(5000);
    await impatient.attachPort(viaTcp);
    expect(await lspCount(viaTcp.lspName)).toBe(1);
    impatient.close();

    // After the restart: a later attach works, and each port has exactly one row.
    const later = port(net, '52:54:00:00:05:03');
    await fabric.attachPort(later);
    await fabric.attachPort(p);
    expect(await lspCount(p.lspName)).toBe(1);
    expect(await lspCount(later.lspName)).toBe(1);
    expect((await ovn.nbctl('lsp-list', `mooring-net-${net}`)).split('\n')).toHaveLength(3);
    expect(await ovn.nbFind('Logical_Switch', 'name', `name=mooring-net-${net}`)).toHaveLength(1);
    // The monitor was re-established: a claim after the restart is seen.
    const waiting = fabric.waitPortUp(later.lspName, 20_000);
    await chassis.bind('tap-later', later.lspName);
    expect(await waiting).toMatchObject({ up: true, chassis: 'nic-a' });
  });
});
