// Tenant networks and security groups through the real coordinator over real gRPC, with the
// NetworkFabric simulated (test/harness/simulated-fabric.ts): records, validation, tenancy,
// addresses, and what the fabric is asked to do (and never asked, when a request is refused).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { ConfigError, loadConfig } from '../../coordinator/src/config.js';
import type { NetworkAttachment } from '../../coordinator/src/networks/network-records.js';
import type { RequestOf } from '../../coordinator/src/client/coordinator-client.js';
import { failure, invalid } from '../harness/call-outcome.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { SimulatedFabric } from '../harness/simulated-fabric.js';

describe('tenant networks and security groups', () => {
  let f: CoordinatorFixture;
  let fabric: SimulatedFabric;
  let alice: CoordinatorClient; // member of group red
  let bob: CoordinatorClient; // member, no group
  let carol: CoordinatorClient; // member of group red
  let olive: CoordinatorClient; // observer

  beforeAll(async () => {
    fabric = new SimulatedFabric();
    f = await startCoordinator({ networkFabric: fabric });
    alice = await f.user('alice', 'member', ['red']);
    bob = await f.user('bob', 'member');
    carol = await f.user('carol', 'member', ['red']);
    olive = await f.user('olive', 'observer');
  });
  afterAll(async () => f.close());

  /** Puts an attachment row straight into the store, as the sequencer will. */
  async function attach(row: Omit<NetworkAttachment, 'lspName' | 'mac' | 'ip'> & { lspName?: string }): Promise<NetworkAttachment> {
    const attachment: NetworkAttachment = { lspName: row.lspName ?? crypto.randomUUID(), mac: '52:54:00:00:00:01', ip: null, ...row };
    const { store } = f.coordinator;
    await store.write(() => store.tables.networkAttachments.putSync(attachment.lspName, attachment));
    return attachment;
  }

  async function detach(attachment: NetworkAttachment): Promise<void> {
    const { store } = f.coordinator;
    await store.write(() => store.tables.networkAttachments.removeSync(attachment.lspName));
  }

  it('creates, lists, shows and deletes a network, asking the fabric for each', async () => {
    const created = await alice.call('NetworkService', 'CreateNetwork', { name: 'web', cidr: '10.0.5.0/24' });
    expect(created).toMatchObject({ name: 'web', cidr: '10.0.5.0/24', owner: { kind: 'user', user: 'alice' } });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fabric.callsOf('ensureNetwork').at(-1)?.args).toEqual([{ id: created.id, name: 'web', cidr: '10.0.5.0/24' }]);
    expect(fabric.networks.get(created.id)).toEqual({ id: created.id, name: 'web', cidr: '10.0.5.0/24' });

    const plain = await alice.call('NetworkService', 'CreateNetwork', { name: 'plain' });
    expect(plain.cidr).toBe('');
    expect(fabric.networks.get(plain.id)).toEqual({ id: plain.id, name: 'plain' });

    const listed = await alice.call('NetworkService', 'ListNetworks', {});
    expect(listed.networks.map((n) => n.name)).toEqual(['plain', 'web']);
    const shown = await alice.call('NetworkService', 'GetNetwork', { name: 'web' });
    expect(shown).toMatchObject({ id: created.id, attachments: [] });

    await alice.call('NetworkService', 'DeleteNetwork', { name: 'plain' });
    expect(fabric.callsOf('deleteNetwork').at(-1)?.args).toEqual([plain.id]);
    expect(fabric.networks.has(plain.id)).toBe(false);
    expect(await failure(alice.call('NetworkService', 'GetNetwork', { name: 'plain' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'network plain not found',
    });
    const kinds = [...f.coordinator.events.since(0)].map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('network.'))).toEqual(['network.created', 'network.created', 'network.deleted']);
  });

  it('refuses bad networks naming the field, writing nothing and calling no fabric', async () => {
    await alice.call('NetworkService', 'CreateNetwork', { name: 'base', cidr: '10.1.0.0/16' });
    const cases: [RequestOf<'NetworkService', 'CreateNetwork'>, RegExp][] = [
      [{ name: 'n1', cidr: 'ten.0.0.0/8' }, /^cidr: "ten\.0\.0\.0\/8" is not an IPv4 CIDR/],
      [{ name: 'n1', cidr: '10.0.0.0' }, /^cidr: .* is not an IPv4 CIDR/],
      [{ name: 'n1', cidr: '10.0.5.3/24' }, /^cidr: 10\.0\.5\.3\/24 is not aligned to its network: did you mean 10\.0\.5\.0\/24\?$/],
      [{ name: 'n1', cidr: '10.0.0.0/7' }, /^cidr: prefix \/7 is outside \/8\.\.\/30$/],
      [{ name: 'n1', cidr: '10.0.0.0/31' }, /^cidr: prefix \/31 is outside \/8\.\.\/30$/],
      [
        { name: 'n1', cidr: '10.1.128.0/17' },
        /^cidr: 10\.1\.128\.0\/17 overlaps network base \(10\.1\.0\.0\/16\) of the same owner user:alice$/,
      ],
      [{ name: 'n1', cidr: '10.0.0.0/8' }, /^cidr: 10\.0\.0\.0\/8 overlaps network (base|web) /],
      [{ name: 'Bad Name' }, /^name: must be a network name/],
      [{ name: 'n1', owner: { kind: 'user', user: 'nobody!' } }, /^owner\.user: must be a user name$/],
    ];
    const before = fabric.calls.length;
    for (const [request, message] of cases) {
      expect(await invalid(alice.call('NetworkService', 'CreateNetwork', request as never))).toMatch(message);
    }
    expect(await invalid(f.admin.call('NetworkService', 'CreateNetwork', { name: 'n1', owner: { kind: 'group', group: 'ghosts' } }))).toBe(
      'owner: group ghosts does not exist',
    );
    expect(fabric.calls.length).toBe(before);
    expect((await f.admin.call('NetworkService', 'ListNetworks', {})).networks.map((n) => n.name)).not.toContain('n1');
    // Another owner may reuse the subnet: its network is a separate switch.
    expect((await bob.call('NetworkService', 'CreateNetwork', { name: 'bob-base', cidr: '10.1.0.0/16' })).cidr).toBe('10.1.0.0/16');
    expect(await failure(bob.call('NetworkService', 'CreateNetwork', { name: 'base' }))).toEqual({
      code: 'ALREADY_EXISTS',
      details: 'network base already exists',
    });
  });

  it("shows members only their own and their groups' networks; admins and observers all", async () => {
    const red = await alice.call('NetworkService', 'CreateNetwork', { name: 'red-net', owner: { kind: 'group', group: 'red' } });
    expect(red.owner).toEqual({ kind: 'group', group: 'red' });
    // bob is not in red: the network reads exactly as a made-up name.
    const unknown = await failure(bob.call('NetworkService', 'GetNetwork', { name: 'made-up' }));
    expect(unknown).toEqual({ code: 'NOT_FOUND', details: 'network made-up not found' });
    expect(await failure(bob.call('NetworkService', 'GetNetwork', { name: 'web' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'network web not found',
    });
    expect(await failure(bob.call('NetworkService', 'DeleteNetwork', { name: 'red-net' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'network red-net not found',
    });
    expect((await bob.call('NetworkService', 'ListNetworks', {})).networks.map((n) => n.name)).toEqual(['bob-base']);
    // carol shares the group red, not alice's own networks.
    expect((await carol.call('NetworkService', 'ListNetworks', {})).networks.map((n) => n.name)).toEqual(['red-net']);
    expect((await f.admin.call('NetworkService', 'ListNetworks', {})).networks.map((n) => n.name)).toEqual([
      'base',
      'bob-base',
      'red-net',
      'web',
    ]);
    expect((await olive.call('NetworkService', 'ListNetworks', {})).networks).toHaveLength(4);
    expect((await failure(olive.call('NetworkService', 'DeleteNetwork', { name: 'web' }))).code).toBe('PERMISSION_DENIED');
    expect((await failure(olive.call('NetworkService', 'CreateNetwork', { name: 'olive-net' }))).code).toBe('PERMISSION_DENIED');
    // A member gives networks only to itself or its groups.
    expect(await failure(bob.call('NetworkService', 'CreateNetwork', { name: 'bob-red', owner: { kind: 'group', group: 'red' } }))).toEqual(
      {
        code: 'PERMISSION_DENIED',
        details: 'bob may not give a network to group:red (only to itself or its groups)',
      },
    );
    // Security groups follow the same rule, and so does naming one as a rule's remote group.
    await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'alice-sg' });
    await bob.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'bob-sg' });
    expect(await failure(bob.call('SecurityGroupService', 'GetSecurityGroup', { name: 'alice-sg' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'security group alice-sg not found',
    });
    expect(await failure(bob.call('SecurityGroupService', 'AddRule', { group: 'alice-sg', direction: 'in', protocol: 'any' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'security group alice-sg not found',
    });
    const hidden = await invalid(
      bob.call('SecurityGroupService', 'AddRule', { group: 'bob-sg', direction: 'in', protocol: 'any', remoteGroup: 'alice-sg' }),
    );
    const madeUp = await invalid(
      bob.call('SecurityGroupService', 'AddRule', { group: 'bob-sg', direction: 'in', protocol: 'any', remoteGroup: 'nope-sg' }),
    );
    expect([hidden, madeUp]).toEqual(['remote_group: security group alice-sg not found', 'remote_group: security group nope-sg not found']);
    expect((await bob.call('SecurityGroupService', 'ListSecurityGroups', {})).securityGroups.map((g) => g.name)).toEqual(['bob-sg']);
    expect((await f.admin.call('SecurityGroupService', 'ListSecurityGroups', {})).securityGroups.map((g) => g.name)).toEqual([
      'alice-sg',
      'bob-sg',
    ]);
    // The owner deletes: for a group-owned network, any member of the group; admins delete anything.
    await carol.call('NetworkService', 'DeleteNetwork', { name: 'red-net' });
    await f.admin.call('NetworkService', 'DeleteNetwork', { name: 'bob-base' });
    expect((await f.admin.call('NetworkService', 'ListNetworks', {})).networks.map((n) => n.name)).toEqual(['base', 'web']);
  });

  it('refuses bad rules naming the field, and sends the full rule list on every change', async () => {
    const group = await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'ssh' });
    expect(fabric.securityGroups.get(group.id)).toEqual({ id: group.id, name: 'ssh', rules: [] });
    const rule = (r: RequestOf<'SecurityGroupService', 'AddRule'>): Promise<unknown> =>
      alice.call('SecurityGroupService', 'AddRule', { group: 'ssh', ...r });
    const before = fabric.calls.length;
    const bad: [RequestOf<'SecurityGroupService', 'AddRule'>, string][] = [
      [{ direction: 'sideways', protocol: 'tcp' }, 'direction: must be in or out'],
      [{ direction: 'in', protocol: 'gre' }, 'protocol: must be tcp, udp, icmp or any'],
      [{ direction: 'in', protocol: 'tcp', ports: { min: 0, max: 0 } }, 'ports.min: port 0 is outside 1-65535'],
      [{ direction: 'in', protocol: 'tcp', ports: { min: 1, max: 65536 } }, 'ports.max: port 65536 is outside 1-65535'],
      [{ direction: 'in', protocol: 'udp', ports: { min: 30, max: 20 } }, 'ports: the range 30-20 ends before it starts'],
      [{ direction: 'in', protocol: 'icmp', ports: { min: 22, max: 22 } }, 'ports: only tcp and udp rules take ports, not icmp'],
      [{ direction: 'out', protocol: 'any', ports: { min: 22, max: 22 } }, 'ports: only tcp and udp rules take ports, not any'],
      [{ direction: 'in', protocol: 'tcp', remoteCidr: '300.0.0.0/8' }, 'remote_cidr: "300.0.0.0/8" is not an IPv4 CIDR like 10.0.5.0/24'],
      [
        { direction: 'in', protocol: 'tcp', remoteCidr: '10.0.0.1/8' },
        'remote_cidr: 10.0.0.1/8 is not aligned to its network: did you mean 10.0.0.0/8?',
      ],
      [
        { direction: 'in', protocol: 'tcp', remoteCidr: '10.0.0.0/8', remoteGroup: 'ssh' },
        'remote_group: give remote_cidr or remote_group, not both',
      ],
      [
        { direction: 'in', protocol: 'tcp', remoteGroup: 'Bad' },
        'remote_group: must be a security group name: lowercase letters, digits, - or _, starting with a letter',
      ],
    ];
    for (const [request, message] of bad) expect(await invalid(rule(request))).toBe(message);
    expect(fabric.calls.length).toBe(before);
    expect((await alice.call('SecurityGroupService', 'GetSecurityGroup', { name: 'ssh' })).rules).toEqual([]);

    const first = (
      await alice.call('SecurityGroupService', 'AddRule', {
        group: 'ssh',
        direction: 'in',
        protocol: 'tcp',
        ports: { min: 22, max: 23 },
        remoteCidr: '192.0.2.0/24',
      })
    ).rule!;
    const second = (
      await alice.call('SecurityGroupService', 'AddRule', { group: 'ssh', direction: 'in', protocol: 'icmp', remoteGroup: 'ssh' })
    ).rule!;
    expect(first).toMatchObject({
      direction: 'in',
      protocol: 'tcp',
      ports: { min: 22, max: 23 },
      remoteCidr: '192.0.2.0/24',
      remoteGroup: '',
    });
    expect(second).toMatchObject({ protocol: 'icmp', ports: null, remoteGroup: 'ssh' });
    expect(fabric.callsOf('ensureSecurityGroup').at(-1)?.args).toEqual([
      {
        id: group.id,
        name: 'ssh',
        rules: [
          { id: first.id, direction: 'in', protocol: 'tcp', portMin: 22, portMax: 23, remoteCidr: '192.0.2.0/24' },
          { id: second.id, direction: 'in', protocol: 'icmp', remoteGroupId: group.id },
        ],
      },
    ]);
    expect(
      (
        await failure(
          alice.call('SecurityGroupService', 'AddRule', { group: 'ssh', direction: 'in', protocol: 'icmp', remoteGroup: 'ssh' }),
        )
      ).code,
    ).toBe('ALREADY_EXISTS');

    const after = await alice.call('SecurityGroupService', 'DeleteRule', { group: 'ssh', ruleId: first.id });
    expect(after.rules.map((r) => r.id)).toEqual([second.id]);
    expect(fabric.callsOf('ensureSecurityGroup').at(-1)?.args).toEqual([
      { id: group.id, name: 'ssh', rules: [{ id: second.id, direction: 'in', protocol: 'icmp', remoteGroupId: group.id }] },
    ]);
    expect(await failure(alice.call('SecurityGroupService', 'DeleteRule', { group: 'ssh', ruleId: first.id }))).toEqual({
      code: 'NOT_FOUND',
      details: `security group ssh has no rule ${first.id}`,
    });
  });

  it('refuses to delete a network or security group in use, naming the machines', async () => {
    const net = await alice.call('NetworkService', 'CreateNetwork', { name: 'busy', cidr: '10.9.0.0/24' });
    const sg = await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'busy-sg' });
    const one = await attach({ networkId: net.id, machineId: 'machine-one', portId: 'p1', securityGroupIds: [sg.id] });
    const two = await attach({ networkId: net.id, machineId: 'machine-two', portId: 'p2', securityGroupIds: [] });
    const deletesBefore = fabric.callsOf('deleteNetwork').length;
    expect(await failure(alice.call('NetworkService', 'DeleteNetwork', { name: 'busy' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: 'network busy is still used by machine(s) machine-one, machine-two',
    });
    expect(await failure(alice.call('SecurityGroupService', 'DeleteSecurityGroup', { name: 'busy-sg' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: 'security group busy-sg is still used by machine(s) machine-one',
    });
    expect(fabric.callsOf('deleteNetwork').length).toBe(deletesBefore);
    expect(fabric.callsOf('deleteSecurityGroup')).toHaveLength(0);
    const shown = await alice.call('NetworkService', 'GetNetwork', { name: 'busy' });
    expect(shown.attachments.map((a) => [a.machineId, a.securityGroups])).toEqual(
      expect.arrayContaining([
        ['machine-one', ['busy-sg']],
        ['machine-two', []],
      ]),
    );

    // Named by another group's rule: refused too.
    await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'friend-sg' });
    await alice.call('SecurityGroupService', 'AddRule', { group: 'friend-sg', direction: 'in', protocol: 'any', remoteGroup: 'busy-sg' });
    await detach(one);
    expect((await failure(alice.call('SecurityGroupService', 'DeleteSecurityGroup', { name: 'busy-sg' }))).details).toBe(
      'security group busy-sg is still used by the rules of security group(s) friend-sg',
    );
    await alice.call('SecurityGroupService', 'DeleteSecurityGroup', { name: 'friend-sg' });
    await alice.call('SecurityGroupService', 'DeleteSecurityGroup', { name: 'busy-sg' });
    expect(fabric.securityGroups.has(sg.id)).toBe(false);
    await detach(two);
    await alice.call('NetworkService', 'DeleteNetwork', { name: 'busy' });
    expect(fabric.networks.has(net.id)).toBe(false);
  });

  it('gives 50 concurrent ports distinct addresses, frees them on release, and exhausts a /30', async () => {
    const net = await alice.call('NetworkService', 'CreateNetwork', { name: 'pool26', cidr: '10.20.0.0/26' });
    const { networks } = f.coordinator.networks;
    const ips = await Promise.all(Array.from({ length: 50 }, (_, i) => networks.allocateAddress(net.id, `port-${i}`)));
    expect(new Set(ips).size).toBe(50);
    const last = ips.map((ip) => Number(ip!.split('.')[3]));
    // .0 is the network, .1 the gateway, .63 broadcast: the 50 lowest of .2-.62.
    expect([...last].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(await networks.allocateAddress(net.id, 'port-7')).toBe(ips[7]);
    expect(await networks.releaseAddress(net.id, 'port-7')).toBe(true);
    expect(await networks.releaseAddress(net.id, 'port-7')).toBe(false);
    expect(await networks.allocateAddress(net.id, 'port-new')).toBe(ips[7]);

    const tiny = await alice.call('NetworkService', 'CreateNetwork', { name: 'tiny', cidr: '10.30.0.0/30' });
    expect(await networks.allocateAddress(tiny.id, 'a')).toBe('10.30.0.2');
    const exhausted = await networks.allocateAddress(tiny.id, 'b').then(
      () => null,
      (error: unknown) => error,
    );
    expect(exhausted).toMatchObject({ kind: 'resource-exhausted', message: 'network tiny (10.30.0.0/30) has no free address left' });
    const noCidr = await alice.call('NetworkService', 'CreateNetwork', { name: 'no-cidr' });
    expect(await networks.allocateAddress(noCidr.id, 'a')).toBeNull();
  });

  it('leaves nothing half-made when the fabric fails', async () => {
    fabric.failNext('ensureNetwork', 'connection refused');
    expect(await failure(alice.call('NetworkService', 'CreateNetwork', { name: 'doomed', cidr: '10.40.0.0/24' }))).toEqual({
      code: 'UNAVAILABLE',
      details: 'OVN northbound could not create network doomed: simulated ensureNetwork failure: connection refused; nothing was changed',
    });
    expect((await failure(alice.call('NetworkService', 'GetNetwork', { name: 'doomed' }))).code).toBe('NOT_FOUND');
    expect([...fabric.networks.values()].map((n) => n.name)).not.toContain('doomed');
    // The name and the subnet are free again.
    const retried = await alice.call('NetworkService', 'CreateNetwork', { name: 'doomed', cidr: '10.40.0.0/24' });
    expect(fabric.networks.get(retried.id)?.name).toBe('doomed');

    fabric.failNext('deleteNetwork');
    expect((await failure(alice.call('NetworkService', 'DeleteNetwork', { name: 'doomed' }))).code).toBe('UNAVAILABLE');
    expect((await alice.call('NetworkService', 'GetNetwork', { name: 'doomed' })).id).toBe(retried.id);

    fabric.failNext('ensureSecurityGroup');
    expect((await failure(alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'doomed-sg' }))).code).toBe('UNAVAILABLE');
    expect((await failure(alice.call('SecurityGroupService', 'GetSecurityGroup', { name: 'doomed-sg' }))).code).toBe('NOT_FOUND');
    const sg = await alice.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'doomed-sg' });
    const kept = (await alice.call('SecurityGroupService', 'AddRule', { group: 'doomed-sg', direction: 'out', protocol: 'any' })).rule!;
    fabric.failNext('ensureSecurityGroup');
    expect(
      (
        await failure(
          alice.call('SecurityGroupService', 'AddRule', {
            group: 'doomed-sg',
            direction: 'in',
            protocol: 'udp',
            ports: { min: 53, max: 53 },
          }),
        )
      ).code,
    ).toBe('UNAVAILABLE');
    fabric.failNext('ensureSecurityGroup');
    expect((await failure(alice.call('SecurityGroupService', 'DeleteRule', { group: 'doomed-sg', ruleId: kept.id }))).code).toBe(
      'UNAVAILABLE',
    );
    const stored = await alice.call('SecurityGroupService', 'GetSecurityGroup', { name: 'doomed-sg' });
    expect(stored.rules.map((r) => r.id)).toEqual([kept.id]);
    expect(fabric.securityGroups.get(sg.id)?.rules.map((r) => r.id)).toEqual([kept.id]);
  });

  it('reconciles the fabric with the stored records when a coordinator starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mooring-networks-'));
    try {
      const first = await startCoordinator({ dataDir, networkFabric: new SimulatedFabric() });
      const net = await first.admin.call('NetworkService', 'CreateNetwork', { name: 'kept', cidr: '10.50.0.0/24' });
      const sg = await first.admin.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'kept-sg' });
      const rule = (
        await first.admin.call('SecurityGroupService', 'AddRule', {
          group: 'kept-sg',
          direction: 'in',
          protocol: 'tcp',
          ports: { min: 22, max: 22 },
        })
      ).rule!;
      const ip = await first.coordinator.networks.networks.allocateAddress(net.id, 'port-a');
      const row: NetworkAttachment = {
        lspName: 'lsp-a',
        networkId: net.id,
        machineId: 'machine-a',
        portId: 'port-a',
        mac: '52:54:00:00:00:0a',
        ip,
        securityGroupIds: [sg.id],
      };
      await first.coordinator.store.write(() => first.coordinator.store.tables.networkAttachments.putSync(row.lspName, row));
      await first.close();

      const restarted = new SimulatedFabric();
      const second = await startCoordinator({ dataDir, networkFabric: restarted });
      try {
        const report = await second.coordinator.networks.reconciled;
        expect(restarted.callsOf('reconcile').map((call) => call.args)).toEqual([
          [
            {
              networks: [{ id: net.id, name: 'kept', cidr: '10.50.0.0/24' }],
              securityGroups: [
                { id: sg.id, name: 'kept-sg', rules: [{ id: rule.id, direction: 'in', protocol: 'tcp', portMin: 22, portMax: 22 }] },
              ],
              attachments: [
                {
                  lspName: 'lsp-a',
                  networkId: net.id,
                  machineId: 'machine-a',
                  portId: 'port-a',
                  mac: '52:54:00:00:00:0a',
                  ip: '10.50.0.2',
                  securityGroupIds: [sg.id],
                },
              ],
            },
          ],
        ]);
        expect(report?.created).toEqual([net.id, sg.id, 'lsp-a']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers FAILED_PRECONDITION when no OVN northbound is configured', async () => {
    const bare = await startCoordinator();
    try {
      expect(await failure(bare.admin.call('NetworkService', 'ListNetworks', {}))).toEqual({
        code: 'FAILED_PRECONDITION',
        details: 'OVN northbound not configured',
      });
      expect(await failure(bare.admin.call('SecurityGroupService', 'CreateSecurityGroup', { name: 'x' }))).toEqual({
        code: 'FAILED_PRECONDITION',
        details: 'OVN northbound not configured',
      });
    } finally {
      await bare.close();
    }
    expect(loadConfig({ flags: {}, env: { MOORING_OVN_NORTHBOUND: 'tcp:10.0.0.5:6641' } }).ovnNorthbound).toBe('tcp:10.0.0.5:6641');
    expect(loadConfig({ flags: {}, env: {} }).ovnNorthbound).toBeNull();
    expect(() => loadConfig({ flags: {}, env: { MOORING_OVN_NORTHBOUND: 'http://nb:6641' } })).toThrow(
      new ConfigError('environment: ovnNorthbound: expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT'),
    );
  });
});
