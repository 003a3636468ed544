// The coordinator registry on etcd: P/ha/coordinators/<id> holds each coordinator's entry (JSON),
// put with its lease, so etcd deletes it when the lease ends. Each coordinator reads the prefix
// once at a revision and watches it from the next, keeping the live set in memory; a delete (the
// lease expired or was revoked) or a put under a new lease (the same coordinator restarted before
// its old lease expired) tells onGone's listeners that an incarnation is gone.
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { SessionOwner } from '../agents/agent-registry.js';
import type { Logger } from '../logger.js';
import { etcdFailure } from '../store/etcd-errors.js';
import type { CoordinatorEntry, CoordinatorRegistry, EntryChange } from './coordinator-registry.js';

export interface EtcdCoordinatorRegistryDeps {
  readonly client: Etcd3;
  /** The fleet's key prefix (no trailing slash). */
  readonly prefix: string;
  /** This coordinator's entry as it starts (leaseId: the lease its key is put with). */
  readonly entry: CoordinatorEntry;
  readonly logger: Logger;
  /** How long after a change the entry is published again (changes in between are published together). Default 250. */
  readonly publishDelayMs?: number;
}

type RegistryState = { type: 'built' } | { type: 'following'; watcher: Watcher } | { type: 'closed' };

export function coordinatorsPrefix(prefix: string): string {
  return `${prefix}/ha/coordinators/`;
}

export class EtcdCoordinatorRegistry implements CoordinatorRegistry {
  private entry: CoordinatorEntry;
  private readonly entries = new Map<string, CoordinatorEntry>();
  private readonly goneListeners = new Set<(entry: CoordinatorEntry) => void>();
  private readonly joinedListeners = new Set<(entry: CoordinatorEntry) => void>();
  private readonly keyPrefix: string;
  private readonly logger: Logger;
  private readonly publishDelayMs: number;
  private state: RegistryState = { type: 'built' };
  private publishTimer: NodeJS.Timeout | null = null;
  /** The publication under way: the next waits for it, so puts reach etcd in order. */
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: EtcdCoordinatorRegistryDeps) {
    this.entry = deps.entry;
    this.keyPrefix = coordinatorsPrefix(deps.prefix);
    this.logger = deps.logger.child({ component: 'coordinator-registry', coordinatorId: deps.entry.id });
    this.publishDelayMs = deps.publishDelayMs ?? 250;
  }

  get self(): CoordinatorEntry {
    return this.entry;
  }

  async start(): Promise<void> {
    if (this.state.type !== 'built') throw new Error(`the coordinator registry cannot start: it is ${this.state.type}`);
    await this.put(this.entry);
    const page = await this.deps.client
      .getAll()
      .prefix(this.keyPrefix)
      .exec()
      .catch((error: unknown) => {
        throw etcdFailure(error);
      });
    const joined: CoordinatorEntry[] = [];
    for (const kv of page.kvs) {
      const entry = this.decode(kv);
      if (!entry) continue;
      this.entries.set(entry.id, entry);
      joined.push(entry);
    }
    const watcher = await this.deps.client
      .watch()
      .prefix(this.keyPrefix)
      .startRevision(String(Number(page.header.revision) + 1))
      .create();
    watcher.on('data', (response: IWatchResponse) => this.apply(response));
    watcher.on('disconnected', (error) => this.logger.warn({ err: error }, 'registry watch disconnected; the client resumes it'));
    watcher.on('error', (error) => this.logger.error({ err: error }, 'registry watch ended'));
    if (this.isClosed()) {
      await watcher.cancel().catch(() => undefined);
      return;
    }
    this.state = { type: 'following', watcher };
    this.logger.info({ live: [...this.entries.keys()] }, 'coordinator registered');
    for (const entry of joined) this.tell(this.joinedListeners, entry);
  }

  live(): CoordinatorEntry[] {
    return [...this.entries.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  isLive(owner: SessionOwner): boolean {
    return this.entries.get(owner.coordinator)?.leaseId === owner.lease;
  }

  onGone(listener: (entry: CoordinatorEntry) => void): () => void {
    this.goneListeners.add(listener);
    return () => void this.goneListeners.delete(listener);
  }

  onJoined(listener: (entry: CoordinatorEntry) => void): () => void {
    this.joinedListeners.add(listener);
    return () => void this.joinedListeners.delete(listener);
  }

  update(change: EntryChange): void {
    this.entry = { ...this.entry, ...change };
    if (this.publishTimer || this.state.type === 'closed') return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      const entry = this.entry;
      this.publishing = this.publishing
        .then(() => this.put(entry))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'publishing this coordinator’s entry failed'));
    }, this.publishDelayMs);
    this.publishTimer.unref();
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { type: 'closed' };
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    if (state.type === 'following') await state.watcher.cancel().catch(() => undefined);
    await this.publishing;
  }

  private async put(entry: CoordinatorEntry): Promise<void> {
    await this.deps.client
      .put(`${this.keyPrefix}${entry.id}`)
      .value(JSON.stringify(entry))
      .lease(entry.leaseId)
      .exec()
      .catch((error: unknown) => {
        throw etcdFailure(error);
      });
  }

  private apply(response: IWatchResponse): void {
    for (const event of response.events) {
      const id = event.kv.key.toString().slice(this.keyPrefix.length);
      const previous = this.entries.get(id);
      if (event.type === 'Put') {
        const entry = this.decode(event.kv);
        if (!entry) continue;
        this.entries.set(id, entry);
        if (previous && previous.leaseId !== entry.leaseId) this.gone(previous, `it registered again under lease ${entry.leaseId}`);
        if (!previous || previous.leaseId !== entry.leaseId) this.tell(this.joinedListeners, entry);
      } else {
        this.entries.delete(id);
        if (previous) this.gone(previous, `its lease ${previous.leaseId} ended`);
      }
    }
  }

  private gone(entry: CoordinatorEntry, why: string): void {
    this.logger.info({ gone: entry.id, leaseId: entry.leaseId, why }, 'coordinator gone');
    this.tell(this.goneListeners, entry);
  }

  private tell(listeners: Set<(entry: CoordinatorEntry) => void>, entry: CoordinatorEntry): void {
    for (const listener of listeners) {
      try {
        listener(entry);
      } catch (error) {
        this.logger.error({ err: error, coordinator: entry.id }, 'a coordinator registry listener failed');
      }
    }
  }

  /** An entry as stored, or null (logged) when it is not one. */
  /** A method, not a field test: close() may run during any await. */
  private isClosed(): boolean {
    return this.state.type === 'closed';
  }

  private decode(kv: IKeyValue): CoordinatorEntry | null {
    try {
      const entry = JSON.parse(kv.value.toString()) as CoordinatorEntry;
      if (typeof entry.id === 'string' && typeof entry.leaseId === 'string') return entry;
    } catch {
      // logged below
    }
    this.logger.warn({ key: kv.key.toString() }, 'not a coordinator entry: ignored');
    return null;
  }
}
