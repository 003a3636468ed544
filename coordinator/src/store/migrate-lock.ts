// Whether a process holds an LMDB environment open, from its lock file. LMDB (mdb.c,
// mdb_env_setup_locks) takes a POSIX fcntl lock on the lock file's first byte and keeps a shared
// (READ) lock on it while the environment is open, writers and readers alike; Linux lists every
// POSIX lock in /proc/locks as "N: POSIX ADVISORY READ|WRITE PID MAJ:MIN:INODE START END".
// Parsing is pure; reading /proc/locks is the caller's.

export interface LockHolder {
  readonly pid: number;
  readonly type: 'READ' | 'WRITE';
}

export interface FileIdentity {
  /** stat's dev (Linux's encoded dev_t). */
  readonly dev: number;
  readonly ino: number;
}

/** Linux's dev_t split as /proc/locks prints it (include/linux/kdev_t.h, new_decode_dev). */
export function deviceNumbers(dev: number): { major: number; minor: number } {
  return { major: Math.floor(dev / 256) & 0xfff, minor: (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00) };
}

/** The POSIX locks on `file` in /proc/locks text, except those `exceptPid` holds. */
export function lockHolders(procLocks: string, file: FileIdentity, exceptPid: number): LockHolder[] {
  const { major, minor } = deviceNumbers(file.dev);
  const holders: LockHolder[] = [];
  for (const line of procLocks.split('\n')) {
    // A waiter blocked on a lock is listed as "N: -> POSIX ...": only held locks count.
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8 || fields[1] !== 'POSIX') continue;
    const [, , , type, pidText, where] = fields;
    const parts = where!.split(':');
    if (parts.length !== 3) continue;
    if (parseInt(parts[0]!, 16) !== major || parseInt(parts[1]!, 16) !== minor || Number(parts[2]) !== file.ino) continue;
    const pid = Number(pidText);
    if (pid === exceptPid || (type !== 'READ' && type !== 'WRITE')) continue;
    holders.push({ pid, type });
  }
  return holders;
}
