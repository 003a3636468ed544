// SmartNIC mode discovery, the BlueField mode matrix (protocol-facts 3.4): each mode's
// INTERNAL_CPU_* parameter set as the simulated mlxconfig prints it, and each mode's representor
// layout on the Arm side and on the host, with and without mlxconfig. Unknown stays unknown, with
// the evidence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyNvParams } from '../../../agent/src/sriov/smartnic-mode.js';
import { collectSriovReport } from '../../../agent/src/sriov/sriov-report.js';
import type { SriovTools } from '../../../agent/src/sriov/tool-runner.js';
import type { SriovSysfsSimulation } from '../../harness/sriov-sim.js';
import {
  ARM_PF_BDF,
  BF_SWITCH,
  BLUEFIELD3,
  BLUEFIELD_PARAMS,
  HOST_PF_BDF,
  nvConfigFor,
  setDeviceFacts,
  simulatedTools,
  type BlueFieldMode,
  simulationPerTest,
} from '../../harness/sriov-sim-nic.js';

const current = simulationPerTest({ beforeEach, afterEach, check: (failures) => expect(failures).toEqual([]) });
let sim: SriovSysfsSimulation;
beforeEach(() => {
  sim = current();
});

/** The Arm side of a BlueField in DPU mode: p0 (ECPF uplink), pf0hpf (c1pf0), host VFs pf0vfN (c1pf0vfN). */
async function armSideDpu(hostVfs: number, withNv: boolean): Promise<SriovTools> {
  await sim.addPf({
    netdev: 'p0',
    bdf: ARM_PF_BDF,
    totalVfs: 16,
    vfNetdevs: { mode: 'never' },
    switchdev: { switchId: BF_SWITCH, uplinkPortName: 'p0' },
  });
  await sim.addPort({ netdev: 'pf0hpf', parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: 'c1pf0' });
  for (let n = 0; n < hostVfs; n++)
    await sim.addPort({ netdev: `pf0vf${n}`, parentBdf: ARM_PF_BDF, switchId: BF_SWITCH, physPortName: `c1pf0vf${n}` });
  await setDeviceFacts(sim, ARM_PF_BDF, { ...BLUEFIELD3, ...(withNv ? { nvConfig: nvConfigFor('dpu') } : {}) });
  return simulatedTools(sim, { withoutNvConfig: !withNv });
}

/** A host with a BlueField PF; it owns the eswitch only in NIC and separated-host modes. */
async function hostSide(mode: BlueFieldMode | 'zero-trust', withNv: boolean): Promise<SriovTools> {
  const ownsEswitch = mode === 'nic' || mode === 'separated-host';
  await sim.addPf({
    netdev: 'ens1f0np0',
    bdf: HOST_PF_BDF,
    totalVfs: 8,
    vfNetdevs: { mode: 'never' },
    ...(ownsEswitch ? { switchdev: { switchId: 'ab01', uplinkPortName: 'p0' }, eswitchMode: 'legacy' as const } : {}),
  });
  const nv =
    mode === 'zero-trust' ? { nvRefusal: 'Failed to query device current configuration' } : withNv ? { nvConfig: nvConfigFor(mode) } : {};
  await setDeviceFacts(sim, HOST_PF_BDF, { ...BLUEFIELD3, ...nv });
  return simulatedTools(sim, { withoutNvConfig: !withNv && mode !== 'zero-trust' });
}

const report = async (tools: SriovTools, arch: string) => (await collectSriovReport({ sysfsRoot: sim.root, tools, arch })).smartNic!;

describe('BlueField mode parameters', () => {
  it('classifies each mode parameter set, and anything else as unknown', () => {
    const params = (mode: BlueFieldMode) =>
      Object.fromEntries(Object.entries(BLUEFIELD_PARAMS[mode]).map(([k, v]) => [k, { default: null, current: v, nextBoot: v }]));
    expect(classifyNvParams(params('dpu'), 'current')).toBe('dpu');
    expect(classifyNvParams(params('nic'), 'current')).toBe('nic');
    expect(classifyNvParams(params('separated-host'), 'current')).toBe('separated-host');
    const mixed = { ...params('dpu'), INTERNAL_CPU_OFFLOAD_ENGINE: { default: null, current: 'DISABLED(1)', nextBoot: 'DISABLED(1)' } };
    expect(classifyNvParams(mixed, 'current')).toBe('unknown');
    expect(classifyNvParams({}, 'current')).toBe('unknown');
  });
});

describe('smartNIC mode discovery', () => {
  it('DPU mode on the Arm side, from mlxconfig, with a pending change to NIC mode after the next boot', async () => {
    const tools = await armSideDpu(2, true);
    await setDeviceFacts(sim, ARM_PF_BDF, { ...BLUEFIELD3, nvConfig: nvConfigFor('dpu', 'nic') });
    const r = await report(tools, 'arm64');
    expect(r).toMatchObject({
      location: 'smartnic-os',
      mode: 'dpu',
      nextBootMode: 'nic',
      source: 'nvconfig',
      vendor: 'NVIDIA',
      model: 'BlueField-3',
      firmware: '32.41.1000',
    });
    expect(r.evidence).toContain('representor pf0vf1 is external-controller port c1pf0vf1');
    expect(
      r.evidence.some((e) => e.includes('next boot INTERNAL_CPU_MODEL=EMBEDDED_CPU(1) INTERNAL_CPU_PAGE_SUPPLIER=EXT_HOST_PF(1)')),
    ).toBe(true);
  });

  it('DPU mode on the Arm side inferred from the representors when mlxconfig is absent', async () => {
    const tools = await armSideDpu(1, false);
    const r = await report(tools, 'arm64');
    expect(r).toMatchObject({ location: 'smartnic-os', mode: 'dpu', nextBootMode: '', source: 'inferred' });
    expect(r.evidence).toEqual(
      expect.arrayContaining([
        'representor pf0hpf is external-controller port c1pf0',
        expect.stringMatching(/^firmware parameters not read: /),
      ]),
    );
  });

  it.each([
    ['dpu', true, 'dpu', 'nvconfig'],
    ['dpu', false, 'dpu', 'inferred'],
    ['nic', true, 'nic', 'nvconfig'],
    ['nic', false, 'nic', 'inferred'],
    ['separated-host', true, 'separated-host', 'nvconfig'],
    ['zero-trust', false, 'zero-trust', 'inferred'],
  ] as const)('on the host: %s mode (mlxconfig %s) reads as %s from %s', async (mode, withNv, expected, source) => {
    const tools = await hostSide(mode, withNv);
    const r = await report(tools, 'x64');
    expect(r).toMatchObject({ location: 'host', mode: expected, source, model: 'BlueField-3' });
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  it('NIC mode on the Arm side: from mlxconfig; without it the Arm OS sees no p0/pf0hpf', async () => {
    // BF-3 in NIC mode: the Arm cores see the device but no uplink or host representors.
    await sim.addPf({ netdev: 'enp3s0f0', bdf: ARM_PF_BDF, totalVfs: 0, vfNetdevs: { mode: 'never' } });
    await setDeviceFacts(sim, ARM_PF_BDF, { ...BLUEFIELD3, nvConfig: nvConfigFor('nic') });
    expect(await report(await simulatedTools(sim), 'arm64')).toMatchObject({ location: 'smartnic-os', mode: 'nic', source: 'nvconfig' });
    const r = await report(await simulatedTools(sim, { withoutNvConfig: true }), 'arm64');
    expect(r).toMatchObject({ location: 'smartnic-os', mode: 'nic', source: 'inferred' });
    expect(r.evidence.at(-1)).toMatch(/without p0\/pf0hpf/);
  });

  it('a ConnectX is not a smartNIC; nothing at all is unknown, with the evidence', async () => {
    expect(await report(await simulatedTools(sim), 'x64')).toMatchObject({
      location: 'unknown',
      mode: 'unknown',
      evidence: ['no SR-IOV PF found'],
    });
    await sim.addPf({ netdev: 'ens2f0', bdf: '0000:41:00.0', totalVfs: 8, vfNetdevs: { mode: 'never' } });
    await setDeviceFacts(sim, '0000:41:00.0', { vendorId: '0x15b3', deviceId: '0x101d', firmware: '22.39.1002' });
    const r = await report(await simulatedTools(sim, { withoutNvConfig: true }), 'x64');
    expect(r).toMatchObject({ location: 'host', mode: 'not-a-smartnic', model: 'ConnectX-6 Dx' });
  });
});
