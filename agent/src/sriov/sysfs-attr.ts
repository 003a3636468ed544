// Reading sysfs attributes tolerantly: a missing attribute is an answer (null, and noted as
// missing), not a failure, because drivers and kernels differ in what they expose.

import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** A file a discovery expected but did not find, or could not read. */
export interface SysfsGap {
  /** Path relative to the sysfs root, e.g. class/net/eth0/device/numa_node. */
  file: string;
  /** err.code: ENOENT for missing, or another errno (EACCES, EINVAL, EOPNOTSUPP, EIO). */
  code: string;
}

export function errnoCode(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** Reads one attribute relative to a sysfs root, trimmed; records the gap and returns null on failure. */
export class SysfsReader {
  constructor(readonly root: string) {}

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  async text(rel: string, gaps: SysfsGap[]): Promise<string | null> {
    try {
      return (await readFile(this.abs(rel), 'utf8')).trim();
    } catch (err) {
      gaps.push({ file: rel, code: errnoCode(err) ?? 'UNKNOWN' });
      return null;
    }
  }

  /** A decimal integer attribute; a value that is not one is recorded as EINVAL. */
  async int(rel: string, gaps: SysfsGap[]): Promise<number | null> {
    const text = await this.text(rel, gaps);
    if (text === null) return null;
    const n = Number(text);
    if (text === '' || !Number.isInteger(n)) {
      gaps.push({ file: rel, code: 'EINVAL' });
      return null;
    }
    return n;
  }

  /** The last component of a symlink's target (driver names, PCI addresses of virtfnN/physfn). */
  async linkName(rel: string, gaps: SysfsGap[]): Promise<string | null> {
    try {
      return path.basename(await readlink(this.abs(rel)));
    } catch (err) {
      gaps.push({ file: rel, code: errnoCode(err) ?? 'UNKNOWN' });
      return null;
    }
  }
}
