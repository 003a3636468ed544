// Claims on work only one coordinator may do: a singleton duty (duty-election.ts) or an in-flight
// sequence (sequence-owners.ts). On etcd a claim is a key P/ha/<kind>/<name> put with the
// coordinator's lease only if absent (one Txn: create_revision == 0), valued with the coordinator
// id: so at most one coordinator holds it, etcd deletes it when that coordinator's lease ends, and
// its create revision fences the holder's writes (store/write-fence.ts). The board follows the
// keys of its kind (a range read, then a watch) to know the holders and to tell of claims freed.
// On LMDB the one coordinator holds every claim: a local board.
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from '../logger.js';
import type { EtcdStore } from '../store/etcd-store.js';
import { etcdFailure } from '../store/etcd-errors.js';
import { successorPrefix } from '../store/etcd-keys.js';
import type { CoordinatorLease } from './coordinator-lease.js';

export interface Claim {
  readonly name: string;
  /** The full etcd key ('' on LMDB) and its create revision ('0' on LMDB). */
  readonly key: string;
  readonly createRevision: string;
}

export interface ClaimBoard {
  /** False on LMDB: this coordinator is the only one, and holds every claim. */
  readonly shared: boolean;
  /** Takes `name` for this coordinator if nobody holds it; null when another does (or the lease is lost). */
  claim(name: string): Promise<Claim | null>;
  /** Gives `claim` up (only if still this coordinator's: same create revision). */
  release(claim: Claim): Promise<void>;
  /** The coordinator id holding `name`, as last seen. */
  holder(name: string): string | undefined;
  /** Calls `listener` with each name whose claim is freed (released, or its holder's lease ended). */
  onFreed(listener: (name: string) => void): () => void;
  /** Learns who holds what (before the first claim). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export class LocalClaimBoard implements ClaimBoard {
  readonly shared = false;
  private readonly held = new Set<string>();
  private readonly listeners = new Set<(name: string) => void>();

  constructor(private readonly coordinatorId: string) {}

  claim(name: string): Promise<Claim | null> {
    if (this.held.has(name)) return Promise.resolve(null);
    this.held.add(name);
    return Promise.resolve({ name, key: '', createRevision: '0' });
  }

  release(claim: Claim): Promise<void> {
    if (this.held.delete(claim.name)) for (const listener of [...this.listeners]) listener(claim.name);
    return Promise.resolve();
  }

  holder(name: string): string | undefined {
    return this.held.has(name) ? this.coordinatorId : undefined;
  }

  onFreed(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const CALL_TIMEOUT_MS = 5000;

export class EtcdClaimBoard implements ClaimBoard {
  readonly shared = true;
  private readonly holders = new Map<string, string>();
  private readonly listeners = new Set<(name: string) => void>();
  private watcher: Watcher | null = null;
  private readonly client: Etcd3;
  private readonly base: string;
  private readonly log: Logger;

  constructor(
    private readonly store: EtcdStore,
    private readonly lease: CoordinatorLease,
    kind: string,
    logger: Logger,
  ) {
    this.client = store.client;
    this.base = `${store.keyPrefix}/ha/${kind}/`;
    this.log = logger.child({ component: 'claims', kind });
  }

  /** Reads who holds what of its kind and follows it from there. */
  start(): Promise<void> {
    return this.follow();
  }

  async claim(name: string): Promise<Claim | null> {
    if (!this.lease.holds() || this.lease.leaseId === 'local') return null;
    const key = Buffer.from(this.base + name, 'latin1');
    const response = await this.client.kv
      .txn(
        {
          compare: [{ key, target: 'Create', result: 'Equal', create_revision: '0' }],
          success: [{ request_put: { key, value: Buffer.from(this.lease.coordinatorId), lease: this.lease.leaseId } }],
          failure: [{ request_range: { key } }],
        },
        { deadline: Date.now() + CALL_TIMEOUT_MS },
      )
      .catch((error: unknown) => {
        throw etcdFailure(error);
      });
    if (!response.succeeded) {
      const kv = response.responses[0]?.response_range.kvs[0];
      if (kv) this.holders.set(name, kv.value.toString());
      return null;
    }
    const revision = response.header.revision;
    this.holders.set(name, this.lease.coordinatorId);
    // What this coordinator reads next (the stored step) must be at least as new as the claim:
    // everything the previous holder committed came before its key was deleted, so before this put.
    await this.store.awaitRevision(Number(revision));
    this.log.info({ name, revision }, 'claimed');
    return { name, key: key.toString('latin1'), createRevision: revision };
  }

  async release(claim: Claim): Promise<void> {
    const key = Buffer.from(claim.key, 'latin1');
    await this.client.kv
      .txn(
        {
          compare: [{ key, target: 'Create', result: 'Equal', create_revision: claim.createRevision }],
          success: [{ request_delete_range: { key } }],
          failure: [],
        },
        { deadline: Date.now() + CALL_TIMEOUT_MS },
      )
      .catch((error: unknown) =>
        this.log.warn({ err: etcdFailure(error), name: claim.name }, 'releasing a claim failed: it ends with the lease'),
      );
  }

  holder(name: string): string | undefined {
    return this.holders.get(name);
  }

  onFreed(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.cancel().catch(() => undefined);
  }

  private async follow(): Promise<void> {
    const start = Buffer.from(this.base, 'latin1');
    const page = await this.client.kv
      .range({ key: start, range_end: successorPrefix(start) }, { deadline: Date.now() + CALL_TIMEOUT_MS })
      .catch((error: unknown) => {
        throw etcdFailure(error);
      });
    for (const kv of page.kvs) this.holders.set(this.nameOf(kv), kv.value.toString());
    const watcher = await this.client
      .watch()
      .prefix(this.base)
      .startRevision(String(Number(page.header.revision) + 1))
      .create();
    watcher.on('put', (kv: IKeyValue) => this.holders.set(this.nameOf(kv), kv.value.toString()));
    watcher.on('delete', (kv: IKeyValue) => {
      const name = this.nameOf(kv);
      this.holders.delete(name);
      for (const listener of [...this.listeners]) listener(name);
    });
    watcher.on('error', (error) => this.log.error({ err: error }, 'the claims watch ended'));
    this.watcher = watcher;
  }

  private nameOf(kv: IKeyValue): string {
    return kv.key.toString('latin1').slice(this.base.length);
  }
}
