// --busy-core: a busy loop pinned to one core while a contender runs, the same for every contender,
// so a benchmark can show how each one fares when the machine is not quiet (a CI neighbour, a
// second build). The loop runs in its own process (taskset pins it to the last core) so it competes
// for the CPU as a neighbour would, not for this process's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

const LOOP = 'for (;;) {}';

export class BusyCore {
  private constructor(
    private readonly child: ChildProcess,
    /** The core the loop is pinned to. */
    readonly core: number,
  ) {}

  /** Starts the loop; resolves once its process runs. */
  static async start(): Promise<BusyCore> {
    const core = availableParallelism() - 1;
    const child = spawn('taskset', ['-c', String(core), process.execPath, '-e', LOOP], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new Error(`--busy-core: cannot start the busy loop (taskset from util-linux): ${err.message}`)));
    });
    return new BusyCore(child, core);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Runs `work` with a busy core beside it when `enabled`, and always stops the loop afterwards. */
export async function withBusyCore<T>(enabled: boolean, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const busy = await BusyCore.start();
  try {
    return await work();
  } finally {
    await busy.stop();
  }
}
