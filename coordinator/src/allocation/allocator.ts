// Allocation with MAAS reservation semantics, made race-free. Among READY machines matching the
// constraints: first those reserved for the caller, then for the caller's groups, then unreserved;
// smallest fit first (cost = cores + memory GiB), ties by id (on etcd, by id from this
// coordinator's start share: start-share.ts; alone, from the first). The choice and the assignment happen
// in one write transaction (store.ts: callbacks run one at a time, each seeing every earlier
// write), so no machine is ever given to two callers. When nothing fits, the exhaustion report is
// computed afterwards, outside the transaction.
import { machineCost, type Machine } from '../machines/machine.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import type { MachineTable } from '../store/machine-table.js';
import { idAtShare, readySummary, type ReadySummary } from '../store/ready-index.js';
import type { Store } from '../store/store.js';
import { isHeldBy, requireWriter } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { matcher, type AllocationConstraints } from './constraints.js';
import { AllocationCancelledError, NoMachineAvailableError } from './errors.js';
import { exhaustionCounts } from './exhaustion-report.js';

export interface AllocateOptions {
  readonly dryRun: boolean;
  readonly annotations: Readonly<Record<string, string>>;
  readonly reason: string;
  /** Checked inside the transaction: a caller that has gone away is not given a machine. */
  readonly cancelled: () => boolean;
}

type Outcome = { kind: 'allocated'; machine: Machine } | { kind: 'none' } | { kind: 'cancelled' };

export interface AllocatorDeps {
  readonly store: Store;
  readonly table: MachineTable;
  readonly writer: MachineWriter;
  /** Where among machines of one cost this coordinator starts (0 <= share < 1; start-share.ts). Default 0: id order. */
  readonly startShare?: () => number;
}

export class Allocator {
  constructor(private readonly deps: AllocatorDeps) {}

  async allocate(principal: Principal, constraints: AllocationConstraints, options: AllocateOptions): Promise<Machine> {
    requireWriter(principal, 'allocate machines');
    if (options.dryRun) {
      const preview = this.choose(principal, constraints);
      if (!preview) throw new NoMachineAvailableError(exhaustionCounts(this.deps.table, principal, constraints));
      return this.deps.table.get(preview.id) as Machine;
    }
    const outcome = await this.deps.store.write((scope): Outcome => {
      if (options.cancelled()) return { kind: 'cancelled' };
      const choice = this.choose(principal, constraints);
      if (!choice) return { kind: 'none' };
      const machine = this.deps.table.get(choice.id) as Machine;
      const taken = this.deps.writer.transition(scope, principal.user, machine, 'ALLOCATED', 'allocate', options.reason || 'allocated', {
        owner: principal.user,
        annotations: { ...options.annotations },
      });
      return { kind: 'allocated', machine: taken };
    });
    if (outcome.kind === 'cancelled') throw new AllocationCancelledError();
    if (outcome.kind === 'none') throw new NoMachineAvailableError(exhaustionCounts(this.deps.table, principal, constraints));
    return outcome.machine;
  }

  /** The machine `principal` would get now, or null. */
  choose(principal: Principal, constraints: AllocationConstraints): ReadySummary | null {
    const fits = matcher(constraints);
    if (constraints.name) return this.chooseNamed(principal, constraints.name, fits);
    const pool = constraints.pool || null;
    // No machine cheaper than this can satisfy the minimums: start the (cost-ordered) scan there.
    const minCost = constraints.minCores + constraints.minMemoryMib / 1024;
    const { table } = this.deps;
    const fromId = idAtShare(this.deps.startShare?.() ?? 0);
    const first = (holder: string): ReadySummary | null => table.readyFrom(holder, pool, minCost, fromId, fits);
    const own = first(`u:${principal.user}`);
    if (own) return own;
    let best: ReadySummary | null = null;
    for (const group of principal.groups) {
      const candidate = first(`g:${group}`);
      if (candidate && (!best || compareFit(candidate, best) < 0)) best = candidate;
    }
    return best ?? first('');
  }

  private chooseNamed(principal: Principal, name: string, fits: (m: ReadySummary) => boolean): ReadySummary | null {
    const machine = this.deps.table.resolve(name);
    if (!machine || machine.status !== 'READY') return null;
    if (machine.reservedFor !== null && !isHeldBy(principal, machine.reservedFor)) return null;
    const summary = readySummary(machine);
    return fits(summary) ? summary : null;
  }
}

function compareFit(a: ReadySummary, b: ReadySummary): number {
  const cost = machineCost(a) - machineCost(b);
  if (cost !== 0) return cost;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
