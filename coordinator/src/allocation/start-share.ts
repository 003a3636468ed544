// Where among equally cheap READY machines a coordinator starts looking (allocator.ts): coordinator
// k of the n live ones, in id order, starts k/n of the way through each cost class's machine ids.
// Coordinators sharing an etcd store then take machines from different parts of a class, so their
// allocations change different machine records and do not conflict (two taking one machine would:
// its record is compared, and one of them would run again). Alone (LMDB,
// or the only live coordinator on etcd) the share is 0: plain id order.

interface LiveSet {
  readonly self: { readonly id: string };
  live(): readonly { readonly id: string }[];
}

export function startShare(registry: LiveSet): number {
  const ids = registry.live().map((entry) => entry.id);
  if (!ids.includes(registry.self.id)) ids.push(registry.self.id);
  ids.sort();
  return ids.indexOf(registry.self.id) / ids.length;
}
