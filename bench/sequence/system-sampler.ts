// What the whole machine is going through while the bench runs: memory available
// (/proc/meminfo MemAvailable) and the 1-minute load average, sampled once a second; and the
// coordinator's CPU time, its event loop's wait for a CPU and its peak RSS (/proc/<pid>/stat
// utime + stime, /proc/<pid>/schedstat, /proc/<pid>/status VmHWM).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64 and arm64

export function memAvailableMB(): number {
  const kb = Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

function statCpuSeconds(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // Field 2 (comm) is parenthesised and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU time of all the process's threads (not its children). */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU time of the process's main thread (its event loop; thread id = pid). */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * On-CPU seconds of each of the process's threads now, by thread id (/proc/<pid>/task/<tid>/schedstat
 * field 1, in ns: finer than stat's 10 ms ticks). Node names every thread "node"; the main thread's
 * id is the pid.
 */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/);
      threads.set(Number(tid), Number(fields[0]) / 1e9);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** On-CPU seconds of all the process's threads now (the sum of threadCpuSeconds). */
export function schedCpuSeconds(pid: number): number {
  return [...threadCpuSeconds(pid).values()].reduce((sum, s) => sum + s, 0);
}

/**
 * Seconds the process's main thread (the event loop) has spent runnable but waiting for a CPU:
 * /proc/<pid>/schedstat field 2, run_delay in ns (Documentation/scheduler/sched-stats.rst).
 */
export function runQueueWaitSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/);
  return Number(fields[1]) / 1e9;
}

/** The pids of the process's children now (/proc/<pid>/task/<tid>/children, every thread's). */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (text !== '') pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** The coordinator's process launcher (process-launcher-main.ts), if it runs now: its child named so. */
export function launcherPid(coordinatorPid: number): number | null {
  for (const pid of childPids(coordinatorPid)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'mooring-launche') return pid;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return null;
}

/** The processes the coordinator has started and not yet seen end: its children's and the launcher's, the launcher itself not counted. */
export function startedProcesses(coordinatorPid: number): number[] {
  const launcher = launcherPid(coordinatorPid);
  const own = childPids(coordinatorPid).filter((pid) => pid !== launcher);
  return launcher === null ? own : [...own, ...childPids(launcher)];
}

export function peakRssMB(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

export class SystemSampler {
  readonly baselineAvailableMB = memAvailableMB();
  minAvailableMB = this.baselineAvailableMB;
  maxLoad1m = os.loadavg()[0] ?? 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  sample(): void {
    this.minAvailableMB = Math.min(this.minAvailableMB, memAvailableMB());
    this.maxLoad1m = Math.max(this.maxLoad1m, os.loadavg()[0] ?? 0);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
