// Setting a PF's VF count the way drivers/pci/iov.c sriov_numvfs_store allows:
//   - a count above sriov_totalvfs is ERANGE: refused here before any write;
//   - writing the current count is a no-op: nothing is written;
//   - nonzero -> a different nonzero is EBUSY ("N VFs already enabled. Disable before enabling M
//     VFs"): 0 is written first;
//   - no PF driver, or one without sriov_configure, is ENOENT;
//   - the driver may enable fewer VFs than asked (the kernel only warns): sriov_numvfs is re-read.
// sriov_drivers_autoprobe is written, when configured, before enabling, so host VF drivers bind or
// not as asked. Errnos become typed errors naming the PF here, once.

import type { Logger } from 'pino';
import {
  FewerVfsEnabledError,
  InvalidVfCountError,
  NoSriovDriverError,
  NotSriovPfError,
  SriovWriteError,
  VfCountAboveTotalError,
  VfCountBusyError,
  VfCountOutOfRangeError,
} from './errors.js';
import { readVfs, type VfInfo } from './pf-discovery.js';
import { errnoCode, SysfsReader, type SysfsGap } from './sysfs-attr.js';
import type { SysfsWriter } from './sysfs-writer.js';
import { fsDirWatch, waitForVfs, type DirWatch } from './vf-wait.js';

export interface VfCountOptions {
  /** sriov_drivers_autoprobe before enabling: true/false, or null to leave it as it is. */
  autoprobe: boolean | null;
  /** Fewer VFs enabled than asked is an error (FewerVfsEnabledError) instead of a reported fact. */
  strict: boolean;
  /** Wait for VF netdevs: 'auto' waits only when autoprobe is on (no driver binds otherwise). */
  waitForNetdevs: boolean | 'auto';
  /** Upper bound on waiting for virtfn links and VF netdevs. */
  waitTimeoutMs: number;
  /** Fallback re-check period where fs.watch sees no sysfs changes. */
  recheckMs: number;
}

export const DEFAULT_VF_COUNT_OPTIONS: Readonly<VfCountOptions> = Object.freeze({
  autoprobe: null,
  strict: false,
  waitForNetdevs: 'auto',
  waitTimeoutMs: 30_000,
  recheckMs: 250,
});

/** Options compiled once: defaults filled in, bounds checked, frozen. */
export function compileVfCountOptions(partial: Partial<VfCountOptions> = {}): Readonly<VfCountOptions> {
  const options = { ...DEFAULT_VF_COUNT_OPTIONS, ...partial };
  if (!(options.waitTimeoutMs > 0)) throw new RangeError(`waitTimeoutMs must be positive, got ${options.waitTimeoutMs}`);
  if (!(options.recheckMs > 0)) throw new RangeError(`recheckMs must be positive, got ${options.recheckMs}`);
  return Object.freeze(options);
}

/** One write made, in order. */
export interface SysfsWrite {
  attribute: 'sriov_numvfs' | 'sriov_drivers_autoprobe';
  value: string;
}

export interface VfCountResult {
  pf: string;
  requested: number;
  previous: number;
  /** sriov_numvfs read back after the write. */
  enabled: number;
  /** The driver enabled fewer than asked (reported; an error only with strict). */
  fewerThanRequested: boolean;
  writes: SysfsWrite[];
  /** VF 0..enabled-1 as they stand after the wait. */
  vfs: VfInfo[];
}

export class VfCounter {
  private readonly reader: SysfsReader;
  /** The tail of each PF's queue of set() calls. */
  private readonly perPf = new Map<string, Promise<void>>();

  constructor(
    readonly sysfsRoot: string,
    private readonly writer: SysfsWriter,
    private readonly log: Logger,
    /** How the wait watches sysfs dirs (fs.watch); the bounded re-check runs either way. */
    private readonly dirWatch: DirWatch = fsDirWatch,
  ) {
    this.reader = new SysfsReader(sysfsRoot);
  }

  /**
   * Sets the PF's VF count. Calls for the same PF run one after another (a second call reads the
   * count the first left), so the read-then-write sequence never races itself into EBUSY.
   */
  async set(pf: string, requested: number, partial: Partial<VfCountOptions> = {}): Promise<VfCountResult> {
    const before = this.perPf.get(pf) ?? Promise.resolve();
    const run = before.then(() => this.setNow(pf, requested, partial));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.perPf.set(pf, tail);
    void tail.then(() => {
      if (this.perPf.get(pf) === tail) this.perPf.delete(pf);
    });
    return run;
  }

  private async setNow(pf: string, requested: number, partial: Partial<VfCountOptions>): Promise<VfCountResult> {
    const options = compileVfCountOptions(partial);
    if (!Number.isInteger(requested) || requested < 0 || requested > 0xffff) throw new InvalidVfCountError(pf, requested);
    const started = Date.now();
    const dev = `class/net/${pf}/device`;
    const gaps: SysfsGap[] = [];
    const totalVfs = await this.reader.int(`${dev}/sriov_totalvfs`, gaps);
    if (totalVfs === null) throw new NotSriovPfError(pf, `${dev}/sriov_totalvfs ${gaps[0]?.code ?? 'missing'}`);
    const previous = await this.reader.int(`${dev}/sriov_numvfs`, gaps);
    if (previous === null) throw new NotSriovPfError(pf, `${dev}/sriov_numvfs ${gaps.at(-1)?.code ?? 'missing'}`);
    if (requested > totalVfs) throw new VfCountAboveTotalError(pf, requested, totalVfs);

    const writes: SysfsWrite[] = [];
    if (requested === previous) {
      this.log.info({ pf, vfs: requested }, 'VF count already as requested; nothing written');
      return { pf, requested, previous, enabled: previous, fewerThanRequested: false, writes, vfs: await readVfs(this.reader, dev, []) };
    }

    if (previous !== 0 && requested !== 0) await this.write(pf, dev, 'sriov_numvfs', '0', requested, writes);
    let autoprobe = await this.reader.int(`${dev}/sriov_drivers_autoprobe`, []);
    if (requested !== 0 && options.autoprobe !== null) {
      const wanted = options.autoprobe ? 1 : 0;
      if (autoprobe !== wanted) await this.write(pf, dev, 'sriov_drivers_autoprobe', String(wanted), requested, writes);
      autoprobe = wanted;
    }
    await this.write(pf, dev, 'sriov_numvfs', String(requested), requested, writes);

    const readBack = await this.reader.int(`${dev}/sriov_numvfs`, gaps);
    const enabled = readBack ?? requested;
    const fewerThanRequested = enabled < requested;
    if (fewerThanRequested) {
      this.log.warn({ pf, requested, enabled }, 'driver enabled fewer VFs than requested');
      if (options.strict) throw new FewerVfsEnabledError(pf, requested, enabled);
    }

    // autoprobe unknown (attribute missing: old kernel) behaves as the kernel default, on.
    const netdevs = options.waitForNetdevs === 'auto' ? autoprobe !== 0 : options.waitForNetdevs;
    const vfs =
      enabled === 0
        ? await readVfs(this.reader, dev, [])
        : await waitForVfs({
            reader: this.reader,
            pf,
            pfDeviceRel: dev,
            count: enabled,
            netdevs,
            timeoutMs: options.waitTimeoutMs,
            recheckMs: options.recheckMs,
            watch: this.dirWatch,
          });
    this.log.info({ pf, previous, requested, enabled, writes: writes.length, durationMs: Date.now() - started }, 'VF count set');
    return { pf, requested, previous, enabled, fewerThanRequested, writes, vfs };
  }

  private async write(
    pf: string,
    dev: string,
    attribute: SysfsWrite['attribute'],
    value: string,
    requested: number,
    writes: SysfsWrite[],
  ): Promise<void> {
    const started = Date.now();
    try {
      await this.writer.write(this.reader.abs(`${dev}/${attribute}`), value);
    } catch (err) {
      this.log.warn({ pf, attribute, value, code: errnoCode(err), durationMs: Date.now() - started }, 'sysfs write failed');
      throw await this.typedError(pf, dev, attribute, value, requested, err);
    }
    writes.push({ attribute, value });
    this.log.debug({ pf, attribute, value, durationMs: Date.now() - started }, 'sysfs write');
  }

  private async typedError(
    pf: string,
    dev: string,
    attribute: SysfsWrite['attribute'],
    value: string,
    requested: number,
    err: unknown,
  ): Promise<Error> {
    const code = errnoCode(err);
    if (attribute === 'sriov_numvfs') {
      if (code === 'EBUSY') return new VfCountBusyError(pf, requested, { cause: err });
      if (code === 'ERANGE') return new VfCountOutOfRangeError(pf, requested, { cause: err });
      if (code === 'ENOENT') {
        const driver = await this.reader.linkName(`${dev}/driver`, []);
        return new NoSriovDriverError(pf, driver, { cause: err });
      }
    }
    return new SriovWriteError(pf, attribute, value, code, { cause: err });
  }
}
