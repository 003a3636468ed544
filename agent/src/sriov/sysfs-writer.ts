// The one way SR-IOV code writes sysfs attributes. The kernel enforces rules on writes
// (sriov_numvfs_store returns EBUSY/ERANGE/ENOENT) that plain files cannot, so tests inject a
// simulated writer that applies those rules; production writes with fs.writeFile, whose errors
// carry the kernel's errno as err.code.

import { writeFile } from 'node:fs/promises';

export interface SysfsWriter {
  /** Write `value` to the attribute at `file` (an absolute path, possibly through symlinks). */
  write(file: string, value: string): Promise<void>;
}

/** Writes straight to sysfs. One write(2) per call: sysfs store handlers see the whole value at once. */
export const fsSysfsWriter: SysfsWriter = {
  async write(file: string, value: string): Promise<void> {
    await writeFile(file, value, { flag: 'w' });
  },
};
