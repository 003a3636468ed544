// How the etcd store sends a write's Txn: tagged, and sent again while etcd does not answer.
// Every Txn of one open store compares the store's write tag (P/w/<id>, etcd-keys.ts) at the mod
// revision it last saw and sets it to the Txn's own id. When etcd does not answer (its leader died,
// a deadline passed, "no leader"), the outcome is unknown: the same Txn is sent again with backoff
// until etcd answers or unavailableRetryMs pass. Of all the copies of one write at most one can be
// applied (each moves the tag the others compare), and the tag, read back by a failed Txn, says
// which one was.
import type { Etcd3, ITxnRequest, ITxnResponse } from 'etcd3';
import type { Logger } from '../logger.js';
import { etcdFailure, EtcdNoSpaceError, EtcdUnavailableError } from './etcd-errors.js';
import type { EtcdKeyLayout } from './etcd-keys.js';
import { RetryBackoff, sleep } from './etcd-retry.js';
import { fenceCompare, type EtcdTransaction } from './etcd-transaction.js';
import type { WriteFence } from './write-fence.js';

/** One write's time without an answer from etcd: since when, and whether any attempt may have been applied. */
export class Unanswered {
  since: number | null = null;
  outcome: 'not-applied' | 'unknown' = 'not-applied';
  readonly backoff = new RetryBackoff();
}

export interface TaggedTxnOptions {
  readonly client: Etcd3;
  readonly layout: EtcdKeyLayout;
  /** Names this open store's write tag. */
  readonly storeId: string;
  readonly callTimeoutMs: number;
  readonly unavailableRetryMs: number;
  readonly maxTxnOps: number;
  readonly logger: Logger;
  /** Told of every call etcd did not answer (the store turns 'failing'). */
  readonly unanswered: (failure: EtcdUnavailableError) => void;
  /** Whether the store closed (no more resending). */
  readonly closed: () => boolean;
}

/**
 * What etcd made of a tagged Txn: the id of this store's last Txn it applied (this one's when it
 * succeeded; an earlier copy's, or this one's resent copy's, when it failed; null: none yet) and
 * the revision that one committed at.
 */
export interface TaggedOutcome {
  readonly applied: string | null;
  readonly revision: number;
}

/**
 * While etcd is out of space, how often a write is let through to find out whether it takes writes
 * again: the others are refused here. Each refusal etcd sends makes etcd3 reopen its channels to
 * that member (the watch's and the lease's streams among them), so writes at the callers' rate
 * would keep those streams down.
 */
const NO_SPACE_PROBE_MS = 1000;

export class TaggedTxn {
  /** The write tag's mod revision as of this store's last answer from etcd (0: absent). */
  private tagMod = 0;
  private sentCount = 0;
  /** When etcd last refused a write for want of space (performance.now()); null once it takes one. */
  private outOfSpaceAt: number | null = null;

  constructor(private readonly options: TaggedTxnOptions) {}

  /** A fresh id for the next Txn: unique among this store's Txns, which is all the tag needs. */
  nextId(): string {
    return (++this.sentCount).toString(36);
  }

  /**
   * Sends `transaction`'s Txn tagged with `id`: the revision it committed at, or, when it failed,
   * which Txn of this store etcd applied last (an earlier copy of this write, perhaps) and the
   * response (its first answer reads P/rev: how far to catch up).
   */
  async commit(
    transaction: EtcdTransaction,
    id: string,
    unanswered: Unanswered,
    fence?: WriteFence,
  ): Promise<{ outcome: TaggedOutcome; response: ITxnResponse }> {
    const response = await this.send(this.tagged(transaction, id, fence), unanswered);
    if (response.succeeded) {
      this.tagMod = Number(response.header.revision);
      return { outcome: { applied: id, revision: this.tagMod }, response };
    }
    const kv = response.responses[1]?.response_range.kvs[0];
    this.tagMod = kv ? Number(kv.mod_revision) : 0;
    return { outcome: { applied: kv ? kv.value.toString('latin1') : null, revision: this.tagMod }, response };
  }

  /**
   * Sends `request`, and sends it again while etcd does not answer (leader lost, deadline, member
   * down), with backoff, until etcd answers or unavailableRetryMs have passed since the write first
   * went unanswered. Resending a tagged Txn is safe: any copy that was applied moved the tag.
   */
  async send(request: ITxnRequest, unanswered: Unanswered): Promise<ITxnResponse> {
    const { client, callTimeoutMs, unavailableRetryMs, logger } = this.options;
    if (this.outOfSpaceAt !== null && performance.now() - this.outOfSpaceAt < NO_SPACE_PROBE_MS) {
      throw new EtcdNoSpaceError({ outcome: unanswered.outcome });
    }
    for (;;) {
      try {
        const response = await client.kv.txn(request, { deadline: Date.now() + callTimeoutMs });
        this.outOfSpaceAt = null;
        return response;
      } catch (error) {
        const failure = etcdFailure(error);
        if (!(failure instanceof EtcdUnavailableError)) throw failure;
        if (failure.outcome === 'unknown') unanswered.outcome = 'unknown';
        unanswered.since ??= performance.now();
        this.options.unanswered(failure);
        // Out of space lasts until an operator steps in: said at once, as the write's outcome so far.
        if (failure instanceof EtcdNoSpaceError) {
          this.outOfSpaceAt = performance.now();
          throw new EtcdNoSpaceError({ cause: error, outcome: unanswered.outcome });
        }
        const waited = performance.now() - unanswered.since;
        if (waited >= unavailableRetryMs || this.options.closed()) {
          throw new EtcdUnavailableError(`${failure.reason}, for ${(waited / 1000).toFixed(1)} s of retries`, unanswered.outcome, {
            cause: error,
          });
        }
        const delay = Math.min(unanswered.backoff.next(), unavailableRetryMs - waited);
        logger.warn(
          { reason: failure.reason, outcome: failure.outcome, retryInMs: delay },
          'etcd did not take the write: sending it again',
        );
        await sleep(delay);
      }
    }
  }

  /** Deletes the tag: only needed while this store writes; a new open takes a new one. */
  async remove(): Promise<void> {
    await this.options.client.kv
      .deleteRange({ key: this.options.layout.writeTag(this.options.storeId) }, { deadline: Date.now() + 1000 })
      .catch(() => undefined);
  }

  /** The Txn of `transaction` with this store's write tag: compared at its last known mod revision, then set to `id`. */
  private tagged(transaction: EtcdTransaction, id: string, fence: WriteFence | undefined): ITxnRequest {
    const { layout, storeId, maxTxnOps } = this.options;
    const request = transaction.request(layout, maxTxnOps - (fence ? 2 : 1));
    const key = layout.writeTag(storeId);
    request.compare!.push({ key, target: 'Mod', result: 'Equal', mod_revision: String(this.tagMod) });
    request.success!.push({ request_put: { key, value: Buffer.from(id, 'latin1') } });
    request.failure!.push({ request_range: { key } });
    if (fence) {
      // Fenced: the owner key too (the failure reads it last, to tell a refusal from a conflict).
      request.compare!.push(fenceCompare(fence));
      request.failure!.push({ request_range: { key: Buffer.from(fence.key, 'latin1') } });
    }
    return request;
  }
}
