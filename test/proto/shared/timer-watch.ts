// Which timers are still pending, unref'd ones included: an unref'd timer does not hold the process
// open, so process.getActiveResourcesInfo() does not list it, but a leaked one still fires later.
// async_hooks sees every Timeout from creation to its destroy (when it fired or was cleared). Only
// timers created by this repository's code count: the test runner's own (vitest's RPC to its main
// process arms a timeout per message) come and go on their own schedule, busier under load.
import { createHook, type AsyncHook } from 'node:async_hooks';

export class TimerWatch {
  private readonly live = new Set<number>();
  private readonly hook: AsyncHook;

  /**
   * `calledFrom`: count only timers created while that file is on the stack (a test file whose
   * calls create the timers it watches). Files run before it in the same fork (vitest with
   * isolate: false) may leave this repository's code running, with timers of its own.
   */
  constructor(calledFrom?: string) {
    this.hook = createHook({
      init: (id, type) => {
        if (type === 'Timeout' && !createdByDependency() && (calledFrom === undefined || stackHas(calledFrom))) this.live.add(id);
      },
      destroy: (id) => {
        this.live.delete(id);
      },
    });
    this.hook.enable();
  }

  /** Timers created since the watch started that have neither fired nor been cleared. */
  async pending(): Promise<number> {
    // A cleared timer's destroy hook runs on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    return this.live.size;
  }

  stop(): void {
    this.hook.disable();
  }
}

/** Whether the timer being created comes from an installed package (the innermost frames decide). */
function createdByDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').filter((line) => line.includes('/'));
  const first = frames.find((line) => !line.includes('node:') && !line.includes('timer-watch'));
  return first !== undefined && first.includes('/node_modules/');
}

function stackHas(file: string): boolean {
  return (new Error().stack ?? '').includes(file);
}
