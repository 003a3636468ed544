// `mooring-agent ovs list|bind|unbind` end to end: the built binary against real OVS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { agentCli } from '../../harness/cli.js';

let ovs: OvsInstance;
let db: string[];

beforeAll(async () => {
  ovs = await OvsInstance.start({ bridge: 'br-int' });
  db = ['--db', ovs.unixRemote];
});

afterAll(async () => {
  await ovs?.stop();
});

describe('mooring-agent ovs', () => {
  it('binds a port and prints it active, as a table and as JSON', async () => {
    const r = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--port',
      'pf0vf3',
      '--iface-id',
      'p-3',
      '--mac',
      '52:54:00:AA:BB:03',
      '--vm-uuid',
      'm-3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trim().split('\n');
    expect(header).toMatch(/^PORT\s+OWNED\s+STATE\s+OFPORT\s+IFACE-ID\s+MAC\s+VM-UUID\s+ERROR$/);
    expect(row).toMatch(/^pf0vf3\s+yes\s+active\s+\d+\s+p-3\s+52:54:00:aa:bb:03\s+m-3\s+-$/);
    expect(await ovs.vsctl('get', 'Interface', 'pf0vf3', 'external_ids:iface-id')).toBe('p-3');

    const j = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--port',
      'pf0vf4',
      '--iface-id',
      'p-4',
      '--mac',
      '52:54:00:aa:bb:04',
      '--vm-uuid',
      'm-4',
      '--json',
    ]);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.stdout) as { name: string; state: string; ofport: number }[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ name: 'pf0vf4', state: 'active', owned: true, ifaceId: 'p-4' });
    expect(parsed[0]!.ofport).toBeGreaterThan(0);
  });

  it('lists ports, owned or not', async () => {
    await ovs.vsctl('add-port', 'br-int', 'uplink0');
    const all = JSON.parse((await agentCli(['ovs', 'list', ...db, '--json'])).stdout) as { name: string; owned: boolean }[];
    expect(all.map((p) => [p.name, p.owned])).toEqual([
      ['pf0vf3', true],
      ['pf0vf4', true],
      ['uplink0', false],
    ]);
    const owned = await agentCli(['ovs', 'list', ...db, '--owned']);
    expect(owned.stdout).not.toContain('uplink0');
    expect(owned.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('unbinds an owned port and refuses a foreign one with a clear error', async () => {
    const r = await agentCli(['ovs', 'unbind', ...db, '--port', 'pf0vf3']);
    expect(r).toMatchObject({ code: 0, stdout: 'removed pf0vf3\n' });
    expect(await ovs.vsctl('list-ports', 'br-int')).not.toContain('pf0vf3');
    const again = await agentCli(['ovs', 'unbind', ...db, '--port', 'pf0vf3']);
    expect(again.stdout).toBe('pf0vf3 was not on br-int; nothing to do\n');
    const foreign = await agentCli(['ovs', 'unbind', ...db, '--port', 'uplink0']);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toBe(
      'mooring-agent: port uplink0 exists but is not owned by Mooring (no mooring-owned=true); refusing to change it\n',
    );
    expect(await ovs.vsctl('list-ports', 'br-int')).toContain('uplink0');
  });

  it('names what was wrong: bad MAC, missing bridge, unreachable database, bad timeout', async () => {
    const mac = await agentCli(['ovs', 'bind', ...db, '--port', 'x1', '--iface-id', 'a', '--mac', 'zz', '--vm-uuid', 'b']);
    expect(mac.code).toBe(1);
    expect(mac.stderr).toMatch(/^mooring-agent: invalid port mac: "zz" is not a MAC address/);
    const bridge = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--bridge',
      'br-nope',
      '--port',
      'x1',
      '--iface-id',
      'a',
      '--mac',
      '52:54:00:00:00:01',
      '--vm-uuid',
      'b',
    ]);
    expect(bridge.stderr).toBe('mooring-agent: bridge br-nope does not exist in OVSDB\n');
    const created = await agentCli([
      'ovs',
      'bind',
      ...db,
      '--bridge',
      'br-new',
      '--create-bridge',
      '--datapath-type',
      'netdev',
      '--port',
      'x1',
      '--iface-id',
      'a',
      '--mac',
      '52:54:00:00:00:01',
      '--vm-uuid',
      'b',
    ]);
    expect(created.code).toBe(0);
    expect(await ovs.vsctl('list-ports', 'br-new')).toBe('x1');
    const down = await agentCli(['ovs', 'list', '--db', `unix:${ovs.dir}/missing.sock`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^mooring-agent: OVSDB connect to unix:.*missing\.sock failed: connect ENOENT/);
    const timeout = await agentCli(['ovs', 'list', ...db, '--timeout', 'soon']);
    expect(timeout.stderr).toBe('mooring-agent: --timeout: "soon" is not a duration (e.g. 500ms, 10s, 5m, 1h)\n');
  });
});
