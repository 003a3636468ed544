// Whether the data disk takes commits. A commit that fails (the disk or its quota is full, LMDB's
// map is full, an I/O error) fails its request with DataDiskError and moves the store to
// 'failing': logged once, health NOT_SERVING. While failing, a small probe commit is tried every
// probe interval; the first commit that succeeds (the probe or a request) moves it back.
import { DomainError } from '../domain-error.js';

/** errno ENOSPC, EDQUOT and LMDB's MDB_MAP_FULL: no room to commit. */
const FULL_CODES = new Set([28, 122, -30792]);

export class DataDiskError extends DomainError {
  readonly kind = 'unavailable';

  constructor(readonly code: number | null, options?: { cause?: unknown }) {
    super(code !== null && FULL_CODES.has(code) ? 'data disk full: the change was not made; retry once space is freed' : `data disk write failed (code ${code ?? 'unknown'}): the change was not made`, options);
  }

  get full(): boolean {
    return this.code !== null && FULL_CODES.has(this.code);
  }
}

export type DiskState = { readonly type: 'writable' } | { readonly type: 'failing'; readonly since: number; readonly error: DataDiskError };

export type DiskStateListener = (state: DiskState) => void;

/** lmdb-js rejects a failed commit with an error carrying `commitError`, a promise of the cause. */
export function isFailedCommit(error: unknown): error is Error & { commitError: Promise<unknown> } {
  return error instanceof Error && 'commitError' in error && error.commitError instanceof Promise;
}

/** The cause lmdb-js gives for a failed commit, as a DataDiskError. */
export async function commitFailure(error: Error & { commitError: Promise<unknown> }): Promise<DataDiskError> {
  let timer: NodeJS.Timeout | undefined;
  const cause = await Promise.race([
    error.commitError.then(
      () => null,
      (reason: unknown) => reason,
    ),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), 1000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  const code = typeof (cause as { code?: unknown } | null)?.code === 'number' ? (cause as { code: number }).code : null;
  return new DataDiskError(code, { cause: cause ?? error });
}
