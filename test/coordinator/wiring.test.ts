// The coordinator's wiring (issue 13): building a Coordinator starts nothing (no timer, no
// listener, no write, no server) until start(); and every time the coordinator reads comes from
// its injected Clock — the session hub's heartbeat deadlines, the sequencer's step durations and
// the commissioner's driver timings follow a manual clock, not the wall clock.
import { fabricSource } from '../../coordinator/src/networks/fabric-gate.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentRegistry } from '../../coordinator/src/agents/agent-registry.js';
import { SessionHub, type SessionStream } from '../../coordinator/src/agents/session-hub.js';
import { ManualClock, systemClock } from '../../coordinator/src/clock.js';
import { loadConfig } from '../../coordinator/src/config.js';
import { Coordinator } from '../../coordinator/src/coordinator.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { PowerState } from '../../coordinator/src/machines/machine.js';
import { defaultPowerDrivers } from '../../coordinator/src/power/default-drivers.js';
import { PowerDrivers, type PowerDriver } from '../../coordinator/src/power/power-driver.js';
import { Store } from '../../coordinator/src/store/store.js';
import type { CoordinatorMessage__Output as CoordinatorMessage } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a built coordinator', () => {
  let store: Store | null = null;
  afterEach(async () => {
    vi.useRealTimers();
    await store?.close().catch(() => undefined);
    store = null;
  });

  it('starts no timer, listener, write or server until start(), and starts them all there', async () => {
    const dataDir = tempDir('mooring-wiring-');
    const config = loadConfig({
      flags: { dataDir, listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', consoleListen: '127.0.0.1:0', logLevel: 'silent' },
      env: {},
    });
    const logger = createLogger('silent');
    store = Store.open(dataDir, logger);
    const opened = store;

    // Timers are counted only while the coordinator is built: the build must create none.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'setImmediate'] });
    const coordinator = new Coordinator({
      config,
      store: opened,
      clock: systemClock,
      logger,
      power: (reach) => defaultPowerDrivers({ config, clock: systemClock, logger, ...reach }),
      network: fabricSource(config, undefined),
    });
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();

    // Nobody listens to the sessions or the event log yet, nothing is written, nothing served.
    expect(['online', 'offline', 'report', 'result'].map((name) => coordinator.sessions.listenerCount(name as 'report'))).toEqual([
      0, 0, 0, 0,
    ]);
    expect(coordinator.events.subscriberCount()).toBe(0);
    expect([...opened.tables.events.getKeys()]).toEqual([]);
    expect([...opened.tables.users.getKeys()]).toEqual([]);
    expect([...opened.tables.pools.getKeys()]).toEqual([]);
    expect(existsSync(join(dataDir, 'admin.token'))).toBe(false);
    expect(existsSync(join(dataDir, 'ca.crt'))).toBe(false);
    expect(() => coordinator.port).toThrow('the coordinator is not serving');
    expect(coordinator.metricsUrl).toBeNull();

    await coordinator.start();
    try {
      expect(coordinator.port).toBeGreaterThan(0);
      expect(coordinator.sessions.listenerCount('report')).toBe(3); // SR-IOV reports, VM hosts, smartNICs' ovn-controller state
      expect(coordinator.sessions.listenerCount('online')).toBe(2); // SR-IOV re-sends; the session count in the coordinator registry
      expect(coordinator.events.subscriberCount()).toBe(2); // the token cache and token watchers; the metrics' step durations
      expect(coordinator.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect([...opened.tables.users.getKeys()]).toEqual(['admin']);
      expect([...opened.tables.pools.getKeys()]).toEqual(['default']);
      expect(existsSync(join(dataDir, 'admin.token'))).toBe(true);
      await expect(coordinator.start()).rejects.toThrow('the coordinator cannot start: it is started');
    } finally {
      await coordinator.close();
      store = null;
    }
    expect(coordinator.sessions.listenerCount('report')).toBe(0);
    expect(coordinator.sessions.listenerCount('online')).toBe(0);
    expect(coordinator.events.subscriberCount()).toBe(0);
    expect(coordinator.metricsUrl).toBeNull();
  });
});

/** The agent's side of one session, in memory: what the hub wrote and why it ended the stream. */
function recordingStream(): SessionStream & { written: CoordinatorMessage[]; ended: string[] } {
  const written: CoordinatorMessage[] = [];
  const ended: string[] = [];
  return { written, ended, write: (message) => void written.push(message), end: (reason) => void ended.push(reason) };
}

describe('the session hub', () => {
  let store: Store;
  let hub: SessionHub;
  const clock = new ManualClock();

  beforeAll(async () => {
    store = Store.open(tempDir('mooring-hub-clock-'), createLogger('silent'));
    const events = new EventLog(store.tables, clock);
    const registry = new AgentRegistry({ store, events, clock });
    await store.write((scope) => registry.enrolled(scope, 'dpu-1', 'smartnic', 'serial-1', clock.now() + 86_400_000, 'admin'));
    hub = new SessionHub({
      registry,
      options: { heartbeatIntervalMs: 5_000, heartbeatDeadlineMs: 60_000 },
      clock,
      log: createLogger('silent'),
      owner: { coordinator: 'c-test', lease: 'local' },
    });
    hub.start();
  });
  afterAll(async () => {
    hub.close();
    await store.close();
  });

  it('times sessions and heartbeat deadlines by its clock', async () => {
    const stream = recordingStream();
    const epoch = await hub.open('dpu-1', 'serial-1', stream, {
      agentId: 'dpu-1',
      role: 'smartnic',
      version: 'test',
      inventory: null,
      report: null,
    });
    expect(epoch).toBe(1);
    expect(hub.session('dpu-1')?.lastHeartbeatAt).toBe(clock.now());

    clock.advance(30_000);
    hub.onMessage('dpu-1', epoch, { heartbeat: { seq: 1 } });
    expect(hub.session('dpu-1')?.lastHeartbeatAt).toBe(clock.now());

    // 61 s of the hub's clock without a word: the sweep (running since start()) cuts the session,
    // though only milliseconds of real time have passed.
    const offline = new Promise<string>((resolve) => hub.once('offline', (_agent, _epoch, why) => resolve(why)));
    clock.advance(61_000);
    const why = await offline;
    expect(why).toBe('no heartbeat for 61000 ms (deadline 60000 ms)');
    expect(stream.ended).toEqual([why]);
    expect(hub.session('dpu-1')).toBeUndefined();
  });
});

/**
 * A simulated BMC (named manual, the fixture's driver): keeps each machine's power state, and
 * every call takes exactly one second of the coordinator's manual clock.
 */
function clockedBmc(clock: ManualClock): PowerDriver {
  const power = new Map<string, PowerState>();
  const call = <T>(act: () => T): Promise<T> => {
    clock.advance(1_000);
    return Promise.resolve(act());
  };
  return {
    name: 'manual',
    queryState: (target) => call(() => power.get(target.machine.id) ?? 'off'),
    powerOn: (target) => call(() => void power.set(target.machine.id, 'on')),
    powerOff: (target) => call(() => void power.set(target.machine.id, 'off')),
    powerCycle: (target) => call(() => void power.set(target.machine.id, 'on')),
    setBootDevice: () => call(() => undefined),
  };
}

describe('timings in a coordinator on a manual clock', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  let f: CoordinatorFixture;
  let logText = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    f = await startCoordinator({ clock, powerDrivers: new PowerDrivers([clockedBmc(clock)]), logger: createLogger('info', sink) });
  });
  afterAll(async () => f.close());

  it('come from the clock: commissioning durations in the log, sequence step durations in the events', async () => {
    const machine = await f.machine('clocked-1');
    const queried = logText
      .split('\n')
      .filter((line) => line.includes('"power driver queried"'))
      .map((line) => JSON.parse(line) as { machineId: string; durationMs: number });
    expect(queried).toEqual([expect.objectContaining({ machineId: machine.id, durationMs: 1_000 })]);

    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { tags: [] } });
    const deployedFrom = clock.now();
    await f.admin.call('DeploymentService', 'DeployMachine', { machine: machine.id, bootDevice: 'disk' });
    await f.coordinator.sequencer.settled(machine.id);

    const steps = [...f.coordinator.events.since(0)].filter((e) => e.machineId === machine.id && e.kind === 'sequence.step');
    // A machine without smartNIC ports: read the power, set the boot device, power off, power on.
    expect(steps.map((e) => [e.details['step'], e.details['durationMs']])).toEqual([
      ['read-power', '1000'],
      ['set-boot-deploy', '1000'],
      ['restore-off', '1000'],
      ['restore-on', '1000'],
      ['finish', '0'],
    ]);
    expect(steps.map((e) => e.time - deployedFrom)).toEqual([1_000, 2_000, 3_000, 4_000, 4_000]);
  });
});
