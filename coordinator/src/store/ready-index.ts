// The READY index: allocation reads it instead of scanning machines. Every READY machine has two
// entries, both ordered by (cost, id) so the first match in a range is the smallest fit:
//   ['h', holder, cost, id]        all READY machines of one reservation holder
//   ['p', holder, pool, cost, id]  the same, narrowed to one pool
// holder is '' for unreserved machines, 'u:NAME' or 'g:NAME' otherwise. Machines of one holder
// (and pool) and one cost are a cost class: [...prefix, cost] is the common prefix of its keys. The value is a summary
// of the fields constraints look at, so matching never loads the machine record. Cores and memory
// are the values in effect: the BMC's hardware facts where commissioning read them.
import { effectiveCores, effectiveMemoryMib } from '../machines/hardware-facts.js';
import { hasSmartNic, holderKey, machineCost, type Machine } from '../machines/machine.js';

export interface ReadySummary extends Pick<Machine, 'id' | 'hostname' | 'arch' | 'cores' | 'memoryMib' | 'tags' | 'pool' | 'zone'> {
  readonly smartNic: boolean;
}

export type ReadyKey = (string | number)[];

// ordered-binary sorts numbers before strings, so this closes any range of (cost, id) entries.
const RANGE_END = '\uffff';

export function readySummary(machine: Machine): ReadySummary {
  return {
    id: machine.id,
    hostname: machine.hostname,
    arch: machine.arch,
    cores: effectiveCores(machine),
    memoryMib: effectiveMemoryMib(machine),
    tags: machine.tags,
    pool: machine.pool,
    zone: machine.zone,
    smartNic: hasSmartNic(machine),
  };
}

export function readyKeys(machine: Machine): [ReadyKey, ReadyKey] {
  const holder = holderKey(machine.reservedFor);
  const cost = machineCost(machine);
  return [
    ['h', holder, cost, machine.id],
    ['p', holder, machine.pool, cost, machine.id],
  ];
}

/** The range of one cost class's keys from the machine id `fromId` on (fromId '' : the whole class). */
export function classRange(classPrefix: ReadyKey, fromId: string): { start: ReadyKey; end: ReadyKey } {
  return { start: fromId === '' ? classPrefix : [...classPrefix, fromId], end: [...classPrefix, RANGE_END] };
}

/** The cost class of a READY index key: every element but the machine id. */
export function classOf(key: ReadyKey): ReadyKey {
  return key.slice(0, -1);
}

/**
 * The machine id `share` (0 <= share < 1) of the way through the id space. Machine ids are 'm-'
 * and 12 random hex digits (machines/machine-registry.ts), so a point this far through it splits
 * any large enough class of machines in about that proportion; an id of another form only makes
 * the split uneven, never wrong.
 */
export function idAtShare(share: number): string {
  if (!(share > 0)) return '';
  const point = Math.min(Math.floor(share * 2 ** 48), 2 ** 48 - 1);
  return `m-${point.toString(16).padStart(12, '0')}`;
}

/** The key range of one holder's READY machines (optionally one pool) costing >= minCost. */
export function readyRange(holder: string, pool: string | null, minCost = 0): { start: ReadyKey; end: ReadyKey } {
  const prefix = pool === null ? ['h', holder] : ['p', holder, pool];
  return { start: minCost > 0 ? [...prefix, minCost] : prefix, end: [...prefix, RANGE_END] };
}
