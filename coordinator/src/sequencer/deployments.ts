// Deploy and on-demand network binding as requests (releases that need a sequence: see
// sequenced-releases.ts): each moves the machine (guarded) and stores the sequence in one write
// transaction, then the sequencer runs it. A caller sees the machine DEPLOYING at once and follows
// the steps through the event log.
import type { Machine } from '../machines/machine.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { requireStatus } from '../machines/lifecycle.js';
import type { BootDevice } from '../power/power-driver.js';
import type { Store } from '../store/store.js';
import { requireAdmin, requireWriter } from '../tenancy/access.js';
import { NotMachineOwnerError } from '../machines/errors.js';
import type { Principal } from '../tenancy/user.js';
import type { BiosHaltSequencer } from './bios-halt-sequencer.js';
import type { NetworkRequest, NetworkTargets } from './network-targets.js';
import type { SequenceRecord } from './sequence.js';
import type { ImageRequest, ImageSteps } from './image-steps.js';
import { SequenceBusyError } from './errors.js';

/** Statuses in which the network may be bound or unbound on demand (not while one is moving). */
const NETWORK_CHANGE: readonly Machine['status'][] = ['READY', 'ALLOCATED', 'DEPLOYED'];

export interface DeploymentsDeps {
  readonly store: Store;
  readonly registry: MachineRegistry;
  readonly writer: MachineWriter;
  readonly sequencer: BiosHaltSequencer;
  readonly targets: NetworkTargets;
  readonly imageSteps: ImageSteps;
}

export class Deployments {
  constructor(private readonly deps: DeploymentsDeps) {}

  /**
   * ALLOCATED -> DEPLOYING, and the deploy sequence (BIOS-halt bind, then boot `boot`); with a
   * network, its ports are attached to it (checked before anything is written).
   */
  async deploy(
    actor: Principal,
    ref: string,
    boot: BootDevice,
    network: NetworkRequest | null = null,
    image: ImageRequest | null = null,
  ): Promise<Machine> {
    requireWriter(actor, 'deploy machines');
    return this.deps.store.write((scope) => {
      const machine = this.ownedBy(actor, ref);
      this.idle(machine);
      const target = network ? this.deps.targets.resolve(actor, machine, network) : null;
      // An image deploy netboots the ramdisk (pxe), then boots the disk it wrote.
      const netboot = image ? { image: this.deps.imageSteps.prepare(image, machine, target !== null) } : {};
      if (image) boot = 'pxe';
      const on = `${network ? `, network ${network.network}` : ''}${image ? `, image ${image.image}` : ''}`;
      const after = this.deps.writer.transition(scope, actor.user, machine, 'DEPLOYING', 'deploy', `deploy requested (boot ${boot}${on})`, {
        statusReason: '',
      });
      this.deps.sequencer.begin(scope, after, 'deploy', actor.user, boot, target, netboot);
      return after;
    });
  }

  /**
   * Bind (or unbind) the smartNIC ports now, with the BIOS-halt if the machine is off (admins).
   * A bind with a network attaches them there (moving them off any other network).
   */
  async network(actor: Principal, ref: string, bind: boolean, network: NetworkRequest | null = null): Promise<Machine> {
    requireAdmin(actor, bind ? 'bind machine networks' : 'unbind machine networks');
    return this.deps.store.write((scope) => {
      const machine = this.deps.registry.getVisible(actor, ref);
      requireStatus(machine, NETWORK_CHANGE, bind ? 'bind-network' : 'unbind-network');
      this.idle(machine);
      // unbind --network names the network it leaves: checked as a bind's is, all ports unbind.
      if (!bind && network) this.deps.targets.visible(actor, network);
      const target = bind && network ? this.deps.targets.resolve(actor, machine, network) : null;
      this.deps.sequencer.begin(scope, machine, bind ? 'bind' : 'unbind', actor.user, 'pxe', target);
      return machine;
    });
  }

  /** The machine `ref` as `actor` may see it. */
  machine(actor: Principal, ref: string): Machine {
    return this.deps.registry.getVisible(actor, ref);
  }

  sequence(actor: Principal, ref: string): SequenceRecord | undefined {
    return this.deps.sequencer.get(this.deps.registry.getVisible(actor, ref).id);
  }

  private idle(machine: Machine): void {
    const running = this.deps.sequencer.get(machine.id);
    if (running) throw new SequenceBusyError(machine.id, running.kind);
  }

  private ownedBy(actor: Principal, ref: string): Machine {
    const machine = this.deps.registry.getVisible(actor, ref);
    if (actor.role !== 'admin' && machine.owner !== actor.user) throw new NotMachineOwnerError(machine.id, actor.user);
    requireStatus(machine, ['ALLOCATED'], 'deploy');
    return machine;
  }
}
