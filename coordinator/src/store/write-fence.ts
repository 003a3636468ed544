// Fencing of the writes of work only one coordinator may do (ha/: a sequence's owner). The owner
// runs that work inside runFenced(fence, ...); every store write made in its async context (its
// own, and those of the parts it calls: events, power state, attachments) then carries the fence.
// The etcd store checks it before each attempt (fence.check(): the lease still held) and adds one
// compare to the write's Txn: the owner key still exists with the create revision it had when this
// coordinator took it. A coordinator that lost its lease (its owner key deleted by etcd) or whose
// work another took over (a new key, a new create revision) cannot commit anything: the Txn fails
// and the write rejects with fence.refused(). LMDB has one coordinator and ignores fences.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WriteFence {
  /** What is owned, for logs and errors (e.g. 'sequence m-12'). */
  readonly subject: string;
  /** The owner key (full etcd key) and its create revision (decimal) as this coordinator took it. */
  readonly key: string;
  readonly createRevision: string;
  /** Throws (OwnershipLostError) unless ownership certainly still holds; called before each attempt. */
  check(): void;
  /** The error a write refused by etcd rejects with. */
  refused(why: string): Error;
}

const active = new AsyncLocalStorage<WriteFence>();

/** Runs `work` with every store write in its async context fenced by `fence`. */
export function runFenced<T>(fence: WriteFence, work: () => Promise<T>): Promise<T> {
  return active.run(fence, work);
}

/** The fence of the work the caller runs in, if any. */
export function activeFence(): WriteFence | undefined {
  return active.getStore();
}
