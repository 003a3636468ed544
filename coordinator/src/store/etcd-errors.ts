// Errors of the etcd store backend. etcd's and the client's failures are turned into these once,
// where the backend calls etcd (etcdFailure); the API edge maps `kind` to a gRPC status.
import { DomainError } from '../domain-error.js';
import { StoreError } from './errors.js';

/**
 * etcd did not take the change. `outcome` says whether it is known not to have been applied
 * ('not-applied': refused before it was proposed) or may still be applied once etcd recovers
 * ('unknown': it was proposed, or the connection dropped, before etcd answered).
 */
export class EtcdUnavailableError extends DomainError {
  readonly kind = 'unavailable';

  constructor(
    readonly reason: string,
    readonly outcome: 'not-applied' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(
      `etcd store unavailable: ${reason}; ` +
        (outcome === 'not-applied' ? 'the change was not made' : 'the change may or may not have been made: read it back before retrying'),
      options,
    );
  }
}

/**
 * etcd refused the change for want of space: its database reached the quota
 * (--quota-backend-bytes, 2 GiB by default) and the cluster raised alarm NOSPACE, after which every
 * member refuses writes (reads go on) until an operator frees space and disarms the alarm. It lasts
 * until then, so the write is not sent again: the caller hears at once.
 */
export class EtcdNoSpaceError extends EtcdUnavailableError {
  /** `outcome`: 'unknown' when an earlier copy of the write went unanswered (it may have been applied). */
  constructor(options: { cause?: unknown; outcome?: 'not-applied' | 'unknown' } = {}) {
    super(
      'etcd is out of space (its database reached --quota-backend-bytes and the cluster raised alarm NOSPACE, so it takes no ' +
        'writes): compact its history, defragment each member (etcdctl defrag) and disarm the alarm (etcdctl alarm disarm)',
      options.outcome ?? 'not-applied',
      { cause: options.cause },
    );
  }
}

/** Every run of a change met a conflicting commit by another writer; nothing was stored. */
export class EtcdContentionError extends DomainError {
  readonly kind = 'unavailable';

  constructor(readonly attempts: number) {
    super(`etcd store: the change conflicted with other coordinators' writes ${attempts} times in a row and was not made; retry`);
  }
}

/** A change writes (or reads) more keys than etcd accepts in one Txn (--max-txn-ops). */
export class EtcdTransactionTooLargeError extends StoreError {
  constructor(
    readonly operations: number,
    readonly limit: number,
  ) {
    super(`etcd store: the change needs ${operations} operations in one transaction; etcd accepts ${limit} (--max-txn-ops)`);
    this.name = 'EtcdTransactionTooLargeError';
  }
}

/** The prefix belongs to a store this coordinator cannot use (newer schema, another secrets key). */
export class EtcdPrefixError extends StoreError {
  constructor(
    readonly prefix: string,
    readonly problem: string,
  ) {
    super(`etcd prefix ${prefix}: ${problem}`);
    this.name = 'EtcdPrefixError';
  }
}

/** gRPC status codes etcd answers with (grpc/status.h). */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * An etcd client failure as an EtcdUnavailableError. etcd's own texts are matched here, once:
 * "etcdserver: no leader" and "etcdserver: not capable" are refused before proposing; "request
 * timed out" (etcdserver.ErrTimeout) and a deadline or a dropped connection leave the outcome open.
 */
export function etcdFailure(error: unknown): EtcdUnavailableError | EtcdTransactionTooLargeError {
  if (error instanceof EtcdTransactionTooLargeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null;
  // etcd's ErrGRPCNoSpace, answered before the request is proposed.
  if (/database space exceeded/i.test(message)) return new EtcdNoSpaceError({ cause: error });
  if (/no leader/i.test(message)) {
    return new EtcdUnavailableError('the etcd cluster has no leader (quorum lost)', 'not-applied', { cause: error });
  }
  if (/too many operations in txn/i.test(message)) return new EtcdTransactionTooLargeError(Number.NaN, 128);
  if (/request timed out|leader changed/i.test(message)) {
    return new EtcdUnavailableError('etcd did not commit in time (quorum lost or overloaded)', 'unknown', { cause: error });
  }
  if (code === GRPC_DEADLINE_EXCEEDED || /deadline/i.test(message)) {
    return new EtcdUnavailableError('no answer from etcd before the deadline (quorum lost or members down)', 'unknown', { cause: error });
  }
  if (code === GRPC_UNAVAILABLE || /unavailable|ECONNREFUSED|circuit/i.test(message)) {
    return new EtcdUnavailableError(`no etcd member reachable (${message})`, 'unknown', { cause: error });
  }
  return new EtcdUnavailableError(`etcd call failed (${message})`, 'unknown', { cause: error });
}
