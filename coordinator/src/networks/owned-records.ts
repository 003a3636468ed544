// Reading owned records (networks, security groups) by id and by unique name, as a principal may
// see them: one copy of the lookups both registries answer with.
import type { StoreTable as Database } from '../store/table-api.js';
import type { Principal } from '../tenancy/user.js';
import type { FabricGate } from './fabric-gate.js';
import type { Owner } from './network-records.js';
import { canSee } from './ownership.js';

export interface OwnedRecord {
  readonly name: string;
  readonly owner: Owner;
}

export class OwnedRecords<T extends OwnedRecord> {
  constructor(
    private readonly records: Database<unknown, string>,
    private readonly names: Database<string, string>,
    private readonly fabric: FabricGate,
    private readonly notFound: (name: string) => Error,
  ) {}

  get(id: string): T | undefined {
    return this.records.get(id) as T | undefined;
  }

  byName(name: string): T | undefined {
    const id = this.names.get(name);
    return id === undefined ? undefined : this.get(id);
  }

  all(): T[] {
    return [...this.records.getRange({})].map(({ value }) => value as T);
  }

  /** The record `name` as `principal` sees it: the not-found error when missing or not theirs. */
  visible(principal: Principal, name: string): T {
    this.fabric.require();
    const record = this.byName(name);
    if (!record || !canSee(principal, record.owner)) throw this.notFound(name);
    return record;
  }

  list(principal: Principal): T[] {
    this.fabric.require();
    return this.all()
      .filter((record) => canSee(principal, record.owner))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
