// Batching of one coordinator's writes on etcd, like LMDB's group commit (commit-group.ts): while
// one Txn is in flight, the writes that arrive gather, and the next Txn carries all of them. The
// changes of a batch run one after the other in one transaction (etcd-transaction.ts), each seeing
// those before it, as if alone: a change that throws has its writes undone (its reads stay, so its
// error stands only if what it read does), and a change that would take the Txn past etcd's
// --max-txn-ops is undone and put off to the next batch. The Txn commits all of them or none; on a
// conflict with another coordinator the whole batch runs again. Callers are answered once the Txn
// is applied. One batch at a time: the next one's reads must see this one's writes, or it would
// conflict with its own coordinator.
//
// While one Txn is in flight, the callers not in it gather for the next; so under steady load a
// coordinator's callers split into two halves that take turns, each Txn carrying half of them.
// Where several coordinators share the prefix, every Txn costs each of them (their replicas apply
// it) as well as etcd, and fewer, larger Txns are worth a little latency: there a batch that is as
// large as the last one waits on, for rejoinMs at most, until the callers of the last Txn are back
// too (as many writes as that Txn carried, plus those that gathered behind it), as long as they
// come to REJOIN_UP_TO writes at most. One coordinator alone keeps the two halves, and so does one
// that takes most of the callers while the others idle: its Txns are large already (a few dozen
// writes), and the wait would only add latency.
import type { EtcdTransaction } from './etcd-transaction.js';
import type { WriteScope } from './store-backend.js';
import type { WriteFence } from './write-fence.js';

/**
 * The most writes a batch waits on for (the last Txn's and those behind it). Measured: three
 * coordinators sharing 64 callers (about 21 each) gained by the wait; one of them taking all 64
 * (batches of about 35, the rest behind them) lost allocations a second to it, at a higher p50.
 */
export const REJOIN_UP_TO = 32;

export interface PendingWrite {
  readonly change: (scope: WriteScope) => unknown;
  /** performance.now() when the write was asked for. */
  readonly started: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The fence of the owner that asked for it (write-fence.ts), if any: never batched with another fence's writes. */
  readonly fence?: WriteFence | undefined;
}

export type WriteOutcome =
  | { readonly write: PendingWrite; readonly ok: true; readonly value: unknown; readonly callbacks: readonly (() => void)[] }
  | { readonly write: PendingWrite; readonly ok: false; readonly error: unknown };

/**
 * Runs the changes of `writes` in order in `transaction`: the outcomes of those it took, a prefix
 * of `writes`. The first always runs (alone too big, its Txn fails with
 * EtcdTransactionTooLargeError as it would on its own); each later one only if the Txn still fits
 * `maxOps` operations with it, else it and all after it are put off.
 */
export function runBatch(transaction: EtcdTransaction, writes: readonly PendingWrite[], maxOps: number): WriteOutcome[] {
  const outcomes: WriteOutcome[] = [];
  for (let i = 0; i < writes.length; i++) {
    const write = writes[i]!;
    const mark = transaction.mark();
    const callbacks: (() => void)[] = [];
    const scope: WriteScope = { onCommit: (callback) => void callbacks.push(callback) };
    let outcome: WriteOutcome;
    try {
      outcome = { write, ok: true, value: write.change(scope), callbacks };
    } catch (error) {
      transaction.rollback(mark, false); // a throw stores nothing
      outcome = { write, ok: false, error };
    }
    if (i > 0 && !transaction.fits(maxOps)) {
      transaction.rollback(mark, true);
      return outcomes;
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Answers the callers of a committed run: onCommit callbacks first, as LMDB does. A callback that
 * throws fails its own write's caller only (the change is committed all the same), never the
 * other writes of the batch or the queue.
 */
export function settle(outcomes: readonly WriteOutcome[]): void {
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      outcome.write.reject(outcome.error);
      continue;
    }
    try {
      for (const callback of outcome.callbacks) callback();
    } catch (error) {
      outcome.write.reject(error);
      continue;
    }
    outcome.write.resolve(outcome.value);
  }
}

/** The gathering queue: hands `commit` one batch at a time; what it puts off goes first in the next. */
export class WriteBatches {
  private gathering: PendingWrite[] = [];
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** While the next batch gathers: how many writes it waits for, and what ends the wait. */
  private gatherUntil: { readonly writes: number; readonly done: () => void } | null = null;
  /** Set by finish(): the batches left go without gathering. */
  private finishing = false;
  /** How many writes the last batch carried, how many gathered behind it, and when it was answered (performance.now()). */
  private last = { writes: 0, behind: 0, answeredAt: Number.NEGATIVE_INFINITY };
  /** How many coordinators write to the prefix, this one included (spreadOver): past 1, a batch also waits for the last one's callers. */
  private sharers = 1;

  constructor(
    /** Commits a batch (answering its callers) and resolves with the writes it put off. Never rejects. */
    private readonly commit: (batch: readonly PendingWrite[]) => Promise<readonly PendingWrite[]>,
    /** The most writes one batch takes (1: every write its own Txn). */
    private readonly maxBatch: number,
    /** After a batch of several writes, how long at most the next one gathers for as many writes (0: not at all). */
    private readonly gatherMs = 0,
    /** Spread over several coordinators: how much longer at most a batch waits for the last one's callers (0: not at all). */
    private readonly rejoinMs = 0,
  ) {}

  /** Tells the queue how many coordinators write to its prefix (this one included). */
  spreadOver(coordinators: number): void {
    this.sharers = coordinators;
  }

  /** How many coordinators write to the prefix as last told (spreadOver); 1 until then. */
  get coordinators(): number {
    return this.sharers;
  }

  add(write: PendingWrite): void {
    this.gathering.push(write);
    if (this.gatherUntil && this.gathering.length >= this.gatherUntil.writes) this.gatherUntil.done();
    if (!this.running) void this.drain();
  }

  /** Sends what is gathering at once, and every later batch without gathering; resolves once every write added so far has been answered. */
  finish(): Promise<void> {
    this.finishing = true;
    this.gatherUntil?.done();
    return this.whenIdle();
  }

  /** Resolves once every write added so far has been answered. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.gathering.length > 0) {
      // Writes came together last time (callers are concurrent): more are on their way, so the
      // batch waits until as many are here as last time, for gatherMs at most (steady concurrency
      // ends the wait early; a burst that ended runs it out). That holds too when the queue emptied
      // in between, if it did less than gatherMs ago: every caller of the last batch was waiting
      // for its answer, and this write is the first of them coming back (were it sent alone, under
      // steady load each such write would go in a Txn of one and its fellows in the next). A lone
      // write on a store quiet for longer than gatherMs goes at once.
      const previous = performance.now() - this.last.answeredAt <= this.gatherMs ? this.last.writes : 0;
      const want = Math.min(previous, this.maxBatch);
      if (this.gatherMs > 0 && !this.finishing && previous > 1 && this.gathering.length < want) await this.gathered(want, this.gatherMs);
      // Spread over several coordinators, a batch that reached that size waits on for the callers
      // of the last batch too: not one whose gathering ran out (the burst is over), nor for more
      // than REJOIN_UP_TO writes (Txns that large are not worth the wait).
      const callers = previous + this.last.behind;
      const rejoin =
        this.sharers > 1 && this.rejoinMs > 0 && previous > 1 && this.gathering.length >= want && callers <= REJOIN_UP_TO
          ? Math.min(callers, this.maxBatch)
          : 0;
      if (!this.finishing && this.gathering.length < rejoin) await this.gathered(rejoin, this.rejoinMs);
      const first = this.gathering[0]!;
      const sameFence = this.gathering.findIndex((write) => write.fence !== first.fence);
      const batch = this.gathering.slice(0, Math.min(this.maxBatch, sameFence === -1 ? this.gathering.length : sameFence));
      this.gathering = this.gathering.slice(batch.length);
      let deferred: readonly PendingWrite[] = [];
      try {
        deferred = await this.commit(batch);
      } catch (error) {
        // commit answers its writes itself; should it throw, no caller is left waiting and the queue goes on.
        for (const write of batch) write.reject(error);
      }
      if (deferred.length > 0) this.gathering = [...deferred, ...this.gathering];
      this.last = { writes: batch.length, behind: this.gathering.length - deferred.length, answeredAt: performance.now() };
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves once `writes` writes are gathering, or `ms` after the call, whichever comes first. */
  private gathered(writes: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.gatherUntil = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.gatherUntil = { writes, done };
    });
  }
}
