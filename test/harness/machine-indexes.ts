// The machine indexes (status, READY, member) of a store two ways: as the machine records imply
// them, and as the store reads them (LMDB stores them; etcd derives them: store/etcd-derived-indexes.ts).
// Each entry is JSON of [key, value], sorted, so two contents compare with toEqual.
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { memberIndexKeys } from '../../coordinator/src/store/member-index.js';
import { readyKeys, readySummary } from '../../coordinator/src/store/ready-index.js';
import type { Tables } from '../../coordinator/src/store/tables.js';

export interface IndexContents {
  readonly status: string[];
  readonly ready: string[];
  readonly member: string[];
}

export function indexesImplied(tables: Tables): IndexContents {
  const contents = { status: [] as string[], ready: [] as string[], member: [] as string[] };
  for (const { value } of tables.machines.getRange({})) {
    const machine = value as Machine;
    contents.status.push(JSON.stringify([[machine.status, machine.id], null]));
    if (machine.status === 'READY') for (const key of readyKeys(machine)) contents.ready.push(JSON.stringify([key, readySummary(machine)]));
    for (const key of memberIndexKeys(machine)) contents.member.push(JSON.stringify([key, null]));
  }
  return sorted(contents);
}

export function indexesRead(tables: Tables): IndexContents {
  const entries = (table: Tables['statusIndex'] | Tables['readyIndex'] | Tables['memberIndex']): string[] =>
    [...(table as Tables['readyIndex']).getRange({})].map(({ key, value }) => JSON.stringify([key, value]));
  return sorted({ status: entries(tables.statusIndex), ready: entries(tables.readyIndex), member: entries(tables.memberIndex) });
}

function sorted(contents: IndexContents): IndexContents {
  return { status: contents.status.sort(), ready: contents.ready.sort(), member: contents.member.sort() };
}
