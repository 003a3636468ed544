// Group commit: the changes of concurrent writers gathered into one durable LMDB transaction.
//
// lmdb-js on its own batches the transactions queued in one event turn into one commit. Under load
// the writers of a busy coordinator arrive spread over many turns (each gRPC call is its own turn),
// so every few writers paid for a transaction of their own: a hand-off to lmdb-js's write thread
// and back, a commit and an fsync. Here a group is opened by the first writer and stays open until
// lmdb-js's write thread has taken the write lock and calls back into this thread to run it:
// every writer that arrived in the meantime, over however many turns, is in it. While a group runs
// and commits, the next one gathers; with `groupsInFlight` 1 it is not handed to lmdb-js until the
// previous group is durable (so a group gathers for a whole fsync), with 2 the next group may commit
// while the previous one is still flushing (overlappingSync).
//
// A saturated coordinator's groups grow larger still with a short gather: when the group before
// carried at least `gather.fromSize` writes and fewer have gathered by the time a group could be
// handed over, it waits for as many as that group carried, for `gather.ms` at most (once per group).
// Groups under that size (a coordinator with room to spare) never wait. bench:alloc at 64 clients:
// groups of 21-24 writes (p50) in the closed loop and 4-6 (p90 8-11) at half its rate; with a 1 ms
// gather 27-30 in the closed loop, with 5-13% less coordinator CPU per cycle (README, "A short gather").
//
// A change that throws rolls back its own writes only; every caller is answered after the group's
// commit is durable. The changes of a group first run together in one child transaction of the
// group's transaction: an LMDB child transaction per change cost about a fifth of a write's CPU
// (each copies every page it touches that the group has already dirtied, and merges its dirty list
// back on commit), and nearly every change succeeds. If one throws, that child is aborted (nothing
// of any of them stays) and each change runs again in a child transaction of its own, so the thrower
// rolls back alone. A change may therefore run twice: the store's contract already asks that it be
// safe to rerun (store-backend.ts: the etcd backend reruns on a conflict), and `rerun` tells the
// caller to drop what the first run registered (its onCommit callbacks).
//
// Every rollback (a child aborted, a commit failed) tells the tables' record structures to reload
// from the file, and a group that saved a new structure commits before the next group runs
// (record-structures.ts), so no value is ever written naming a structure the file does not hold.
import type { RootDatabase } from 'lmdb';

/** One writer's change and how to answer it; the outcome is set while its group runs. */
export interface GroupedWrite {
  /** Runs the change; `rerun` is true when an earlier run of it in this group was rolled back. */
  readonly change: (rerun: boolean) => unknown;
  outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } | null;
}

export interface CommitGroupOptions {
  /** How many groups may be handed to lmdb-js before the oldest is durable (1 or more). */
  readonly groupsInFlight: number;
  /**
   * Called once per group, with its writes, once the group is durable (`failure` null), or once its
   * commit failed (`failure` the error lmdb-js gave).
   */
  readonly settled: (writes: readonly GroupedWrite[], failure: unknown) => void;
  /** The tables' shared record structures (record-structures.ts). */
  readonly structures: { takeSaved(): boolean; forget(): void };
  readonly gather: GatherOptions;
}

export interface GatherOptions {
  /** The longest a group waits for as many writes as the one before carried (0: never waits). */
  readonly ms: number;
  /** Only a group after one of at least this many writes waits (2 or more). */
  readonly fromSize: number;
}

export class CommitGroups {
  /** Writes of the group not yet run (the one lmdb-js has not called back for yet). */
  private gathering: GroupedWrite[] = [];
  /** Whether the gathering group has been handed to lmdb-js. */
  private handedOver = false;
  private inFlight = 0;
  /** Groups in flight that saved a record structure: the next group waits for them to settle. */
  private savingStructures = 0;
  /** Transactions committed, for tests and metrics: fewer than writes when groups gather. */
  private committedGroups = 0;
  private readonly idleWaiters: (() => void)[] = [];
  /** How many writes the group taken last carried. */
  private lastGroupSize = 0;
  /** Set while the gathering group waits for more writes (the gather). */
  private gatherTimer: NodeJS.Timeout | null = null;
  /** Whether the gathering group has had its wait: it waits once at most. */
  private gathered = false;

  constructor(
    private readonly root: RootDatabase,
    private readonly options: CommitGroupOptions,
  ) {}

  /** How many group transactions have committed durably so far. */
  get groupsCommitted(): number {
    return this.committedGroups;
  }

  /** Adds `write` to the gathering group; its outcome is known when `settled` is called for it. */
  add(write: GroupedWrite): void {
    this.gathering.push(write);
    if (this.gatherTimer !== null && this.gathering.length >= this.lastGroupSize) this.endGather();
    else this.handOver();
  }

  private endGather(): void {
    clearTimeout(this.gatherTimer!);
    this.gatherTimer = null;
    this.handOver();
  }

  private handOver(): void {
    if (this.handedOver || this.gatherTimer !== null || this.gathering.length === 0) return;
    if (this.inFlight >= this.options.groupsInFlight || this.savingStructures > 0) return;
    const { ms, fromSize } = this.options.gather;
    if (!this.gathered && ms > 0 && this.lastGroupSize >= fromSize && this.gathering.length < this.lastGroupSize) {
      this.gathered = true;
      this.gatherTimer = setTimeout(() => this.endGather(), ms);
      return;
    }
    this.handedOver = true;
    this.inFlight++;
    let writes: GroupedWrite[] | null = null;
    let savedStructures = false;
    const take = (): GroupedWrite[] => {
      const taken = this.gathering;
      this.gathering = [];
      this.handedOver = false;
      this.gathered = false;
      this.lastGroupSize = taken.length;
      return taken;
    };
    // lmdb-js runs this callback on this thread once its write thread holds the write lock.
    const group = (): void => {
      writes = take();
      this.options.structures.takeSaved(); // saved outside a group: committed already
      if (!this.runTogether(writes)) this.runApart(writes);
      savedStructures = this.options.structures.takeSaved();
      if (savedStructures) this.savingStructures++;
      // Writers that arrive from now on gather into the next group, handed over when a slot frees.
      queueMicrotask(() => this.handOver());
    };
    let committed: Promise<unknown>;
    try {
      committed = this.root.transaction(group);
    } catch (error) {
      // e.g. the database is closed
      committed = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    void this.durable(committed).then((failure) => {
      this.inFlight--;
      if (savedStructures) this.savingStructures--;
      if (failure === null) this.committedGroups++;
      else this.options.structures.forget();
      // A transaction that failed before its callback ran leaves its writes gathering: they fail with it.
      this.options.settled(writes ?? take(), failure);
      this.handOver();
      if (this.inFlight === 0 && this.gathering.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /**
   * Runs every change of the group in one child transaction of the group's transaction (called
   * inside it). False when one threw: the child is then aborted and nothing of the group is stored.
   */
  private runTogether(writes: readonly GroupedWrite[]): boolean {
    try {
      // Inside the group's transaction lmdb-js runs this at once; a throw comes out synchronously.
      void this.root.childTransaction(() => {
        for (const write of writes) write.outcome = { ok: true, value: write.change(false) };
      });
      return true;
    } catch {
      this.options.structures.forget();
      return false;
    }
  }

  /** Runs each change in a child transaction of its own: a throw aborts that change only. */
  private runApart(writes: readonly GroupedWrite[]): void {
    for (const write of writes) {
      try {
        write.outcome = { ok: true, value: this.root.childTransaction(() => write.change(true)) };
      } catch (error) {
        this.options.structures.forget();
        write.outcome = { ok: false, error };
      }
    }
  }

  /** Resolves once every write added so far has been settled. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0 && this.gathering.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Null once the transaction `committed` is flushed to disk; else why it failed. */
  private async durable(committed: Promise<unknown>): Promise<unknown> {
    try {
      await committed;
      await this.root.flushed; // committed is not yet durable: wait for the fsync
      return null;
    } catch (error) {
      return error;
    }
  }
}
