// The member index: what a member may see (tenancy/access.ts canSeeMachine), so that a member's
// machine list reads its own share instead of scanning the fleet. Every machine sits under exactly
// one share key:
//   'o:OWNER'         owned by OWNER (invisible to every other member, whatever its reservation)
//   'f:'              nobody owns it and it is unreserved (every member sees it)
//   'f:u:NAME'        nobody owns it, reserved for user NAME
//   'f:g:NAME'        nobody owns it, reserved for group NAME
// A member sees exactly the union of the shares memberShares() names: its owned share, the free
// unreserved one, and the free ones reserved for it or one of its groups. Shares are disjoint, so
// merging them in id order yields each machine once.
// Each machine has three entries, all ending in its id so that a share reads in id order (the
// order and page tokens of the admin listing):
//   ['v', share, id]          the whole share
//   ['s', share, status, id]  narrowed to one status
//   ['p', share, pool, id]    narrowed to one pool
import { holderKey, type Machine, type MachineStatus } from '../machines/machine.js';
import type { Principal } from '../tenancy/user.js';

export type MemberIndexKey = string[];

// ordered-binary sorts any string below this one: it closes a range of ids.
const ID_END = '\uffff';

/** The share of the machines `user` owns. */
export function ownedShare(user: string): string {
  return `o:${user}`;
}

/** The share key of `machine` (see the table above). */
export function shareOf(machine: Pick<Machine, 'owner' | 'reservedFor'>): string {
  return machine.owner !== null ? ownedShare(machine.owner) : `f:${holderKey(machine.reservedFor)}`;
}

/** The shares `principal` (a member) sees, each once. */
export function memberShares(principal: Pick<Principal, 'user' | 'groups'>): string[] {
  const shares = new Set([ownedShare(principal.user), 'f:', `f:u:${principal.user}`]);
  for (const group of principal.groups) shares.add(`f:g:${group}`);
  return [...shares];
}

export function memberIndexKeys(machine: Pick<Machine, 'id' | 'owner' | 'reservedFor' | 'status' | 'pool'>): MemberIndexKey[] {
  const share = shareOf(machine);
  return [
    ['v', share, machine.id],
    ['s', share, machine.status, machine.id],
    ['p', share, machine.pool, machine.id],
  ];
}

/** Whether the index entries of `before` differ from those of `after` (then they are rewritten). */
export function memberIndexMoved(before: Machine, after: Machine): boolean {
  return before.status !== after.status || before.pool !== after.pool || shareOf(before) !== shareOf(after);
}

/** The narrowest range a listing can read: by status when it filters on one, else by pool, else the share. */
export function shareRange(
  share: string,
  filter: { readonly status: MachineStatus | null; readonly pool: string | null },
  afterId: string,
): { start: MemberIndexKey; end: MemberIndexKey } {
  const prefix = filter.status !== null ? ['s', share, filter.status] : filter.pool !== null ? ['p', share, filter.pool] : ['v', share];
  return { start: [...prefix, afterId], end: [...prefix, ID_END] };
}

/**
 * Merges ascending id streams that hold no id twice into one ascending stream. The streams are
 * few (one per share a member sees), so the smallest head is found by a linear pass.
 */
export function* mergeIds(streams: Iterable<string>[]): Generator<string> {
  const heads: { iterator: Iterator<string>; id: string }[] = [];
  for (const stream of streams) {
    const iterator = stream[Symbol.iterator]();
    const first = iterator.next();
    if (!first.done) heads.push({ iterator, id: first.value });
  }
  while (heads.length > 0) {
    let min = 0;
    for (let i = 1; i < heads.length; i++) if (heads[i]!.id < heads[min]!.id) min = i;
    const head = heads[min]!;
    yield head.id;
    const next = head.iterator.next();
    if (next.done) heads.splice(min, 1);
    else head.id = next.value;
  }
}
