// Processes a run leaves behind although every host was stopped: AgentProcess.start gives up on an
// agent that has not logged "agent started" within 15 s (easily the case with 50 booting on two
// CPUs) without killing it, so the SimulatedHost never learns of that agent and cannot stop it.
// Every agent of a run has its host's dir in its command line (--data-dir): find those processes
// in /proc and SIGKILL them, each by its pid.
import { readdirSync, readFileSync } from 'node:fs';

/** SIGKILLs every process (not this one) whose command line contains `marker`; returns their pids. */
export function killStragglers(marker: string): number[] {
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (!cmdline.includes(marker)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}
