// Cuts a stream of etcd puts into Txns etcd accepts: at most `maxOps` puts (etcd's --max-txn-ops,
// 128 by default) and at most `maxBytes` of keys and values (under etcd's --max-request-bytes,
// 1.5 MiB by default, leaving room for the request's framing and its compares). Pure: no I/O.

export interface Put {
  readonly key: Buffer;
  readonly value: Buffer;
}

export interface BatchLimits {
  readonly maxOps: number;
  readonly maxBytes: number;
}

/** etcd's defaults, with a quarter of the 1.5 MiB request limit left for framing. */
export const ETCD_BATCH_LIMITS: BatchLimits = Object.freeze({ maxOps: 128, maxBytes: 1024 * 1024 + 128 * 1024 });

/** Per-put framing in the Txn request (RequestOp, PutRequest, field tags and lengths): a generous bound. */
const PUT_OVERHEAD = 32;

/** The bytes one put adds to a Txn request. */
export function putSize(put: Put): number {
  return put.key.length + put.value.length + PUT_OVERHEAD;
}

/** A put too large for any Txn on its own. */
export class PutTooLargeError extends Error {
  constructor(
    readonly put: Put,
    readonly limit: number,
  ) {
    super(`a record of ${putSize(put)} bytes does not fit in one etcd request (at most ${limit} bytes)`);
    this.name = 'PutTooLargeError';
  }
}

/** Yields the puts in order, grouped into batches within `limits`; never an empty batch. */
export function* batches(puts: Iterable<Put>, limits: BatchLimits = ETCD_BATCH_LIMITS): Generator<Put[]> {
  let batch: Put[] = [];
  let bytes = 0;
  for (const put of puts) {
    const size = putSize(put);
    if (size > limits.maxBytes) throw new PutTooLargeError(put, limits.maxBytes);
    if (batch.length > 0 && (batch.length >= limits.maxOps || bytes + size > limits.maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(put);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
