// Resource pools and their auto-reservation rule: a machine of the pool that becomes READY while
// unreserved is reserved for the rule's holder in that same transaction (machine-registry.ts).
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import { describeHolder, type Holder, type Machine } from '../machines/machine.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from './access.js';
import { AlreadyExistsError, NotFoundError, PoolInUseError } from './errors.js';
import type { Principal } from './user.js';
import type { UserDirectory } from './user-directory.js';

export const ERASE_MODES = ['quick', 'secure'] as const;
/** How the release sequence cleans a machine's disks: quick (discard, first and last MiB zeroed) or secure. */
export type EraseMode = (typeof ERASE_MODES)[number];
export const DEFAULT_ERASE_MODE: EraseMode = 'quick';

export interface Pool {
  readonly name: string;
  readonly description: string;
  readonly autoReserveFor: Holder | null;
  /** Absent in pools stored before erase modes: quick (eraseModeOf). */
  readonly eraseMode?: EraseMode;
  readonly createdAt: number;
}

/** The pool's erase mode, the default for pools stored without one. */
export function eraseModeOf(pool: Pool): EraseMode {
  return pool.eraseMode ?? DEFAULT_ERASE_MODE;
}

export const DEFAULT_POOL = 'default';

export interface PoolRegistryDeps {
  readonly store: Store;
  readonly users: UserDirectory;
  readonly events: EventLog;
  readonly clock: Clock;
}

export class PoolRegistry {
  constructor(private readonly deps: PoolRegistryDeps) {}

  get(name: string): Pool | undefined {
    return this.deps.store.tables.pools.get(name) as Pool | undefined;
  }

  list(): Pool[] {
    return [...this.deps.store.tables.pools.getRange({})].map(({ value }) => value as Pool);
  }

  /** Throws NotFoundError unless the holder's user or group exists. */
  checkHolder(holder: Holder): void {
    const exists = holder.kind === 'user' ? this.deps.users.getUser(holder.name) : this.deps.users.getGroup(holder.name);
    if (!exists) throw new NotFoundError(holder.kind, holder.name);
  }

  async create(
    actor: Principal,
    request: { name: string; description: string; autoReserveFor: Holder | null; eraseMode?: EraseMode },
  ): Promise<Pool> {
    requireAdmin(actor, 'create pools');
    return this.deps.store.write((scope) => {
      if (this.get(request.name)) throw new AlreadyExistsError('pool', request.name);
      if (request.autoReserveFor) this.checkHolder(request.autoReserveFor);
      const pool: Pool = { ...request, eraseMode: request.eraseMode ?? DEFAULT_ERASE_MODE, createdAt: this.deps.clock.now() };
      this.deps.store.tables.pools.putSync(pool.name, pool);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'pool.created',
        why: request.description,
        details: { pool: pool.name, autoReserveFor: describeHolder(pool.autoReserveFor), eraseMode: eraseModeOf(pool) },
      });
      return pool;
    });
  }

  async setReservation(actor: Principal, name: string, holder: Holder | null): Promise<Pool> {
    requireAdmin(actor, 'change pool reservations');
    return this.deps.store.write((scope) => {
      const pool = this.get(name);
      if (!pool) throw new NotFoundError('pool', name);
      if (holder) this.checkHolder(holder);
      const updated: Pool = { ...pool, autoReserveFor: holder };
      this.deps.store.tables.pools.putSync(name, updated);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'pool.reservation-set',
        why: '',
        details: { pool: name, autoReserveFor: describeHolder(holder) },
      });
      return updated;
    });
  }

  async setEraseMode(actor: Principal, name: string, eraseMode: EraseMode): Promise<Pool> {
    requireAdmin(actor, 'change pool erase modes');
    return this.deps.store.write((scope) => {
      const pool = this.get(name);
      if (!pool) throw new NotFoundError('pool', name);
      const updated: Pool = { ...pool, eraseMode };
      this.deps.store.tables.pools.putSync(name, updated);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'pool.erase-mode-set',
        why: '',
        details: { pool: name, eraseMode, was: eraseModeOf(pool) },
      });
      return updated;
    });
  }

  async delete(actor: Principal, name: string): Promise<void> {
    requireAdmin(actor, 'delete pools');
    await this.deps.store.write((scope) => {
      if (!this.get(name)) throw new NotFoundError('pool', name);
      // A rare admin action: counting the pool's machines by scanning is acceptable here.
      let count = 0;
      for (const { value } of this.deps.store.tables.machines.getRange({})) if ((value as Machine).pool === name) count++;
      if (count > 0) throw new PoolInUseError(name, count);
      this.deps.store.tables.pools.removeSync(name);
      this.deps.events.append(scope, { actor: actor.user, kind: 'pool.deleted', why: '', details: { pool: name } });
    });
  }

  /** Creates the default pool if missing (first start). */
  async ensureDefault(actor: Principal): Promise<void> {
    if (this.get(DEFAULT_POOL)) return;
    await this.create(actor, { name: DEFAULT_POOL, description: 'machines enlisted without a pool', autoReserveFor: null });
  }
}
