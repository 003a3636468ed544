// The NIC side of the SR-IOV SIMULATION: device facts for the simulated tools (PCI ids, firmware,
// mlxconfig parameters, refusals), wrappers that run test/harness/sriov-sim-tools as `ip`,
// `devlink` and `mlxconfig` against one simulated sysfs tree, and the BlueField mode matrix
// (protocol-facts 3.4): each mode's INTERNAL_CPU_* parameter set and the representor layout the
// Arm side or the host sees in it.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ExecToolRunner, type SriovTools, type ToolRunner } from '../../agent/src/sriov/tool-runner.js';
import { SriovSysfsSimulation } from './sriov-sim.js';

/** The sriov-sim-tools script, found from this module in the source tree or in dist/. */
function toolScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const dist = parts.lastIndexOf('dist');
  const repo = dist >= 0 ? parts.slice(0, dist).join(path.sep) : path.resolve(here, '../..');
  return path.join(repo, 'test/harness/sriov-sim-tools');
}

export interface NvParamValue {
  default: string;
  current: string;
  next: string;
}

export interface SimDeviceFacts {
  vendorId: string;
  deviceId: string;
  firmware?: string;
  boardId?: string;
  serial?: string;
  deviceType?: string;
  description?: string;
  nvConfig?: Record<string, NvParamValue>;
  /** mlxconfig answers this error instead (e.g. a restricted host). */
  nvRefusal?: string;
  /** ip-link VF keywords the driver answers EOPNOTSUPP to. */
  refuse?: string[];
  /** devlink eswitch set answers this extack with EOPNOTSUPP. */
  eswitchRefusal?: string;
}

/** Writes the device's facts for the simulated tools and its vendor/device ids into sysfs. */
export async function setDeviceFacts(sim: SriovSysfsSimulation, bdf: string, facts: SimDeviceFacts): Promise<void> {
  await writeFile(sim.statePath(`device-${bdf}.json`), JSON.stringify(facts));
  const dir = path.join(sim.root, 'devices/pci0000:00', bdf);
  await writeFile(path.join(dir, 'vendor'), `${facts.vendorId}\n`);
  await writeFile(path.join(dir, 'device'), `${facts.deviceId}\n`);
}

export interface SimToolOptions {
  /** Leave mlxconfig out (not installed). */
  withoutNvConfig?: boolean;
  timeoutMs?: number;
  runner?: ToolRunner;
}

/** Wrappers under <root>/.sim-bin running the simulated tools on this tree, as SriovTools. */
export async function simulatedTools(sim: SriovSysfsSimulation, options: SimToolOptions = {}): Promise<SriovTools> {
  const bin = path.join(sim.root, '.sim-bin');
  await mkdir(bin, { recursive: true });
  for (const tool of ['ip', 'devlink', 'mlxconfig']) {
    const wrapper = path.join(bin, tool);
    const script =
      `#!/bin/sh\nMOORING_SRIOV_SIM_ROOT='${sim.root}' MOORING_SRIOV_SIM_TOOL=${tool} exec '${process.execPath}' ` +
      `'${toolScript()}' "$@"\n`;
    await writeFile(wrapper, script);
    await chmod(wrapper, 0o755);
  }
  return {
    runner: options.runner ?? new ExecToolRunner(pino({ level: 'silent' })),
    ip: path.join(bin, 'ip'),
    devlink: path.join(bin, 'devlink'),
    nvConfig: options.withoutNvConfig ? path.join(bin, 'no-such-mlxconfig') : path.join(bin, 'mlxconfig'),
    timeoutMs: options.timeoutMs ?? 30_000,
  };
}

/** Every entry of the shared call log: sysfs writes and tool calls, in order. */
export async function callLog(sim: SriovSysfsSimulation): Promise<Record<string, unknown>[]> {
  const text = await readFile(sim.statePath('calls.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

// ---- the BlueField mode matrix ----

export type BlueFieldMode = 'dpu' | 'nic' | 'separated-host';

const v = (name: string, n: number): string => `${name}(${n})`;

/** The INTERNAL_CPU_* values of each mode (sriov-network-operator's classification; NVIDIA docs). */
export const BLUEFIELD_PARAMS: Record<BlueFieldMode, Record<string, string>> = {
  dpu: {
    INTERNAL_CPU_MODEL: v('EMBEDDED_CPU', 1),
    INTERNAL_CPU_PAGE_SUPPLIER: v('ECPF', 0),
    INTERNAL_CPU_ESWITCH_MANAGER: v('ECPF', 0),
    INTERNAL_CPU_IB_VPORT0: v('ECPF', 0),
    INTERNAL_CPU_OFFLOAD_ENGINE: v('ENABLED', 0),
  },
  nic: {
    INTERNAL_CPU_MODEL: v('EMBEDDED_CPU', 1),
    INTERNAL_CPU_PAGE_SUPPLIER: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_ESWITCH_MANAGER: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_IB_VPORT0: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_OFFLOAD_ENGINE: v('DISABLED', 1),
  },
  'separated-host': {
    INTERNAL_CPU_MODEL: v('SEPARATED_HOST', 0),
    INTERNAL_CPU_PAGE_SUPPLIER: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_ESWITCH_MANAGER: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_IB_VPORT0: v('EXT_HOST_PF', 1),
    INTERNAL_CPU_OFFLOAD_ENGINE: v('ENABLED', 0),
  },
};

/** mlxconfig's parameter table for a mode now and (optionally) another after the next boot. */
export function nvConfigFor(current: BlueFieldMode, next: BlueFieldMode = current): Record<string, NvParamValue> {
  const out: Record<string, NvParamValue> = {};
  for (const [name, value] of Object.entries(BLUEFIELD_PARAMS[current])) {
    out[name] = { default: BLUEFIELD_PARAMS.dpu[name]!, current: value, next: BLUEFIELD_PARAMS[next][name]! };
  }
  return out;
}

export const BLUEFIELD3 = {
  vendorId: '0x15b3',
  deviceId: '0xa2dc',
  firmware: '32.41.1000',
  boardId: 'MT_0000000884',
  deviceType: 'BlueField3',
  description: 'NVIDIA BlueField-3 B3220 DPU (simulated)',
};
export const BF_SWITCH = 'b3c0ffee00000001';
export const ARM_PF_BDF = '0000:03:00.0';
export const HOST_PF_BDF = '0000:81:00.0';

/**
 * A fresh simulation for every test of the calling file: registers beforeEach/afterEach (the
 * latter checks no delayed simulated work failed) and returns a getter for the current one.
 */
export function simulationPerTest(hooks: {
  beforeEach: (fn: () => Promise<void>) => void;
  afterEach: (fn: () => Promise<void>) => void;
  check: (failures: unknown[]) => void;
}): () => SriovSysfsSimulation {
  let sim: SriovSysfsSimulation | undefined;
  hooks.beforeEach(async () => {
    sim = await SriovSysfsSimulation.create();
  });
  hooks.afterEach(async () => {
    if (sim === undefined) return;
    hooks.check(sim.failures);
    await sim.close();
  });
  return () => sim!;
}
