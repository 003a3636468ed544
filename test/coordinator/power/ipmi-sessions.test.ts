// Long-lived BMC sessions (ipmitool-sessions.ts) against a real ipmi_sim: a deploy's chassis
// commands share one ipmitool and one RMCP+ session; idle sessions end; and when the session's
// ipmitool is killed mid-command, the BMC stops answering, or ipmi_sim restarts, the command
// fails with a clear error or is retried, and the next command gets a fresh session. ipmitool
// processes are counted by a wrapper that logs each start and execs /usr/bin/ipmitool in place.
// A coordinator that may no longer act (its lease ran out) sends no keep-alive and no command.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import { IpmiUnavailableError } from '../../../coordinator/src/power/errors.js';
import { ipmiDriver } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import { inThreadSessions } from '../../../coordinator/src/power/ipmi/ipmitool-runner.js';
import type { PowerDriver, PowerTarget } from '../../../coordinator/src/power/power-driver.js';
import { ROOT } from '../../harness/cli.js';
import { IpmiSim, ipmiTarget } from '../../harness/ipmi-sim.js';

let sim: IpmiSim;
let scratch: string;
let wrapper: string;
const restarted: ChildProcess[] = [];
const signal = (): AbortSignal => new AbortController().signal;

beforeAll(async () => {
  sim = await IpmiSim.start({ password: 'Session-Secret-41' });
  scratch = await mkdtemp(path.join(tmpdir(), 'mooring-ipmi-sessions-'));
  wrapper = path.join(scratch, 'ipmitool');
  await writeFile(wrapper, `#!/bin/sh\necho "$$ $*" >> '${path.join(scratch, 'starts.log')}'\nexec /usr/bin/ipmitool "$@"\n`);
  await chmod(wrapper, 0o755);
});

afterAll(async () => {
  for (const child of restarted) child.kill('SIGKILL');
  await sim?.stop();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await writeFile(path.join(scratch, 'starts.log'), '');
  await sim.setPower('off');
  await sim.clearCalls();
});

/** ipmitool processes started since the last reset: pid and arguments. */
async function starts(): Promise<{ pid: number; args: string }[]> {
  const text = await readFile(path.join(scratch, 'starts.log'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ pid: Number(line.split(' ')[0]), args: line.slice(line.indexOf(' ') + 1) }));
}

function sessionDriver(
  idleMs = 30_000,
  options: { retries?: number; keepAlives?: number; mayAct?: () => boolean } = {},
): { driver: PowerDriver; sessions: ReturnType<typeof inThreadSessions> } {
  const sessions = inThreadSessions(idleMs, options.keepAlives ?? 0, options.mayAct);
  const driver = ipmiDriver({
    ipmitoolPath: wrapper,
    bmcTimeoutSec: 1,
    retries: options.retries ?? 2,
    retryInitialMs: 20,
    retryMaxMs: 100,
    logger: createLogger('silent'),
    sessions: sessions.run,
  });
  return { driver, sessions };
}

/** The ipmi_sim process serving `sim` (found by its config file in its own dir). */
async function simPid(): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('pgrep', ['-f', `${sim.dir}/lan.conf`], { encoding: 'utf8' });
  return Number(out.trim().split('\n')[0]);
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/\) Z /.test(stat);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The BIOS-halt deploy's chassis calls, with the power state the sequencer knows passed along. */
async function deployCalls(driver: PowerDriver, target: PowerTarget): Promise<void> {
  const known = (state: 'on' | 'off'): PowerTarget => ({ ...target, knownPower: state });
  expect(await driver.queryState(target, signal())).toBe('off');
  await driver.setBootDevice(target, { device: 'bios', persistent: false, mode: 'uefi' }, signal());
  await driver.powerOn(known('off'), signal());
  await driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal());
  await driver.powerOff(known('on'), signal());
  await driver.powerOn(known('off'), signal());
}

describe('ipmitool sessions against ipmi_sim', () => {
  it('runs a whole deploy on one ipmitool and one session, the password never in argv', async () => {
    const { driver, sessions } = sessionDriver();
    try {
      await deployCalls(driver, ipmiTarget(sim));
      expect(await sim.sets()).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
      expect(await sim.bootDevice()).toMatch(/pxe/);
      const runs = await starts();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.args).toMatch(/-E .* exec \/dev\/stdin$/);
      expect(runs[0]!.args).not.toContain('Session-Secret-41');
      expect(sessions.pool.sessionsStarted).toBe(1);
      expect(sessions.pool.open).toBe(1);
    } finally {
      sessions.close();
    }
  });

  it('without sessions the same calls start one ipmitool (and session) per command', async () => {
    const driver = ipmiDriver({ ipmitoolPath: wrapper, bmcTimeoutSec: 1, logger: createLogger('silent') });
    await deployCalls(driver, ipmiTarget(sim));
    expect(await sim.sets()).toEqual(['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1']);
    // status, raw + bootdev, on, raw + bootdev, off, on
    expect(await starts()).toHaveLength(8);
  });

  it('ends an idle session and opens a fresh one for the next command', async () => {
    const { driver, sessions } = sessionDriver(300);
    try {
      expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('off');
      const [first] = await starts();
      await until(async () => !(await alive(first!.pid)), 'the idle ipmitool to exit');
      expect(sessions.pool.open).toBe(0);
      await driver.powerOn(ipmiTarget(sim), signal());
      expect(await sim.power()).toBe('on');
      expect(await starts()).toHaveLength(2);
      expect(sessions.pool.sessionsStarted).toBe(2);
    } finally {
      sessions.close();
    }
  });

  it('keeps an idle session up with power reads, a command resets the count, and it ends once they are spent', async () => {
    const { driver, sessions } = sessionDriver(600, { keepAlives: 2 });
    try {
      const target = ipmiTarget(sim);
      expect(await driver.queryState(target, signal())).toBe('off');
      const [first] = await starts();
      // Past two idle periods: kept up by its keep-alives, not ended (that takes three).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await alive(first!.pid)).toBe(true);
      expect(sessions.pool.open).toBe(1);
      await driver.powerOn({ ...target, knownPower: 'off' }, signal());
      expect(await sim.power()).toBe('on');
      // The keep-alives are reads: the chassis saw one change only.
      expect(await sim.sets()).toEqual(['set power 1']);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(sessions.pool.open).toBe(1);
      await until(async () => !(await alive(first!.pid)), 'the idle ipmitool to exit after its keep-alives');
      expect(sessions.pool.open).toBe(0);
      expect(await starts()).toHaveLength(1);
      expect(sessions.pool.sessionsStarted).toBe(1);
    } finally {
      sessions.close();
    }
  });

  it('once the coordinator may no longer act (lease run out), an idle session ends without a keep-alive; commands fail', async () => {
    // As a coordinator woken from SIGSTOP past its lease: the keep-alive is due, the lease is gone.
    let mayAct = true;
    const { driver, sessions } = sessionDriver(300, { keepAlives: 3, mayAct: () => mayAct });
    try {
      const target = ipmiTarget(sim);
      expect(await driver.queryState(target, signal())).toBe('off');
      const [first] = await starts();
      const calls = (await sim.calls()).length;
      mayAct = false;
      await until(async () => !(await alive(first!.pid)), 'the idle ipmitool to exit');
      expect(sessions.pool.open).toBe(0);
      // Allowed, it would have sent three power reads before ending.
      expect((await sim.calls()).length).toBe(calls);
      await expect(driver.powerOn({ ...target, knownPower: 'off' }, signal())).rejects.toThrow(/ownership lost .*may no longer act/);
      expect(await sim.sets()).toEqual([]);
      expect(await starts()).toHaveLength(1);
    } finally {
      sessions.close();
    }
  });

  it('retries on a fresh session when the session’s ipmitool is killed mid-command', async () => {
    const { driver, sessions } = sessionDriver();
    const bmc = await simPid();
    try {
      expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('off');
      const [first] = await starts();
      // The BMC stops answering, so the next command is still in flight when its ipmitool dies.
      process.kill(bmc, 'SIGSTOP');
      const reading = driver.queryState(ipmiTarget(sim), signal());
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(first!.pid, 'SIGKILL');
      process.kill(bmc, 'SIGCONT');
      expect(await reading).toBe('off');
      expect(await alive(first!.pid)).toBe(false);
      expect(sessions.pool.sessionsStarted).toBe(2);
      expect((await starts()).length).toBe(2);
    } finally {
      process.kill(bmc, 'SIGCONT');
      sessions.close();
    }
  });

  it('fails with a clear error while the BMC does not answer, then opens a fresh session', async () => {
    const { driver, sessions } = sessionDriver(30_000, { retries: 0 });
    const bmc = await simPid();
    try {
      expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('off');
      process.kill(bmc, 'SIGSTOP');
      const error = await driver.powerOn(ipmiTarget(sim), signal()).catch((e: unknown) => e);
      process.kill(bmc, 'SIGCONT');
      expect(error).toBeInstanceOf(IpmiUnavailableError);
      expect((error as Error).message).toMatch(/chassis power status/);
      expect(sessions.pool.open).toBe(0);
      await driver.powerOn(ipmiTarget(sim), signal());
      expect(await sim.power()).toBe('on');
      expect(sessions.pool.sessionsStarted).toBe(2);
    } finally {
      process.kill(bmc, 'SIGCONT');
      sessions.close();
    }
  });

  it('leaves no ipmitool behind when the process that owns the session is killed -9', async () => {
    // The pool from dist/ in a node process of its own (npm test builds first).
    const sessions = pathToFileURL(path.join(ROOT, 'dist/coordinator/src/power/ipmi/ipmitool-sessions.js')).href;
    const program = `
      const { IpmitoolSessions } = await import(${JSON.stringify(sessions)});
      const pool = new IpmitoolSessions(600000);
      const [path, args] = [process.argv[1], JSON.parse(process.argv[2])];
      const command = ['chassis', 'power', 'status'];
      const request = { path, args, password: process.env.BMC_PASSWORD, command, timeoutMs: 20000 };
      const outcome = await pool.run(request, new AbortController().signal);
      process.stdout.write(JSON.stringify(outcome) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const args = ['-I', 'lanplus', '-H', sim.host, '-p', String(sim.port), '-U', sim.user, '-E', '-C', '3', '-N', '1', '-R', '1', '-v'];
    const owner = spawn(process.execPath, ['--input-type=module', '-e', program, wrapper, JSON.stringify(args)], {
      env: { ...process.env, BMC_PASSWORD: sim.password },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    restarted.push(owner);
    const line = await new Promise<string>((resolve) => owner.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(JSON.parse(line)).toMatchObject({ type: 'exited', exitCode: 0, stdout: 'Chassis Power is off\n' });
    const [session] = await starts();
    expect(await alive(session!.pid)).toBe(true);
    owner.kill('SIGKILL');
    // Its input ends with its owner: ipmitool closes the session and exits.
    await until(async () => !(await alive(session!.pid)), 'the orphaned ipmitool to exit');
  });

  it('gets a fresh session when ipmi_sim restarts under an open one', async () => {
    const { driver, sessions } = sessionDriver();
    try {
      expect(await driver.queryState(ipmiTarget(sim), signal())).toBe('off');
      // Restart ipmi_sim on the same port and state: the session the BMC knew is gone.
      const pid = await simPid();
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((a) => a !== '');
      process.kill(pid, 'SIGKILL');
      await until(async () => !(await alive(pid)), 'ipmi_sim to die');
      const child = spawn('ipmi_sim', argv.slice(1), { cwd: sim.dir, stdio: 'ignore' });
      restarted.push(child);
      await until(async () => (await sim.ipmitool('chassis', 'power', 'status')).code === 0, 'the restarted ipmi_sim to answer', 15_000);
      await driver.powerOn(ipmiTarget(sim), signal());
      expect(await sim.power()).toBe('on');
      expect(sessions.pool.sessionsStarted).toBe(2);
    } finally {
      sessions.close();
    }
  });
});
