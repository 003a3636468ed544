// Errors of `mooring-coordinator migrate`: each names what is wrong (the source dir, the target
// prefix and a key in it, the table and record) and whether anything was written to etcd.
import { StoreError } from './errors.js';

export class MigrateError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrateError';
  }
}

/** The LMDB source cannot be read as a coordinator fleet (missing, damaged, too new, in use). */
export class MigrateSourceError extends MigrateError {
  constructor(
    readonly dir: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`--from lmdb:${dir}: ${problem}; nothing was written to etcd`, options);
    this.name = 'MigrateSourceError';
  }
}

/** The etcd prefix already holds keys: a migration only ever fills an empty prefix. */
export class MigrateTargetNotEmptyError extends MigrateError {
  constructor(
    readonly prefix: string,
    readonly foundKey: string,
    written: boolean,
  ) {
    super(
      `etcd prefix ${prefix} is not empty (it holds ${foundKey}); migrate only writes into an empty prefix: ` +
        `choose another --etcd-prefix or delete the prefix first (etcdctl del --prefix ${prefix}/)` +
        (written ? '. Keys this migration wrote before it found that key are still there' : '; nothing was written'),
    );
    this.name = 'MigrateTargetNotEmptyError';
  }
}

/** The copy in etcd does not match the source (count or checksum of a table). */
export class MigrateVerifyError extends MigrateError {
  constructor(readonly tables: readonly string[]) {
    super(`verification failed: etcd differs from the LMDB source in ${tables.join(', ')}; do not start coordinators on this prefix`);
    this.name = 'MigrateVerifyError';
  }
}
