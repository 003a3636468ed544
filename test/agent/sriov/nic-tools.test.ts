// The ip, devlink and mlxconfig runners against the SIMULATED tools (test/harness/sriov-sim-tools)
// on the simulated sysfs tree: per-VF settings one call each and read back, typed errors naming
// the PF and VF, eswitch mode refusals, timeouts and missing programs.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Devlink } from '../../../agent/src/sriov/devlink.js';
import { IpLink, parseIpLinkShow, vfSetArgs } from '../../../agent/src/sriov/ip-link.js';
import {
  EswitchModeRefusedError,
  EswitchUnsupportedError,
  VfNotFoundError,
  VfSettingRefusedError,
} from '../../../agent/src/sriov/nic-errors.js';
import { parseNvConfigQuery, queryNvConfig } from '../../../agent/src/sriov/nv-config.js';
import {
  ExecToolRunner,
  parseToolStderr,
  ToolFailedError,
  ToolMissingError,
  ToolTimeoutError,
  type SriovTools,
} from '../../../agent/src/sriov/tool-runner.js';
import { VfCounter } from '../../../agent/src/sriov/vf-count.js';
import type { SriovSysfsSimulation } from '../../harness/sriov-sim.js';
import { BLUEFIELD3, callLog, nvConfigFor, setDeviceFacts, simulatedTools, simulationPerTest } from '../../harness/sriov-sim-nic.js';

const log = pino({ level: 'silent' });
const current = simulationPerTest({ beforeEach, afterEach, check: (failures) => expect(failures).toEqual([]) });
let sim: SriovSysfsSimulation;
let tools: SriovTools;
beforeEach(async () => {
  sim = current();
  tools = await simulatedTools(sim);
});

async function pfWithVfs(n: number, opts: { switchdev?: boolean; refuse?: string[] } = {}): Promise<void> {
  await sim.addPf({
    netdev: 'eth0',
    bdf: '0000:03:00.0',
    totalVfs: 8,
    vfNetdevs: { mode: 'never' },
    ...(opts.switchdev === undefined
      ? {}
      : { switchdev: { switchId: 'aa11', uplinkPortName: 'p0' }, eswitchMode: opts.switchdev ? 'switchdev' : 'legacy' }),
  } as const);
  await setDeviceFacts(sim, '0000:03:00.0', { vendorId: '0x15b3', deviceId: '0x101d', firmware: '22.39.1002', refuse: opts.refuse ?? [] });
  if (n > 0) await new VfCounter(sim.root, sim.writer, log).set('eth0', n, { waitForNetdevs: false });
}

const ipSets = async (): Promise<string[]> =>
  (await callLog(sim))
    .filter((c) => c.tool === 'ip' && (c.args as string[]).includes('set'))
    .map((c) => (c.args as string[]).slice(6).join(' '));

describe('ip link VF settings (simulated iproute2)', () => {
  it('sets each differing setting in its own call and reads the VF back from vfinfo_list', async () => {
    await pfWithVfs(4);
    const ip = new IpLink(tools);
    const wanted = {
      mac: '52:54:00:aa:00:03',
      vlan: 10,
      qos: 3,
      spoofchk: true,
      trust: true,
      state: 'enable' as const,
      maxTxRate: 1000,
      minTxRate: 100,
    };
    const { changed, state } = await ip.configureVf('eth0', 3, wanted);
    expect(changed).toEqual(['mac', 'vlan', 'spoofchk', 'trust', 'state', 'maxTxRate', 'minTxRate']);
    expect(state).toEqual({
      vf: 3,
      mac: '52:54:00:aa:00:03',
      vlan: 10,
      qos: 3,
      spoofchk: true,
      trust: true,
      state: 'enable',
      maxTxRate: 1000,
      minTxRate: 100,
    });
    expect(await ipSets()).toEqual([
      'mac 52:54:00:aa:00:03',
      'vlan 10 qos 3',
      'spoofchk on',
      'trust on',
      'state enable',
      'max_tx_rate 1000',
      'min_tx_rate 100',
    ]);
    // Already so: nothing is set again.
    expect((await ip.configureVf('eth0', 3, wanted)).changed).toEqual([]);
    expect(await ipSets()).toHaveLength(7);
    // Other VFs keep their defaults.
    const shown = await ip.show('eth0');
    expect(shown.numVf).toBe(4);
    expect(shown.vfs[0]).toEqual({
      vf: 0,
      mac: '00:00:00:00:00:00',
      vlan: 0,
      qos: 0,
      spoofchk: false,
      trust: false,
      state: 'auto',
      maxTxRate: 0,
      minTxRate: 0,
    });
  });

  it('refuses a VF the PF does not have, and names PF, VF and setting when the driver refuses one', async () => {
    await pfWithVfs(2, { refuse: ['trust'] });
    const ip = new IpLink(tools);
    await expect(ip.configureVf('eth0', 2, { mac: '52:54:00:00:00:01' })).rejects.toThrow(VfNotFoundError);
    await expect(ip.configureVf('eth0', 2, { mac: '52:54:00:00:00:01' })).rejects.toThrow('eth0 has no VF 2: 2 VFs are enabled');
    const err = await ip.configureVf('eth0', 1, { spoofchk: true, trust: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VfSettingRefusedError);
    expect(err).toMatchObject({ pf: 'eth0', vf: 1, setting: 'trust on', errno: 'EOPNOTSUPP' });
    expect((err as Error).message).toBe('eth0 VF 1: trust on refused: RTNETLINK answers: Operation not supported (EOPNOTSUPP)');
    // The setting before it was applied (one call per setting: nothing else half-done).
    expect((await ip.show('eth0')).vfs[1]).toMatchObject({ spoofchk: true, trust: false });
  });

  it('parses older iproute2 output (flat vlan/qos, "mac", tx_rate) and builds vlan/qos arguments', () => {
    const out = JSON.stringify([
      {
        ifname: 'eth1',
        address: 'aa:bb:cc:dd:ee:ff',
        operstate: 'UP',
        vfinfo_list: [
          { vf: 0, mac: '02:00:00:00:00:01', vlan: 5, qos: 2, tx_rate: 300, spoofchk: false, link_state: 'disable', trust: true },
        ],
      },
    ]);
    expect(parseIpLinkShow('ip', 'eth1', out).vfs[0]).toEqual({
      vf: 0,
      mac: '02:00:00:00:00:01',
      vlan: 5,
      qos: 2,
      spoofchk: false,
      trust: true,
      state: 'disable',
      maxTxRate: 300,
      minTxRate: 0,
    });
    expect(vfSetArgs('eth1', 2, 'vlan', { vlan: 0, qos: 3 })).toEqual(['link', 'set', 'dev', 'eth1', 'vf', '2', 'vlan', '0']);
  });
});

describe('devlink eswitch and port functions (simulated devlink)', () => {
  it('reads and changes the eswitch mode, and reports the driver refusing while VFs are enabled', async () => {
    await pfWithVfs(0, { switchdev: false });
    const devlink = new Devlink(tools);
    expect(await devlink.eswitchMode('eth0', '0000:03:00.0')).toBe('legacy');
    await devlink.setEswitchMode('eth0', '0000:03:00.0', 'switchdev');
    expect(await devlink.eswitchMode('eth0', '0000:03:00.0')).toBe('switchdev');
    await new VfCounter(sim.root, sim.writer, log).set('eth0', 2, { waitForNetdevs: false });
    const err = await devlink.setEswitchMode('eth0', '0000:03:00.0', 'legacy').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EswitchModeRefusedError);
    expect((err as Error).message).toBe(
      "eth0 (pci/0000:03:00.0): the driver refused eswitch mode legacy: Can't change eswitch mode while VFs are enabled (EBUSY)",
    );
    const ports = await devlink.ports('0000:03:00.0');
    expect(ports.map((p) => [p.netdev, p.flavour, p.vfnum])).toEqual([
      ['eth0', 'physical', null],
      ['pf0vf0', 'pcivf', 0],
      ['pf0vf1', 'pcivf', 1],
    ]);
    await devlink.setPortHwAddr('eth0', 1, ports[2]!.handle, '52:54:00:00:01:01');
    expect((await devlink.ports('0000:03:00.0'))[2]!.hwAddr).toBe('52:54:00:00:01:01');
    expect(await devlink.info('0000:03:00.0')).toMatchObject({ driver: 'mlx5_core', firmware: '22.39.1002' });
  });

  it('says a PF without an eswitch has none, and legacy VF settings are refused in switchdev mode', async () => {
    await pfWithVfs(1);
    await expect(new Devlink(tools).eswitchMode('eth0', '0000:03:00.0')).rejects.toThrow(EswitchUnsupportedError);
    await sim.addPf({ netdev: 'eth2', bdf: '0000:04:00.0', totalVfs: 4, vfNetdevs: { mode: 'never' }, switchdev: { switchId: 'bb22' } });
    await new VfCounter(sim.root, sim.writer, log).set('eth2', 1, { waitForNetdevs: false });
    await expect(new IpLink(tools).configureVf('eth2', 0, { vlan: 5 })).rejects.toMatchObject({
      name: 'VfSettingRefusedError',
      errno: 'EOPNOTSUPP',
    });
  });
});

describe('mlxconfig query and the tool runner', () => {
  it('reads current and next-boot INTERNAL_CPU_* values', async () => {
    await pfWithVfs(0);
    await setDeviceFacts(sim, '0000:03:00.0', { ...BLUEFIELD3, nvConfig: nvConfigFor('dpu', 'nic') });
    const answer = await queryNvConfig(tools, '0000:03:00.0');
    expect(answer.kind).toBe('answered');
    if (answer.kind !== 'answered') return;
    expect(answer.query.deviceType).toBe('BlueField3');
    expect(answer.query.params.INTERNAL_CPU_OFFLOAD_ENGINE).toEqual({
      default: 'ENABLED(0)',
      current: 'ENABLED(0)',
      nextBoot: 'DISABLED(1)',
    });
    expect(
      parseNvConfigQuery('Configurations:      Next Boot\n   INTERNAL_CPU_MODEL     EMBEDDED_CPU(1)\n').params.INTERNAL_CPU_MODEL,
    ).toEqual({ default: null, current: 'EMBEDDED_CPU(1)', nextBoot: 'EMBEDDED_CPU(1)' });
    expect(await queryNvConfig({ ...tools, nvConfig: '/nonexistent/mlxconfig' }, '0000:03:00.0')).toMatchObject({ kind: 'absent' });
    await setDeviceFacts(sim, '0000:03:00.0', { ...BLUEFIELD3, nvRefusal: 'Failed to query device current configuration' });
    expect(await queryNvConfig(tools, '0000:03:00.0')).toEqual({
      kind: 'refused',
      program: tools.nvConfig,
      reason: 'Failed to query device current configuration',
    });
  });

  it('kills a program that outlives its bound, names a missing one, and parses netlink errors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-tool-'));
    const slow = path.join(dir, 'slow');
    await writeFile(slow, '#!/bin/sh\nexec sleep 60\n');
    await chmod(slow, 0o755);
    const runner = new ExecToolRunner(log);
    await expect(runner.run(slow, ['x'], 300)).rejects.toThrow(ToolTimeoutError);
    await expect(runner.run(path.join(dir, 'absent'), [], 1000)).rejects.toThrow(ToolMissingError);
    const failing = await runner.run(tools.ip, ['link', 'set', 'dev', 'nope', 'vf', '0', 'trust', 'on'], 30_000).catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(ToolFailedError);
    expect(failing).toMatchObject({ errno: 'ENODEV', exitCode: 1 });
    await rm(dir, { recursive: true, force: true });
    expect(parseToolStderr("Error: mlx5_core: Can't change mode.\nkernel answers: Device or resource busy\n")).toEqual({
      errno: 'EBUSY',
      reason: "Can't change mode",
    });
    expect(parseToolStderr('RTNETLINK answers: Numerical result out of range\n')).toEqual({
      errno: 'ERANGE',
      reason: 'RTNETLINK answers: Numerical result out of range',
    });
  });
});
