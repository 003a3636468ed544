// Changes that go into a caller's next write instead of each committing alone. A BIOS-halt
// sequence stores each step's outcome in one write (its record and event); what the step proved
// on the way (the power state a power call leaves, recorded by power-state-recorder.ts for every
// caller) is stored in that same write, so a step costs one durable commit, not two. The caller
// runs the step inside collectStepWrites(into, ...); parts that would write on their own ask
// collectingStepWrites() and, when it answers, add their change to it instead. A crash before the
// caller's write loses the change with the step's outcome, and the step runs again.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WriteScope } from './store-backend.js';

export class StepWrites {
  private readonly changes: ((scope: WriteScope) => void)[] = [];

  add(change: (scope: WriteScope) => void): void {
    this.changes.push(change);
  }

  /**
   * Runs the changes added so far, in order, inside the caller's write (`scope`). A write's change
   * may run more than once (a group that ran again apart, an etcd batch that conflicted), so this
   * does each time: the changes read what they change inside the write.
   */
  applyIn(scope: WriteScope): void {
    for (const change of this.changes) change(scope);
  }
}

const collecting = new AsyncLocalStorage<StepWrites>();

/** Runs `work` with the changes parts of it defer (collectingStepWrites) added to `into`. */
export function collectStepWrites<T>(into: StepWrites, work: () => Promise<T>): Promise<T> {
  return collecting.run(into, work);
}

/** Where the work the caller runs in collects deferred changes, if it does. */
export function collectingStepWrites(): StepWrites | undefined {
  return collecting.getStore();
}
