// etcd keeps every revision of every key until the history is compacted, and etcd 3.4 compacts on
// its own only when started with --auto-compaction-retention (off by default). Left alone, every
// allocation, event and sequence step grows etcd's database until it reaches its quota (2 GiB by
// default), and etcd then refuses every write (alarm NOSPACE) until an operator compacts,
// defragments and disarms it. So one coordinator, the holder of this duty (duty-election.ts),
// compacts the cluster every interval to the revision it read one interval before: history
// younger than one interval stays for watchers that fall behind, and a coordinator whose watch
// falls behind a compaction anyway reloads its copy (etcd-replica-feed.ts). The freed pages are
// reused by later writes; giving them back to the file system (defragmentation) stays the
// operator's, since it stalls the member it runs on.
// Compaction is cluster-wide, not per prefix: where the etcd cluster also serves others, the
// operator sets the interval to 0 and compacts from there.
import type { Logger } from '../logger.js';
import { EtcdStore } from '../store/etcd-store.js';
import type { Store } from '../store/store.js';
import type { ActDeadline } from './act-deadline.js';
import type { Duty } from './duty-election.js';

export const DEFAULT_ETCD_COMPACT_INTERVAL_SECONDS = 300;

export interface EtcdCompactionDeps {
  /** etcd's current revision (EtcdStore.latestRevision). */
  readonly latestRevision: () => Promise<number>;
  /** Compacts the cluster's history up to a revision (EtcdStore.compactHistory). */
  readonly compact: (revision: number) => Promise<void>;
  readonly intervalMs: number;
  /** Until when this coordinator may act (its lease): a paused holder that lost it compacts nothing. */
  readonly actDeadline: ActDeadline;
  readonly logger: Logger;
}

export class EtcdCompaction implements Duty {
  private timer: NodeJS.Timeout | null = null;
  /** The revision read at the last tick: the next tick compacts to it. */
  private previous: number | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The revision last compacted to (0: none yet by this coordinator). */
  private compactedTo = 0;

  constructor(private readonly deps: EtcdCompactionDeps) {}

  start(): void {
    if (this.timer) return;
    this.previous = null;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.deps.intervalMs);
    this.timer.unref();
    this.running = this.running.then(() => this.tick());
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.previous = null;
  }

  private async tick(): Promise<void> {
    if (!this.timer) return;
    const { latestRevision, compact, actDeadline, logger } = this.deps;
    try {
      const now = await latestRevision();
      const target = this.previous;
      this.previous = now;
      if (target === null || target <= this.compactedTo || !this.timer || !actDeadline.allows()) return;
      await compact(target);
      this.compactedTo = target;
      logger.info({ revision: target, current: now }, 'etcd history compacted');
    } catch (error) {
      // Another coordinator (or the operator) compacted past it already, or etcd did not answer:
      // the next tick tries again from what it reads then.
      const message = error instanceof Error ? error.message : String(error);
      if (/required revision has been compacted/.test(message)) logger.debug({ err: error }, 'etcd history already compacted further');
      else logger.warn({ err: error }, 'compacting etcd history failed; trying again at the next interval');
    }
  }
}

/** The duty for a coordinator on `store`: none on LMDB, or when the interval is 0 (the operator compacts). */
export function etcdCompactionDuty(store: Store, intervalSeconds: number, actDeadline: ActDeadline, logger: Logger): EtcdCompaction | null {
  if (!(store instanceof EtcdStore) || intervalSeconds === 0) return null;
  return new EtcdCompaction({
    latestRevision: () => store.latestRevision(),
    compact: (revision) => store.compactHistory(revision),
    intervalMs: intervalSeconds * 1000,
    actDeadline,
    logger: logger.child({ component: 'etcd-compaction' }),
  });
}
