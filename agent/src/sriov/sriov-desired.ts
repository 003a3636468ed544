// The desired SR-IOV state of one agent, compiled once from the coordinator's SriovDesired message
// into checked values: PF names that are netdev names, VF counts that fit a u16, VF indexes below
// the PF's count, each PF and VF once, and in switchdev mode only the MAC per VF (the other
// ip-link VF settings are legacy-mode features; in switchdev mode VLANs, rates and trust are
// the job of the switch on the representors). A bad entry refuses the whole set: nothing of it is
// applied or stored.

import { parseVfSettingsMap, type VfSettings } from '../../../proto/shared/sriov-settings.js';
import type { SriovDesired__Output, SriovPfConfig__Output } from '../../../proto/generated/index.js';
import type { EswitchMode } from './devlink.js';
import { InvalidSriovConfigError } from './nic-errors.js';

export interface VfDesired {
  vf: number;
  settings: VfSettings;
}

export interface PfDesired {
  pf: string;
  numVfs: number;
  /** null: leave the eswitch mode as it is. */
  eswitchMode: EswitchMode | null;
  /** null: leave sriov_drivers_autoprobe as it is. */
  autoprobe: boolean | null;
  vfs: VfDesired[];
}

export interface SriovDesired {
  revision: number;
  pfs: PfDesired[];
}

export const EMPTY_DESIRED: SriovDesired = Object.freeze({ revision: 0, pfs: [] });

const NETDEV = /^[^\s/:]{1,15}$/;

export function compileDesired(msg: SriovDesired__Output): SriovDesired {
  const seen = new Set<string>();
  const pfs = msg.pfs.map((p, i) => {
    const pf = compilePf(p, `pfs[${i}]`);
    if (seen.has(pf.pf)) throw new InvalidSriovConfigError(`pfs[${i}].pf`, `${pf.pf} appears more than once`);
    seen.add(pf.pf);
    return pf;
  });
  return { revision: msg.revision, pfs: pfs.sort((a, b) => a.pf.localeCompare(b.pf)) };
}

function compilePf(p: SriovPfConfig__Output, where: string): PfDesired {
  if (!NETDEV.test(p.pf)) throw new InvalidSriovConfigError(`${where}.pf`, `${JSON.stringify(p.pf)} is not a netdev name`);
  if (!Number.isInteger(p.numVfs) || p.numVfs < 0 || p.numVfs > 0xffff)
    throw new InvalidSriovConfigError(`${where}.numVfs`, `${p.numVfs} is not a VF count from 0 to 65535`);
  if (!['', 'legacy', 'switchdev'].includes(p.eswitchMode))
    throw new InvalidSriovConfigError(`${where}.eswitchMode`, `${JSON.stringify(p.eswitchMode)} is not legacy or switchdev`);
  if (!['', 'on', 'off'].includes(p.autoprobe))
    throw new InvalidSriovConfigError(`${where}.autoprobe`, `${JSON.stringify(p.autoprobe)} is not on or off`);
  const eswitchMode = p.eswitchMode === '' ? null : (p.eswitchMode as EswitchMode);
  const seen = new Set<number>();
  const vfs = p.vfs.map((v, j) => {
    const at = `${where} (${p.pf}) VF ${v.vf}`;
    if (!Number.isInteger(v.vf) || v.vf >= p.numVfs) throw new InvalidSriovConfigError(at, `is not below the VF count ${p.numVfs}`);
    if (seen.has(v.vf)) throw new InvalidSriovConfigError(`${where}.vfs[${j}]`, `VF ${v.vf} appears more than once`);
    seen.add(v.vf);
    const { settings, problems } = parseVfSettingsMap(v.settings);
    if (problems.length > 0) throw new InvalidSriovConfigError(at, problems.join('; '));
    const legacyOnly = Object.keys(settings).filter((k) => k !== 'mac');
    if (eswitchMode === 'switchdev' && legacyOnly.length > 0) {
      throw new InvalidSriovConfigError(
        at,
        `${legacyOnly.join(', ')} cannot be set in switchdev mode (only mac, through devlink); configure them on the representor's ` +
          'switch port',
      );
    }
    return { vf: v.vf, settings };
  });
  return {
    pf: p.pf,
    numVfs: p.numVfs,
    eswitchMode,
    autoprobe: p.autoprobe === '' ? null : p.autoprobe === 'on',
    vfs: vfs.sort((a, b) => a.vf - b.vf),
  };
}
