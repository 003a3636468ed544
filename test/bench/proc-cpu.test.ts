// bench:ovs and bench:lxd read each contender's CPU time from /proc/PID/stat (bench/shared/proc-cpu.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cpuMsFromStat, processCpuMs } from '../../bench/shared/proc-cpu.js';

describe('CPU time from /proc/PID/stat', () => {
  it('reads utime + stime past a command name holding spaces and parentheses', () => {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const stat = '4242 (a) b (c)) S 1 4242 4242 0 -1 4194304 120 0 0 0 250 37 0 0 20 0 11 0 100 1000 10';
    expect(cpuMsFromStat(stat, 4242)).toBe(2870);
    // With the children it has waited for: cutime 5 + cstime 8 ticks more.
    const withChildren = '4242 (a) b (c)) S 1 4242 4242 0 -1 4194304 120 0 0 0 250 37 5 8 20 0 11 0 100 1000 10';
    expect(cpuMsFromStat(withChildren, 4242)).toBe(2870);
    expect(cpuMsFromStat(withChildren, 4242, true)).toBe(3000);
    expect(() => cpuMsFromStat('4242 (x) S 1 2', 4242)).toThrow(/4242.*no utime\/stime/);
  });

  it('agrees with what the process itself counts (process.cpuUsage), to the 10 ms tick', async () => {
    // The child burns 300 ms of its own CPU (CPU, not wall time: the load does not matter), says
    // how much it used, then idles.
    const child = spawn(process.execPath, ['-e', SPIN], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(child.stdout.setEncoding('utf8'), 'data')) as [string];
      const said = Number(line.trim());
      expect(said).toBeGreaterThanOrEqual(300);
      const read = processCpuMs(child.pid!);
      // utime and stime are each counted in whole 10 ms ticks: together up to 20 ms short.
      expect(read).toBeGreaterThanOrEqual(said - 20);
      expect(read).toBeLessThanOrEqual(said + 50);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

const SPIN = [
  'const s = process.cpuUsage();',
  'while (process.cpuUsage(s).user < 300_000);',
  'const u = process.cpuUsage();',
  'process.stdout.write(`${(u.user + u.system) / 1000}\\n`);',
  'setInterval(() => {}, 1000);',
].join(' ');
