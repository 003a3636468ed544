// Which side of a smartNIC the agent runs on, and the NIC's mode (protocol-facts 3.4). From the
// firmware parameters when mlxconfig/mstconfig answers (current and next boot, classified as
// sriov-network-operator's mellanoxBlueFieldMode does: DPU = the three ownership parameters ECPF,
// offload engine ENABLED, model EMBEDDED_CPU; NIC = the three EXT_HOST_PF, offload DISABLED,
// model EMBEDDED_CPU; model SEPARATED_HOST = separated host); otherwise inferred from the
// representor layout (external-controller c1pf0... ports and pf0hpf exist only on a DPU's Arm side;
// a host that owns a BlueField's eswitch is in NIC mode; a host that has none on it, DPU mode).
// Every conclusion carries its evidence; what cannot be told is "unknown" with what was seen.

import type { EswitchMode } from './devlink.js';
import { nvValueName, type NvConfigAnswer, type NvParam } from './nv-config.js';
import type { Representor } from './representors.js';

export type NicLocation = 'smartnic-os' | 'host' | 'unknown';
export type SmartNicModeName = 'dpu' | 'zero-trust' | 'nic' | 'separated-host' | 'not-a-smartnic' | 'unknown';

export interface NicFacts {
  pf: string;
  pci: string | null;
  /** sysfs device/vendor and device/device, e.g. 0x15b3 and 0xa2dc. */
  vendorId: string | null;
  deviceId: string | null;
  eswitch: EswitchMode | 'unsupported' | 'unknown';
  nv: NvConfigAnswer;
}

export interface SmartNicModeReport {
  location: NicLocation;
  mode: SmartNicModeName;
  /** The mode after the next reboot when the firmware has pending changes; '' when unknown. */
  nextBootMode: SmartNicModeName | '';
  source: 'nvconfig' | 'inferred' | 'none';
  vendor: string;
  model: string;
  evidence: string[];
}

const NVIDIA = '0x15b3';
const MODELS: Record<string, string> = {
  '0xa2d2': 'BlueField',
  '0xa2d6': 'BlueField-2',
  '0xa2dc': 'BlueField-3',
  '0x1017': 'ConnectX-5',
  '0x101b': 'ConnectX-6',
  '0x101d': 'ConnectX-6 Dx',
  '0x1021': 'ConnectX-7',
  '0x1023': 'ConnectX-8',
};
const VENDORS: Record<string, string> = { [NVIDIA]: 'NVIDIA', '0x8086': 'Intel', '0x14e4': 'Broadcom' };

export function nicModel(n: Pick<NicFacts, 'vendorId' | 'deviceId' | 'nv'>): { vendor: string; model: string } {
  const fromTool = n.nv.kind === 'answered' ? n.nv.query.deviceType : null;
  const vendor = (n.vendorId && VENDORS[n.vendorId]) ?? n.vendorId ?? '';
  const model = (n.vendorId === NVIDIA && n.deviceId ? MODELS[n.deviceId] : undefined) ?? fromTool ?? n.deviceId ?? '';
  return { vendor, model };
}

export function isBlueField(n: Pick<NicFacts, 'vendorId' | 'deviceId' | 'nv'>): boolean {
  return /BlueField/i.test(nicModel(n).model);
}

/** Classifies one column (current or next boot) of the five INTERNAL_CPU_* parameters. */
export function classifyNvParams(params: Record<string, NvParam>, column: 'current' | 'nextBoot'): SmartNicModeName {
  const v = (name: string): string | null => {
    const p = params[name];
    return p ? nvValueName(p[column]) : null;
  };
  const owners = ['INTERNAL_CPU_PAGE_SUPPLIER', 'INTERNAL_CPU_ESWITCH_MANAGER', 'INTERNAL_CPU_IB_VPORT0'].map(v);
  const model = v('INTERNAL_CPU_MODEL');
  const offload = v('INTERNAL_CPU_OFFLOAD_ENGINE');
  if (model === 'SEPARATED_HOST') return 'separated-host';
  if (model !== 'EMBEDDED_CPU') return 'unknown';
  if (owners.every((o) => o === 'ECPF') && offload === 'ENABLED') return 'dpu';
  if (owners.every((o) => o === 'EXT_HOST_PF') && offload === 'DISABLED') return 'nic';
  return 'unknown';
}

function describeParams(params: Record<string, NvParam>, column: 'current' | 'nextBoot'): string {
  return Object.entries(params)
    .filter(([name]) => name.startsWith('INTERNAL_CPU_'))
    .map(([name, p]) => `${name}=${p[column]}`)
    .join(' ');
}

export interface ModeInputs {
  /** process.arch: a BlueField's Arm OS is arm64. */
  arch: string;
  nics: NicFacts[];
  representors: readonly Representor[];
}

export function discoverSmartNicMode(input: ModeInputs): SmartNicModeReport {
  const evidence: string[] = [];
  const external = input.representors.filter((r) => r.port.kind !== 'physical' && r.port.controller !== null && r.port.controller > 0);
  const hostPf = input.representors.filter((r) => /^pf\d+hpf$/.test(r.netdev));
  for (const r of external) evidence.push(`representor ${r.netdev} is external-controller port ${r.physPortName}`);
  for (const r of hostPf) if (!external.includes(r)) evidence.push(`host PF representor ${r.netdev}`);
  const blueFields = input.nics.filter(isBlueField);
  const first = blueFields[0] ?? input.nics[0];
  const { vendor, model } = first ? nicModel(first) : { vendor: '', model: '' };
  for (const n of input.nics) evidence.push(`PF ${n.pf} (${n.pci ?? 'no PCI address'}) is ${describeNic(n)}, eswitch ${n.eswitch}`);

  let location: NicLocation = 'unknown';
  if (external.length > 0 || hostPf.length > 0) location = 'smartnic-os';
  else if (blueFields.length > 0 && input.arch === 'arm64') {
    location = 'smartnic-os';
    evidence.push('an arm64 CPU with a BlueField function: the BlueField Arm OS');
  } else if (input.nics.length > 0) location = 'host';
  else evidence.push('no SR-IOV PF found');

  const base = { location, vendor, model, evidence };
  const answered = blueFields.find((n) => n.nv.kind === 'answered') ?? input.nics.find((n) => n.nv.kind === 'answered');
  if (answered && answered.nv.kind === 'answered') {
    const { params } = answered.nv.query;
    const current = classifyNvParams(params, 'current');
    const next = classifyNvParams(params, 'nextBoot');
    evidence.push(`${answered.nv.program} on ${answered.pci}: current ${describeParams(params, 'current')}`);
    if (next !== current) evidence.push(`${answered.nv.program} on ${answered.pci}: next boot ${describeParams(params, 'nextBoot')}`);
    if (current !== 'unknown' || Object.keys(params).some((p) => p.startsWith('INTERNAL_CPU_'))) {
      return { ...base, mode: current, nextBootMode: next, source: 'nvconfig' };
    }
  }
  for (const n of input.nics)
    if (n.nv.kind !== 'answered')
      evidence.push(
        n.nv.kind === 'refused' ? `${n.nv.program} refused on ${n.pci}: ${n.nv.reason}` : `firmware parameters not read: ${n.nv.reason}`,
      );

  if (location === 'smartnic-os' && (external.length > 0 || hostPf.length > 0)) {
    return { ...base, mode: 'dpu', nextBootMode: '', source: 'inferred' };
  }
  const bf = blueFields[0];
  if (bf && location === 'host') {
    const refused = bf.nv.kind === 'refused';
    if (refused && bf.eswitch === 'unsupported') {
      evidence.push(
        'deduced: a BlueField whose eswitch the host does not own and whose firmware the host may not query is a restricted ' +
          '(zero-trust) DPU',
      );
      return { ...base, mode: 'zero-trust', nextBootMode: '', source: 'inferred' };
    }
    if (bf.eswitch === 'unsupported') {
      evidence.push('deduced: the host does not own the BlueField eswitch, so the Arm side does (DPU mode)');
      return { ...base, mode: 'dpu', nextBootMode: '', source: 'inferred' };
    }
    if (bf.eswitch === 'legacy' || bf.eswitch === 'switchdev') {
      evidence.push('deduced: the host owns the BlueField eswitch (NIC mode)');
      return { ...base, mode: 'nic', nextBootMode: '', source: 'inferred' };
    }
  }
  if (bf && location === 'smartnic-os') {
    evidence.push('deduced: an Arm OS without p0/pf0hpf or external-controller representors is a BlueField in NIC mode');
    return { ...base, mode: 'nic', nextBootMode: '', source: 'inferred' };
  }
  if (input.nics.length > 0 && blueFields.length === 0) {
    return { ...base, mode: 'not-a-smartnic', nextBootMode: '', source: 'none' };
  }
  return { ...base, mode: 'unknown', nextBootMode: '', source: 'none' };
}

function describeNic(n: NicFacts): string {
  const { vendor, model } = nicModel(n);
  return [vendor, model].filter((s) => s !== '').join(' ') || 'an unknown device';
}
