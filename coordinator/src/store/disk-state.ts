// Whether the data disk takes commits. A commit that fails (the disk or its quota is full, LMDB's
// map is full, an I/O error) fails its request with DataDiskError and moves the store to
// 'failing': logged once, health NOT_SERVING. While failing, a small probe commit is tried every
// probe interval; the first commit that succeeds (the probe or a request) moves it back.
import { statfsSync } from 'node:fs';
import { DomainError } from '../domain-error.js';
import type { EtcdUnavailableError } from './etcd-errors.js';

/** errno ENOSPC, EDQUOT and LMDB's MDB_MAP_FULL: no room to commit. */
const FULL_CODES = new Set([28, 122, -30792]);
/** errno EIO: what a write-back to a full filesystem reports at fsync (tmpfs does), instead of ENOSPC. */
const EIO = 5;

export class DataDiskError extends DomainError {
  readonly kind = 'unavailable';

  constructor(
    readonly code: number | null,
    readonly full: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      full
        ? 'data disk full: the change was not made; retry once space is freed'
        : `data disk write failed (code ${code ?? 'unknown'}): the change was not made`,
      options,
    );
  }
}

/** The etcd backend (etcd-store.ts) reports a lost quorum through the same states, with its own error. */
export type DiskState =
  | { readonly type: 'writable' }
  | { readonly type: 'failing'; readonly since: number; readonly error: DataDiskError | EtcdUnavailableError };

export type DiskStateListener = (state: DiskState) => void;

/** lmdb-js rejects a failed commit with an error carrying `commitError`, a promise of the cause. */
export function isFailedCommit(error: unknown): error is Error & { commitError: Promise<unknown> } {
  return error instanceof Error && 'commitError' in error && error.commitError instanceof Promise;
}

/**
 * The cause lmdb-js gives for a failed commit, as a DataDiskError (full when the errno says so, or an EIO on a filesystem with
 * no space left).
 */
export async function commitFailure(error: Error & { commitError: Promise<unknown> }, dataDir: string): Promise<DataDiskError> {
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
  const full = code !== null && (FULL_CODES.has(code) || (code === EIO && noSpaceLeft(dataDir)));
  return new DataDiskError(code, full, { cause: cause ?? error });
}

function noSpaceLeft(dir: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize < 1024 * 1024; // less than a MiB left: no commit of any size is sure to fit
  } catch {
    return false;
  }
}
