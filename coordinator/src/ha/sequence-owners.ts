// Ownership of in-flight sequences (deploy, release, bind, unbind): each is run by the one
// coordinator holding its claim (claim-board.ts, P/ha/seq/<machine id>, under that coordinator's
// lease). When the owner dies its lease ends, etcd deletes the claim, and every coordinator
// rescans: the first to claim an unfinished sequence resumes it from its stored step (the
// sequencer is durable: each step is stored before it acts). The owner's writes are fenced by the
// claim (store/write-fence.ts), and each BMC call or agent command is preceded by fence.check().
import type { Logger } from '../logger.js';
import type { WriteFence } from '../store/write-fence.js';
import type { Claim, ClaimBoard } from './claim-board.js';
import type { CoordinatorLease } from './coordinator-lease.js';
import { OwnershipLostError } from './errors.js';

/** This coordinator's hold on one sequence: the fence of its writes while it runs it. */
export class SequenceOwnership implements WriteFence {
  readonly subject: string;
  readonly key: string;
  readonly createRevision: string;

  constructor(
    private readonly claim: Claim,
    private readonly lease: CoordinatorLease,
    private readonly board: ClaimBoard,
  ) {
    this.subject = `sequence ${claim.name}`;
    this.key = claim.key;
    this.createRevision = claim.createRevision;
  }

  check(): void {
    this.lease.assertHeld(this.subject);
  }

  refused(why: string): Error {
    return new OwnershipLostError(this.subject, `etcd refused the write: ${why}`);
  }

  /** Gives the claim up once the sequence is over (a no-op if another coordinator holds it now). */
  release(): Promise<void> {
    return this.board.release(this.claim);
  }
}

export interface SequenceOwnersDeps {
  readonly board: ClaimBoard;
  readonly lease: CoordinatorLease;
  readonly logger: Logger;
}

/** Why sequences are looked over: a start, a claim freed, or the periodic tick. */
export type RescanReason = 'start' | 'freed' | 'tick';

export class SequenceOwners {
  /** Sequences no coordinator held at the last tick. */
  private readonly unclaimed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopFreed: () => void = () => undefined;

  constructor(private readonly deps: SequenceOwnersDeps) {}

  /** Claims the sequence of `machineId`; null when another coordinator owns it (or this one's lease is lost). */
  async take(machineId: string): Promise<SequenceOwnership | null> {
    const claim = await this.deps.board.claim(machineId);
    return claim ? new SequenceOwnership(claim, this.deps.lease, this.deps.board) : null;
  }

  /**
   * Whether this coordinator should try to take the sequence of `machineId` on a rescan: nobody
   * holds it as last seen and, on a periodic rescan ('tick'), nobody held it at the tick before
   * either (a sequence just begun on another coordinator is claimed by it moments after its
   * commit: only one left unclaimed for a whole interval is an orphan).
   */
  candidate(machineId: string, why: RescanReason): boolean {
    if (this.deps.board.holder(machineId) !== undefined) {
      this.unclaimed.delete(machineId);
      return false;
    }
    if (why !== 'tick') return true;
    if (this.unclaimed.has(machineId)) return true;
    this.unclaimed.add(machineId);
    return false;
  }

  /**
   * Calls `rescan` whenever a sequence's claim is freed (its owner died or finished), and every
   * `everyMs` besides: a sequence stored by a coordinator that died before it claimed it has no
   * claim to free.
   */
  follow(rescan: (why: RescanReason) => void, everyMs: number): void {
    this.stopFreed = this.deps.board.onFreed(() => rescan('freed'));
    this.timer = setInterval(() => rescan('tick'), everyMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopFreed();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
