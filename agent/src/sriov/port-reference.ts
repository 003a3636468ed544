// A smartNIC port may name the host-side function it stands for ("pf0vf3", "c1pf0vf3", "pf0hpf")
// rather than a netdev: the agent binds the representor of that function on br-int. On a
// BlueField's Arm side in DPU mode the host's functions are external-controller ports, so a
// reference without a controller means controller 1 there (c1pf0vf3). A name that is already a
// netdev, or any name on a machine without eswitch ports (a plain OVS host, the dummy datapath in
// tests), is used as it is.

import { BLUEFIELD_HOST_CONTROLLER, parsePhysPortName } from './phys-port-name.js';
import { discoverRepresentors, resolveRepresentor } from './representors.js';

export type PortNameResolver = (reference: string) => Promise<string>;

/** Resolves port references against the representors under sysfsRoot, read afresh on each call. */
export function representorPortResolver(sysfsRoot: string): PortNameResolver {
  return async (reference) => {
    const { representors } = await discoverRepresentors(sysfsRoot);
    if (representors.length === 0 || representors.some((r) => r.netdev === reference)) return reference;
    if (parsePhysPortName(reference) === null) return reference;
    const dpuArmSide = representors.some((r) => r.port.kind !== 'physical' && r.port.controller === BLUEFIELD_HOST_CONTROLLER);
    return resolveRepresentor(representors, reference, dpuArmSide ? { defaultController: BLUEFIELD_HOST_CONTROLLER } : {}).netdev;
  };
}
