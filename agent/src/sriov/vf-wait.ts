// Waiting for enabled VFs to show up: the kernel creates virtfnN links while the sriov_numvfs
// write runs, but VF netdevs appear later, when the VF driver probes (protocol-facts 3.1: "VF
// netdevs appear asynchronously"). fs.watch (inotify) on the PF's PCI dir and on class/net wakes
// the check where the filesystem reports changes; real sysfs often does not report kernel-made
// entries to inotify, so a bounded re-check timer backs it up. The whole wait is bounded.

import { watch } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { VfWaitTimeoutError } from './errors.js';
import { readVfs, type VfInfo } from './pf-discovery.js';
import type { SysfsReader } from './sysfs-attr.js';

/** Calls onChange when something in dir changes; throws if dir cannot be watched. */
export type DirWatch = (dir: string, onChange: () => void) => { close(): void };

/** fs.watch (inotify on Linux), not keeping the process alive. */
export const fsDirWatch: DirWatch = (dir, onChange) => {
  const w = watch(dir, { persistent: false }, onChange);
  // A watch that fails later (dir removed) leaves the re-check timer to finish the job.
  w.on('error', () => w.close());
  return w;
};

export interface VfWaitRequest {
  reader: SysfsReader;
  pf: string;
  /** The PF's device dir relative to the root: class/net/<pf>/device. */
  pfDeviceRel: string;
  count: number;
  /** Wait for each VF's netdev too (not when VFs bind to no driver: autoprobe off, vfio-pci). */
  netdevs: boolean;
  timeoutMs: number;
  recheckMs: number;
  /** How directories are watched; fsDirWatch unless a test injects another. */
  watch?: DirWatch;
}

interface Readiness {
  vfs: VfInfo[];
  missingVirtfns: number[];
  missingNetdevs: number[];
}

/** Resolves with VF 0..count-1 once all are present; rejects with VfWaitTimeoutError at the bound. */
export async function waitForVfs(req: VfWaitRequest): Promise<VfInfo[]> {
  const watchDirs = await watchableDirs(req);
  return new Promise<VfInfo[]>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    let last: Readiness | null = null;
    const watchers: { close(): void }[] = [];

    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(recheck);
      for (const w of watchers) w.close();
      outcome();
    };

    // Single-flight: an event during a check asks for one more check after it.
    const check = (): void => {
      if (settled) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      void (async () => {
        try {
          do {
            again = false;
            last = await probe(req);
            if (last.missingVirtfns.length === 0 && last.missingNetdevs.length === 0) {
              const vfs = last.vfs;
              finish(() => resolve(vfs));
            }
          } while (again && !settled);
        } catch (err) {
          finish(() => reject(err instanceof Error ? err : new Error(String(err))));
        } finally {
          checking = false;
        }
      })();
    };

    const deadline = setTimeout(() => {
      const all = Array.from({ length: req.count }, (_, i) => i);
      const state = last ?? { vfs: [], missingVirtfns: all, missingNetdevs: req.netdevs ? all : [] };
      finish(() => reject(new VfWaitTimeoutError(req.pf, req.count, state.missingVirtfns, state.missingNetdevs, req.timeoutMs)));
    }, req.timeoutMs);
    deadline.unref();
    const recheck = setInterval(check, req.recheckMs);
    recheck.unref();

    for (const dir of watchDirs) {
      try {
        watchers.push((req.watch ?? fsDirWatch)(dir, check));
      } catch {
        // Not watchable here (no inotify, a dir that vanished): the re-check covers it.
      }
    }
    check();
  });
}

async function watchableDirs(req: VfWaitRequest): Promise<string[]> {
  const dirs = [req.reader.abs('class/net')];
  try {
    dirs.push(await realpath(req.reader.abs(req.pfDeviceRel)));
  } catch {
    // The PF's device vanished; the probe will report every VF missing until the deadline.
  }
  return dirs;
}

async function probe(req: VfWaitRequest): Promise<Readiness> {
  const vfs = (await readVfs(req.reader, req.pfDeviceRel, [])).filter((vf) => vf.index < req.count);
  const byIndex = new Map(vfs.map((vf) => [vf.index, vf]));
  const missingVirtfns: number[] = [];
  const missingNetdevs: number[] = [];
  for (let i = 0; i < req.count; i++) {
    const vf = byIndex.get(i);
    if (vf === undefined) missingVirtfns.push(i);
    else if (req.netdevs && vf.netdev === null) missingNetdevs.push(i);
  }
  return { vfs, missingVirtfns, missingNetdevs };
}
