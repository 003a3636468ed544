// The machine view's smartNIC port columns (PortInfo.smart_nic_mode, maps_to) from the SR-IOV
// report of the port's agent: the smartNIC's mode (and where the agent runs), and the
// representor the port id names. A port id may be a representor netdev or the function it stands
// for ("pf0vf3"); on a DPU's Arm side (external-controller ports present) a reference without a
// controller means the host's function, c1pf0vf3, as the agent binds it.

import type { SriovReport__Output, SriovRepresentorReport__Output } from '../../../proto/generated/index.js';
import type { PortViewResolver } from '../api/port-service.js';

const FUNCTION_REF = /^(c\d+)?(pf\d+(?:hpf|vf\d+|sf\d+)?)$/;

export function sriovPortView(reportOf: (agentId: string) => SriovReport__Output | null): PortViewResolver {
  return (_machine, port) => {
    const report = port.smartNicAgentId ? reportOf(port.smartNicAgentId) : null;
    if (report === null) return { smartNicMode: '', mapsTo: '' };
    const nic = report.smartNic;
    const smartNicMode = nic ? `${nic.mode}${nic.location === 'unknown' ? '' : ` (${nic.location})`}` : '';
    const rep = port.smartNicPortId ? representorFor(report.representors, port.smartNicPortId) : null;
    const mapsTo =
      rep === null
        ? port.smartNicPortId
          ? `no representor for ${port.smartNicPortId}`
          : ''
        : `representor ${rep.netdev} (${rep.physPortName})`;
    return { smartNicMode, mapsTo };
  };
}

function representorFor(reps: readonly SriovRepresentorReport__Output[], ref: string): SriovRepresentorReport__Output | null {
  const m = FUNCTION_REF.exec(ref);
  const external = reps.some((r) => /^c[1-9]/.test(r.physPortName));
  if (m && m[1] === undefined && external) {
    const hostRef = m[2]!.endsWith('hpf') ? `c1${m[2]!.replace(/hpf$/, '')}` : `c1${m[2]!}`;
    const host = reps.find((r) => r.physPortName === hostRef);
    if (host) return host;
  }
  return reps.find((r) => r.netdev === ref) ?? reps.find((r) => r.physPortName === ref) ?? null;
}
