// ipmitool processes started through the process launcher (the daemon's runner). The launcher runs
// compiled JavaScript, so the runner is loaded from dist/ (npm test builds first).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import { ipmiDriver } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import type { LauncherRunner } from '../../../coordinator/src/power/ipmi/ipmitool-runner.js';
import { ROOT } from '../../harness/cli.js';
import { IpmiSim, ipmiTarget } from '../../harness/ipmi-sim.js';

type RunnerModule = typeof import('../../../coordinator/src/power/ipmi/ipmitool-runner.js');

let sim: IpmiSim;
let runner: LauncherRunner;

beforeAll(async () => {
  const module = (await import(pathToFileURL(join(ROOT, 'dist/coordinator/src/power/ipmi/ipmitool-runner.js')).href)) as RunnerModule;
  runner = module.launcherRunner();
  sim = await IpmiSim.start({ power: 'off' });
});

afterAll(async () => {
  await runner.close();
  await sim.stop();
});

const invocation = (path: string, args: string[]) => ({ path, args, password: 'not-used', timeoutMs: 20_000 });

it('drives a BMC through the launcher exactly as from the calling process', async () => {
  const driver = ipmiDriver({ bmcTimeoutSec: 1, logger: createLogger('silent'), runner: runner.run });
  const target = ipmiTarget(sim, { hostname: 'worker-node' });
  const signal = new AbortController().signal;
  await driver.setBootDevice(target, { device: 'bios', persistent: false, mode: 'uefi' }, signal);
  await driver.powerOn(target, signal);
  expect(await driver.queryState(target, signal)).toBe('on');
  expect(await sim.sets()).toEqual(['set boot bios', 'set power 1']);
});

it('passes the password only through the environment and returns output and exit code', async () => {
  const outcome = await runner.run(
    invocation('/bin/sh', ['-c', 'printf "%s" "$IPMI_PASSWORD"; echo oops >&2; exit 3']),
    new AbortController().signal,
  );
  expect(outcome).toEqual({ type: 'exited', exitCode: 3, stdout: 'not-used', stderr: 'oops\n' });
});

it('starts its processes from the process launcher, not by forking the coordinator', async () => {
  const parent = async (pid: string): Promise<string> => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!;
  };
  const outcome = await runner.run(invocation('/bin/sh', ['-c', 'echo $PPID; sleep 0.1']), new AbortController().signal);
  expect(outcome.type).toBe('exited');
  const launcher = outcome.type === 'exited' ? outcome.stdout.trim() : '';
  expect(launcher).not.toBe(String(process.pid));
  expect(await parent(launcher)).toBe(String(process.pid));
  expect(await readFile(`/proc/${launcher}/comm`, 'utf8')).toBe('mooring-launche\n');
});

it('kills the process when the caller aborts', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const running = runner.run(invocation('/bin/sleep', ['60']), controller.signal);
  setTimeout(() => controller.abort(), 200);
  expect(await running).toEqual({ type: 'aborted' });
  expect(Date.now() - started).toBeLessThan(30_000);
});

it('reports an executable that cannot start, with its errno code', async () => {
  const outcome = await runner.run(invocation('/nonexistent/ipmitool', []), new AbortController().signal);
  expect(outcome.type).toBe('spawn-failed');
  if (outcome.type === 'spawn-failed') expect((outcome.error as NodeJS.ErrnoException).code).toBe('ENOENT');
});

it('keeps one BMC session for a run of chassis commands, and ends it on close', async () => {
  const sessions = (await import(pathToFileURL(join(ROOT, 'dist/coordinator/src/power/ipmi/ipmitool-runner.js')).href)) as RunnerModule;
  const own = sessions.launcherRunner();
  try {
    const driver = ipmiDriver({ bmcTimeoutSec: 1, logger: createLogger('silent'), runner: own.run, sessions: own.runInSession });
    const target = ipmiTarget(sim, { hostname: 'session-node' });
    const signal = new AbortController().signal;
    await sim.setPower('off');
    await sim.clearCalls();
    await driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal);
    await driver.powerOn(target, signal);
    expect(await driver.queryState(target, signal)).toBe('on');
    expect(await sim.sets()).toEqual(['set boot pxe', 'set power 1']);
    expect(own.sessionsStarted()).toBe(1);
  } finally {
    await own.close();
  }
  // A missing ipmitool is reported as one, as for a one-shot run.
  const missing = sessions.launcherRunner();
  try {
    const request = { path: '/nonexistent/ipmitool', args: [], password: 'x', command: ['chassis', 'power', 'status'], timeoutMs: 20_000 };
    expect((await missing.runInSession(request, new AbortController().signal)).type).toBe('spawn-failed');
  } finally {
    await missing.close();
  }
});
