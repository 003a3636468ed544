// phys_port_name as the kernel formats it for devlink ports (net/devlink/port.c,
// __devlink_port_phys_port_name_get): physical "p<N>" or split "p<N>s<M>", PF "pf<N>",
// VF "pf<N>vf<M>", SF "pf<N>sf<M>", each PF/VF/SF with a "c<K>" prefix when the port belongs to an
// external controller (a BlueField's host seen from its Arm side: "c1pf0vf3"). "pf<N>hpf" is not a
// kernel format but the name BlueField's udev rules give the host PF representor on the Arm side;
// it is accepted as a reference to that port (controller 1, the external host).

export type PhysPort =
  | { kind: 'physical'; port: number; split: number | null }
  | { kind: 'pf'; controller: number | null; pf: number }
  | { kind: 'vf'; controller: number | null; pf: number; vf: number }
  | { kind: 'sf'; controller: number | null; pf: number; sf: number };

/** The external controller BlueField's Arm side sees the host as (c1 in "c1pf0vf3"). */
export const BLUEFIELD_HOST_CONTROLLER = 1;

const PHYSICAL_RE = /^p(\d+)(?:s(\d+))?$/;
const FUNCTION_RE = /^(?:c(\d+))?pf(\d+)(?:(vf|sf)(\d+))?$/;
const HOST_PF_RE = /^pf(\d+)hpf$/;

/** Parses a phys_port_name or a reference written like one; null when it is neither. */
export function parsePhysPortName(name: string): PhysPort | null {
  const physical = PHYSICAL_RE.exec(name);
  if (physical !== null) {
    return { kind: 'physical', port: Number(physical[1]), split: physical[2] === undefined ? null : Number(physical[2]) };
  }
  const hostPf = HOST_PF_RE.exec(name);
  if (hostPf !== null) return { kind: 'pf', controller: BLUEFIELD_HOST_CONTROLLER, pf: Number(hostPf[1]) };
  const fn = FUNCTION_RE.exec(name);
  if (fn === null) return null;
  const controller = fn[1] === undefined ? null : Number(fn[1]);
  const pf = Number(fn[2]);
  if (fn[3] === 'vf') return { kind: 'vf', controller, pf, vf: Number(fn[4]) };
  if (fn[3] === 'sf') return { kind: 'sf', controller, pf, sf: Number(fn[4]) };
  return { kind: 'pf', controller, pf };
}

/** The kernel's spelling of a port (the inverse of parsePhysPortName for kernel formats). */
export function formatPhysPort(port: PhysPort): string {
  switch (port.kind) {
    case 'physical':
      return port.split === null ? `p${port.port}` : `p${port.port}s${port.split}`;
    case 'pf':
      return `${controllerPrefix(port.controller)}pf${port.pf}`;
    case 'vf':
      return `${controllerPrefix(port.controller)}pf${port.pf}vf${port.vf}`;
    case 'sf':
      return `${controllerPrefix(port.controller)}pf${port.pf}sf${port.sf}`;
  }
}

function controllerPrefix(controller: number | null): string {
  return controller === null ? '' : `c${controller}`;
}
