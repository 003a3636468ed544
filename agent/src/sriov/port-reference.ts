// A smartNIC port may name the host-side function it stands for ("pf0vf3", "c1pf0vf3", "pf0hpf")
// rather than a netdev: the agent binds the representor of that function on br-int. On a
// BlueField's Arm side in DPU mode the host's functions are external-controller ports, so a
// reference without a controller means controller 1 there (c1pf0vf3), even when a netdev of the
// Arm's own functions happens to carry the reference's name. Elsewhere a name that is a netdev
// is that netdev; and any name on a machine without eswitch ports (a plain OVS host, the dummy
// datapath in tests) is used as it is.

import { RepresentorNotFoundError } from './errors.js';
import { BLUEFIELD_HOST_CONTROLLER, formatPhysPort, parsePhysPortName } from './phys-port-name.js';
import { discoverRepresentors, resolveRepresentor } from './representors.js';

export type PortNameResolver = (reference: string) => Promise<string>;

/** Resolves port references against the representors under sysfsRoot, read afresh on each call. */
export function representorPortResolver(sysfsRoot: string): PortNameResolver {
  return async (reference) => {
    const { representors } = await discoverRepresentors(sysfsRoot);
    const ref = parsePhysPortName(reference);
    if (representors.length === 0 || ref === null) return reference;
    const dpuArmSide = representors.some((r) => r.port.kind !== 'physical' && r.port.controller === BLUEFIELD_HOST_CONTROLLER);
    if (dpuArmSide && ref.kind !== 'physical' && ref.controller === null) {
      try {
        return resolveRepresentor(representors, formatPhysPort({ ...ref, controller: BLUEFIELD_HOST_CONTROLLER })).netdev;
      } catch (err) {
        if (!(err instanceof RepresentorNotFoundError)) throw err;
        // Not a host function: the reference may name one of the Arm's own ports.
      }
    }
    if (representors.some((r) => r.netdev === reference)) return reference;
    return resolveRepresentor(representors, reference, dpuArmSide ? { defaultController: BLUEFIELD_HOST_CONTROLLER } : {}).netdev;
  };
}
