// Machine records and every index over them, kept consistent in one place: `save` and `remove`
// run inside a write transaction and update the record, the hostname index, the status index, the
// READY index and the member index together.
import type { Machine, MachineStatus } from '../machines/machine.js';
import { memberIndexKeys, memberIndexMoved, mergeIds, shareRange } from './member-index.js';
import { classOf, classRange, readyKeys, readyRange, readySummary, type ReadyKey, type ReadySummary } from './ready-index.js';
import type { Tables } from './tables.js';

export class MachineTable {
  constructor(private readonly tables: Tables) {}

  get(id: string): Machine | undefined {
    return this.tables.machines.get(id) as Machine | undefined;
  }

  /** By id, else by hostname. */
  resolve(idOrHostname: string): Machine | undefined {
    const byId = this.get(idOrHostname);
    if (byId) return byId;
    const id = this.tables.hostnames.get(idOrHostname);
    return id === undefined ? undefined : this.get(id);
  }

  hostnameTaken(hostname: string): boolean {
    return this.tables.hostnames.get(hostname) !== undefined;
  }

  /** Writes `after` over `before` (null for a new machine). Call inside a write transaction. */
  save(before: Machine | null, after: Machine): void {
    const { machines, hostnames, statusIndex, readyIndex, memberIndex } = this.tables;
    const membersMoved = !before || memberIndexMoved(before, after);
    if (before) {
      if (before.hostname !== after.hostname) hostnames.removeSync(before.hostname);
      if (before.status !== after.status) statusIndex.removeSync([before.status, before.id]);
      if (before.status === 'READY') for (const key of readyKeys(before)) readyIndex.removeSync(key);
      if (membersMoved) for (const key of memberIndexKeys(before)) memberIndex.removeSync(key);
    }
    machines.putSync(after.id, after);
    if (!before || before.hostname !== after.hostname) hostnames.putSync(after.hostname, after.id);
    if (!before || before.status !== after.status) statusIndex.putSync([after.status, after.id], null);
    if (membersMoved) for (const key of memberIndexKeys(after)) memberIndex.putSync(key, null);
    if (after.status === 'READY') {
      const summary = readySummary(after);
      for (const key of readyKeys(after)) readyIndex.putSync(key, summary);
    }
  }

  /** Call inside a write transaction. */
  remove(machine: Machine): void {
    const { machines, hostnames, statusIndex, readyIndex, memberIndex, secrets } = this.tables;
    if (machine.status === 'READY') for (const key of readyKeys(machine)) readyIndex.removeSync(key);
    for (const key of memberIndexKeys(machine)) memberIndex.removeSync(key);
    statusIndex.removeSync([machine.status, machine.id]);
    hostnames.removeSync(machine.hostname);
    secrets.removeSync(machine.id);
    machines.removeSync(machine.id);
  }

  /** Machines in id order after `afterId`, optionally of one status. */
  *list(filter: { status: MachineStatus | null; afterId: string }): Generator<Machine> {
    if (filter.status === null) {
      for (const { value } of this.tables.machines.getRange({ start: filter.afterId, snapshot: false })) {
        const machine = value as Machine;
        if (machine.id !== filter.afterId) yield machine;
      }
      return;
    }
    const status = filter.status;
    const range = this.tables.statusIndex.getKeys({ start: [status, filter.afterId], end: [status, '\uffff'] });
    for (const [, id] of range) {
      if (id === filter.afterId) continue;
      const machine = this.get(id);
      if (machine) yield machine;
    }
  }

  /**
   * Machines in id order after `afterId` under any of `shares` (member-index.ts), read from the
   * member index by status or pool when `filter` names one. Other fields of `filter` are the
   * caller's to check; this yields every machine of the shares that matches status and pool.
   */
  *listShares(
    shares: readonly string[],
    filter: { readonly status: MachineStatus | null; readonly pool: string | null; readonly afterId: string },
  ): Generator<Machine> {
    const streams = shares.map((share) => {
      const range = shareRange(share, filter, filter.afterId);
      return lastElements(this.tables.memberIndex.getKeys({ ...range, snapshot: false }));
    });
    for (const id of mergeIds(streams)) {
      if (id === filter.afterId) continue;
      const machine = this.get(id);
      if (machine) yield machine;
    }
  }

  countByStatus(status: MachineStatus): number {
    return this.tables.statusIndex.getKeysCount({ start: [status, ''], end: [status, '\uffff'] });
  }

  /** How many machines of `status` sit under `share` in the member index (member-index.ts). */
  countShare(share: string, status: MachineStatus): number {
    return this.tables.memberIndex.getKeysCount(shareRange(share, { status, pool: null }, ''));
  }

  /** READY machines of one holder (optionally one pool) costing at least minCost, smallest first. */
  *ready(holder: string, pool: string | null, minCost = 0): Generator<ReadySummary> {
    for (const { value } of this.tables.readyIndex.getRange(readyRange(holder, pool, minCost))) yield value as ReadySummary;
  }

  /**
   * The first READY machine of one holder (optionally one pool) costing at least minCost that
   * `fits`: cheapest first, as ready() gives them, but within each cost the first at or after the
   * id `fromId`, wrapping round to the cost's first ('' : plain id order, as ready()). Coordinators
   * sharing an etcd store start at different ids (allocation/start-share.ts), so that they choose
   * different machines: two choosing one would conflict on its compared record, and one would run
   * again (the READY index itself is derived there and records no compare: etcd-derived-indexes.ts).
   */
  readyFrom(holder: string, pool: string | null, minCost: number, fromId: string, fits: (m: ReadySummary) => boolean): ReadySummary | null {
    if (fromId === '') {
      // Each class from its first id, one after the other: the whole range, in one cursor.
      for (const summary of this.ready(holder, pool, minCost)) if (fits(summary)) return summary;
      return null;
    }
    const index = this.tables.readyIndex;
    const whole = readyRange(holder, pool, minCost);
    let start: ReadyKey = whole.start;
    for (;;) {
      const head = firstOf(index.getKeys({ start, end: whole.end, limit: 1 }));
      if (!head) return null;
      const costClass = classOf(head);
      const after = classRange(costClass, fromId);
      for (const { value } of index.getRange(after)) if (fits(value as ReadySummary)) return value as ReadySummary;
      for (const { value } of index.getRange({ start: costClass, end: after.start }))
        if (fits(value as ReadySummary)) return value as ReadySummary;
      start = after.end;
    }
  }

  /** Every READY machine, in index order, for diagnostics (the exhaustion report). */
  *allReady(): Generator<{ holder: string; summary: ReadySummary }> {
    for (const { key, value } of this.tables.readyIndex.getRange({ start: ['h'], end: ['h', '\uffff'] })) {
      yield { holder: key[1] as string, summary: value as ReadySummary };
    }
  }
}

function firstOf<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item;
  return undefined;
}

/** The machine id that ends each member-index key. */
function* lastElements(keys: Iterable<string[]>): Generator<string> {
  for (const key of keys) yield key[key.length - 1]!;
}
