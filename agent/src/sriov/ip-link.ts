// Legacy per-VF configuration through iproute2 (protocol-facts 3.2, ip-link(8)):
//   ip link set dev PF vf N mac LLADDR | vlan VID [qos Q] | spoofchk on|off | trust on|off |
//     state auto|enable|disable | max_tx_rate Mbps | min_tx_rate Mbps
// read back with `ip -j -d link show dev PF`, whose vfinfo_list carries one object per VF as
// iproute2's print_vfinfo prints it: "vf", "address" ("mac" before iproute2 4.16),
// "vlan_list": [{"vlan", "qos"}] (or flat "vlan"/"qos"), "rate": {"max_tx", "min_tx"},
// "spoofchk", "link_state", "trust". One setting per call: RTM_SETLINK applies attributes in
// order and stops at the first refusal, so a combined call could be half-applied and would not
// say which setting the driver refused.

import type { VfLinkState, VfSettings } from '../../../proto/shared/sriov-settings.js';
import { ToolOutputError, VfNotFoundError, VfSettingRefusedError } from './nic-errors.js';
import { ToolFailedError, type SriovTools } from './tool-runner.js';

export type { VfLinkState, VfSettings };

/** One VF as the PF reports it. */
export interface VfState {
  vf: number;
  mac: string;
  vlan: number;
  qos: number;
  /** null: the driver does not report it. */
  spoofchk: boolean | null;
  trust: boolean | null;
  state: VfLinkState | null;
  maxTxRate: number;
  minTxRate: number;
}

export interface PfLink {
  ifname: string;
  address: string;
  operstate: string;
  numVf: number;
  vfs: VfState[];
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

/** The argument list of one ip call setting one thing (vlan carries its qos). */
export function vfSetArgs(pf: string, vf: number, setting: keyof VfSettings, wanted: VfSettings): string[] {
  const base = ['link', 'set', 'dev', pf, 'vf', String(vf)];
  switch (setting) {
    case 'mac':
      return [...base, 'mac', wanted.mac!];
    case 'vlan':
    case 'qos':
      return [
        ...base,
        'vlan',
        String(wanted.vlan ?? 0),
        ...(wanted.qos === undefined || (wanted.vlan ?? 0) === 0 ? [] : ['qos', String(wanted.qos)]),
      ];
    case 'spoofchk':
      return [...base, 'spoofchk', onOff(wanted.spoofchk!)];
    case 'trust':
      return [...base, 'trust', onOff(wanted.trust!)];
    case 'state':
      return [...base, 'state', wanted.state!];
    case 'maxTxRate':
      return [...base, 'max_tx_rate', String(wanted.maxTxRate)];
    case 'minTxRate':
      return [...base, 'min_tx_rate', String(wanted.minTxRate)];
  }
}

/** The settings whose read-back value differs from the wanted one, in the order to apply them. */
export function vfDifferences(current: VfState, wanted: VfSettings): (keyof VfSettings)[] {
  const out: (keyof VfSettings)[] = [];
  if (wanted.mac !== undefined && current.mac.toLowerCase() !== wanted.mac.toLowerCase()) out.push('mac');
  const vlanWanted = wanted.vlan ?? (wanted.qos !== undefined ? current.vlan : undefined);
  if (
    vlanWanted !== undefined &&
    (current.vlan !== vlanWanted || (wanted.qos !== undefined && vlanWanted !== 0 && current.qos !== wanted.qos))
  )
    out.push('vlan');
  if (wanted.spoofchk !== undefined && current.spoofchk !== wanted.spoofchk) out.push('spoofchk');
  if (wanted.trust !== undefined && current.trust !== wanted.trust) out.push('trust');
  if (wanted.state !== undefined && current.state !== wanted.state) out.push('state');
  // Lowering max below the current min would be refused: set min first when it goes down.
  const rates: (keyof VfSettings)[] = [];
  if (wanted.maxTxRate !== undefined && current.maxTxRate !== wanted.maxTxRate) rates.push('maxTxRate');
  if (wanted.minTxRate !== undefined && current.minTxRate !== wanted.minTxRate) rates.push('minTxRate');
  if (rates.length === 2 && (wanted.maxTxRate ?? 0) !== 0 && (wanted.maxTxRate ?? 0) < current.minTxRate) rates.reverse();
  return [...out, ...rates];
}

export class IpLink {
  constructor(private readonly tools: SriovTools) {}

  /** `ip -j -d link show dev PF`: the PF and its vfinfo_list. */
  async show(pf: string): Promise<PfLink> {
    const { stdout } = await this.tools.runner.run(this.tools.ip, ['-j', '-d', 'link', 'show', 'dev', pf], this.tools.timeoutMs);
    return parseIpLinkShow(this.tools.ip, pf, stdout);
  }

  /** Sets one VF to `wanted`, changing only what differs, one setting per call; returns the state read back. */
  async configureVf(pf: string, vf: number, wanted: VfSettings): Promise<{ changed: (keyof VfSettings)[]; state: VfState }> {
    const before = await this.show(pf);
    const current = before.vfs.find((v) => v.vf === vf);
    if (current === undefined) throw new VfNotFoundError(pf, vf, before.numVf);
    const changed = vfDifferences(current, wanted);
    for (const setting of changed) {
      const args = vfSetArgs(pf, vf, setting, { ...wanted, vlan: wanted.vlan ?? current.vlan });
      try {
        await this.tools.runner.run(this.tools.ip, args, this.tools.timeoutMs);
      } catch (err) {
        if (err instanceof ToolFailedError)
          throw new VfSettingRefusedError(pf, vf, args.slice(6).join(' '), err.reason, err.errno, { cause: err });
        throw err;
      }
    }
    const after = changed.length === 0 ? before : await this.show(pf);
    const state = after.vfs.find((v) => v.vf === vf);
    if (state === undefined) throw new VfNotFoundError(pf, vf, after.numVf);
    return { changed, state };
  }
}

type Json = Record<string, unknown>;

/** Parses `ip -j -d link show dev PF` output. */
export function parseIpLinkShow(program: string, pf: string, stdout: string): PfLink {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new ToolOutputError(program, `link show ${pf} is not JSON`);
  }
  const link = Array.isArray(parsed) ? (parsed as Json[]).find((l) => l?.ifname === pf) : undefined;
  if (link === undefined) throw new ToolOutputError(program, `link show ${pf} does not list ${pf}`);
  const list = Array.isArray(link.vfinfo_list) ? (link.vfinfo_list as Json[]) : [];
  return {
    ifname: pf,
    address: str(link.address),
    operstate: str(link.operstate),
    numVf: typeof link.num_vf === 'number' ? link.num_vf : list.length,
    vfs: list.map(parseVfInfo).sort((a, b) => a.vf - b.vf),
  };
}

function parseVfInfo(v: Json): VfState {
  const vlanList = Array.isArray(v.vlan_list) ? (v.vlan_list as Json[]) : null;
  const firstVlan = vlanList?.[0] ?? v;
  const rate = (v.rate ?? {}) as Json;
  const linkState = str(v.link_state);
  return {
    vf: num(v.vf),
    mac: str(v.address ?? v.mac),
    vlan: num(firstVlan.vlan),
    qos: num(firstVlan.qos),
    spoofchk: typeof v.spoofchk === 'boolean' ? v.spoofchk : null,
    trust: typeof v.trust === 'boolean' ? v.trust : null,
    state: linkState === 'auto' || linkState === 'enable' || linkState === 'disable' ? linkState : null,
    maxTxRate: num(rate.max_tx ?? v.tx_rate),
    minTxRate: num(rate.min_tx),
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
