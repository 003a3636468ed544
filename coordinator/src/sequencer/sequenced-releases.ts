// Which releases go through the BIOS-halt unbind sequence. MachineRegistry.release asks inside its
// release transaction. This needs only the writer and the sequencer, so it exists before the
// machine registry and is handed to it at construction; Deployments, which needs the registry to
// resolve what callers may see, is built after both (no setter, no cycle).
import type { Machine } from '../machines/machine.js';
import type { ReleaseRoute } from '../machines/machine-registry.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import type { EraseMode } from '../boot/deploy-grant.js';
import type { WriteScope } from '../store/store.js';
import type { BiosHaltSequencer } from './bios-halt-sequencer.js';
import { SequenceBusyError } from './errors.js';
import { smartNicPorts } from './port-attachments.js';

export interface SequencedReleasesDeps {
  readonly writer: MachineWriter;
  readonly sequencer: BiosHaltSequencer;
  /** Whether releases erase the disks now (null: they do not; else the configured default mode). */
  readonly releaseErase: () => EraseMode | null;
  /** The erase mode of the machine's pool (pool create|edit --erase), if it has one. */
  readonly poolErase: (pool: string) => EraseMode | undefined;
}

export class SequencedReleases implements ReleaseRoute {
  constructor(private readonly deps: SequencedReleasesDeps) {}

  /**
   * Inside the release transaction: a machine that was deployed, or whose smartNIC ports a
   * sequence has bound, is released through the sequence (unbind, power off) and answers
   * RELEASING; an allocated machine that never was goes straight to READY. Returns the machine
   * after, or null when no sequence is needed.
   */
  releaseThroughSequence(scope: WriteScope, actor: string, machine: Machine, reason: string): Machine | null {
    const { writer, sequencer } = this.deps;
    const deployed = machine.status === 'DEPLOYED' || machine.status === 'FAILED_DEPLOYMENT';
    if (!deployed && !sequencer.networkBound(machine.id)) return null;
    const running = sequencer.get(machine.id);
    if (running) throw new SequenceBusyError(machine.id, running.kind);
    const after = writer.transition(scope, actor, machine, 'RELEASING', 'release', reason, { statusReason: '' });
    // With a provisioning network and the boot service, the ramdisk erases the disks before READY.
    // (Only through smartNIC ports: the provisioning network reaches nothing else.)
    const enabled = smartNicPorts(machine).length > 0 ? this.deps.releaseErase() : null;
    const erase = enabled && (this.deps.poolErase(machine.pool) ?? enabled);
    sequencer.begin(scope, after, 'release', actor, 'pxe', null, erase ? { erase } : {});
    return after;
  }
}
