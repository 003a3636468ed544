// Deploy, release and on-demand network binding as requests: each moves the machine (guarded)
// and stores the sequence in one write transaction, then the sequencer runs it. A caller sees the
// machine DEPLOYING or RELEASING at once and follows the steps through the event log.
import type { Machine } from '../machines/machine.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { requireStatus } from '../machines/lifecycle.js';
import type { BootDevice } from '../power/power-driver.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireAdmin, requireWriter } from '../tenancy/access.js';
import { NotMachineOwnerError } from '../machines/errors.js';
import type { Principal } from '../tenancy/user.js';
import type { BiosHaltSequencer } from './bios-halt-sequencer.js';
import type { NetworkRequest, NetworkTargets } from './network-targets.js';
import type { SequenceRecord } from './sequence.js';
import { SequenceBusyError } from './errors.js';

/** Statuses in which the network may be bound or unbound on demand (not while one is moving). */
const NETWORK_CHANGE: readonly Machine['status'][] = ['READY', 'ALLOCATED', 'DEPLOYED'];

export class Deployments {
  constructor(
    private readonly store: Store,
    private readonly registry: MachineRegistry,
    private readonly writer: MachineWriter,
    private readonly sequencer: BiosHaltSequencer,
    private readonly targets: NetworkTargets,
  ) {}

  /**
   * ALLOCATED -> DEPLOYING, and the deploy sequence (BIOS-halt bind, then boot `boot`); with a
   * network, its ports are attached to it (checked before anything is written).
   */
  async deploy(actor: Principal, ref: string, boot: BootDevice, network: NetworkRequest | null = null): Promise<Machine> {
    requireWriter(actor, 'deploy machines');
    return this.store.write((scope) => {
      const machine = this.ownedBy(actor, ref);
      this.idle(machine);
      const target = network ? this.targets.resolve(actor, machine, network) : null;
      const on = network ? `, network ${network.network}` : '';
      const after = this.writer.transition(scope, actor.user, machine, 'DEPLOYING', 'deploy', `deploy requested (boot ${boot}${on})`, { statusReason: '' });
      this.sequencer.begin(scope, after, 'deploy', actor.user, boot, target);
      return after;
    });
  }

  /**
   * Bind (or unbind) the smartNIC ports now, with the BIOS-halt if the machine is off (admins).
   * A bind with a network attaches them there (moving them off any other network).
   */
  async network(actor: Principal, ref: string, bind: boolean, network: NetworkRequest | null = null): Promise<Machine> {
    requireAdmin(actor, bind ? 'bind machine networks' : 'unbind machine networks');
    return this.store.write((scope) => {
      const machine = this.registry.getVisible(actor, ref);
      requireStatus(machine, NETWORK_CHANGE, bind ? 'bind-network' : 'unbind-network');
      this.idle(machine);
      // unbind --network names the network it leaves: checked as a bind's is, all ports unbind.
      if (!bind && network) this.targets.visible(actor, network);
      const target = bind && network ? this.targets.resolve(actor, machine, network) : null;
      this.sequencer.begin(scope, machine, bind ? 'bind' : 'unbind', actor.user, 'pxe', target);
      return machine;
    });
  }

  /**
   * Inside the release transaction: a machine that was deployed, or whose smartNIC ports a
   * sequence has bound, is released through the sequence (unbind, power off) and answers
   * RELEASING; an allocated machine that never was goes straight to READY. Returns the machine
   * after, or null when no sequence is needed.
   */
  releaseThroughSequence(scope: WriteScope, actor: string, machine: Machine, reason: string): Machine | null {
    const deployed = machine.status === 'DEPLOYED' || machine.status === 'FAILED_DEPLOYMENT';
    if (!deployed && !this.sequencer.networkBound(machine.id)) return null;
    this.idle(machine);
    const after = this.writer.transition(scope, actor, machine, 'RELEASING', 'release', reason, { statusReason: '' });
    this.sequencer.begin(scope, after, 'release', actor);
    return after;
  }

  /** The machine `ref` as `actor` may see it. */
  machine(actor: Principal, ref: string): Machine {
    return this.registry.getVisible(actor, ref);
  }

  sequence(actor: Principal, ref: string): SequenceRecord | undefined {
    return this.sequencer.get(this.registry.getVisible(actor, ref).id);
  }

  private idle(machine: Machine): void {
    const running = this.sequencer.get(machine.id);
    if (running) throw new SequenceBusyError(machine.id, running.kind);
  }

  private ownedBy(actor: Principal, ref: string): Machine {
    const machine = this.registry.getVisible(actor, ref);
    if (actor.role !== 'admin' && machine.owner !== actor.user) throw new NotMachineOwnerError(machine.id, actor.user);
    requireStatus(machine, ['ALLOCATED'], 'deploy');
    return machine;
  }
}
