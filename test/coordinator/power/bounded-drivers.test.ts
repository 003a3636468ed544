// Bounded concurrency per power driver, against a fake driver whose calls finish only when the test
// resolves them: the number in flight is counted, never timed.
import { describe, expect, it } from 'vitest';
import type { Machine } from '../../../coordinator/src/machines/machine.js';
import { boundedDriver, boundedPowerDrivers } from '../../../coordinator/src/power/bounded-drivers.js';
import { PowerSlotWaitAbortedError } from '../../../coordinator/src/power/errors.js';
import type { PowerDriver, PowerTarget } from '../../../coordinator/src/power/power-driver.js';

interface Pending {
  readonly machineId: string;
  readonly operation: string;
  finish(): void;
}

/** A driver whose every call waits for the test; records the most calls in flight at once. */
function fakeDriver(name: PowerDriver['name'] = 'ipmi'): {
  driver: PowerDriver;
  pending: Pending[];
  maxInFlight: () => number;
  started: string[];
} {
  const pending: Pending[] = [];
  const started: string[] = [];
  let inFlight = 0;
  let max = 0;
  const call = (operation: string, target: PowerTarget): Promise<void> => {
    inFlight++;
    max = Math.max(max, inFlight);
    started.push(`${operation} ${target.machine.id}`);
    return new Promise((resolve) => {
      pending.push({
        machineId: target.machine.id,
        operation,
        finish: () => {
          inFlight--;
          resolve();
        },
      });
    });
  };
  const driver: PowerDriver = {
    name,
    queryState: async (target) => {
      await call('queryState', target);
      return 'on';
    },
    powerOn: (target) => call('powerOn', target),
    powerOff: (target) => call('powerOff', target),
    powerCycle: (target) => call('powerCycle', target),
    setBootDevice: (target) => call('setBootDevice', target),
  };
  return { driver, pending, maxInFlight: () => max, started };
}

function target(id: string): PowerTarget {
  return { machine: { id } as Machine, password: () => Promise.resolve(null) };
}

/** Lets queued promise callbacks run (slot hand-overs are promise resolutions). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('bounded power drivers', () => {
  it('runs at most maxConcurrent calls at once and starts queued calls in order', async () => {
    const fake = fakeDriver();
    const bounded = boundedDriver(fake.driver, 3);
    const signal = new AbortController().signal;
    const calls = Array.from({ length: 10 }, (_, i) => bounded.powerOn(target(`m${i}`), signal));
    await settle();
    expect(fake.pending.length).toBe(3);
    while (fake.pending.length > 0) {
      fake.pending.shift()!.finish();
      await settle();
      expect(fake.pending.length).toBeLessThanOrEqual(3);
    }
    await Promise.all(calls);
    expect(fake.maxInFlight()).toBe(3);
    expect(fake.started).toEqual(Array.from({ length: 10 }, (_, i) => `powerOn m${i}`));
  });

  it('shares the limit across operations of one driver', async () => {
    const fake = fakeDriver();
    const bounded = boundedDriver(fake.driver, 2);
    const signal = new AbortController().signal;
    const calls = [
      bounded.queryState(target('a'), signal),
      bounded.powerOff(target('b'), signal),
      bounded.powerCycle(target('c'), signal),
      bounded.setBootDevice(target('d'), { device: 'bios', persistent: false, mode: 'uefi' }, signal),
    ];
    await settle();
    expect(fake.pending.map((p) => p.operation)).toEqual(['queryState', 'powerOff']);
    fake.pending.shift()!.finish();
    await settle();
    expect(fake.pending.map((p) => p.operation)).toEqual(['powerOff', 'powerCycle']);
    while (fake.pending.length > 0) {
      fake.pending.shift()!.finish();
      await settle();
    }
    await expect(Promise.all(calls)).resolves.toEqual(['on', undefined, undefined, undefined]);
    expect(fake.maxInFlight()).toBe(2);
  });

  it('a queued call whose signal fires leaves the queue and never reaches the driver', async () => {
    const fake = fakeDriver();
    const bounded = boundedDriver(fake.driver, 1);
    const first = bounded.powerOn(target('first'), new AbortController().signal);
    const cancelled = new AbortController();
    const queued = bounded.powerOn(target('queued'), cancelled.signal);
    const third = bounded.powerOn(target('third'), new AbortController().signal);
    await settle();
    cancelled.abort();
    await expect(queued).rejects.toBeInstanceOf(PowerSlotWaitAbortedError);
    await expect(queued).rejects.toMatchObject({ kind: 'deadline-exceeded', machineId: 'queued', maxConcurrent: 1 });
    fake.pending.shift()!.finish();
    await settle();
    expect(fake.pending.map((p) => p.machineId)).toEqual(['third']);
    fake.pending.shift()!.finish();
    await Promise.all([first, third]);
    expect(fake.started).toEqual(['powerOn first', 'powerOn third']);
  });

  it('an already aborted signal is refused at once, and a failing call frees its slot', async () => {
    const failing: PowerDriver = { ...fakeDriver().driver, powerOff: () => Promise.reject(new Error('bmc says no')) };
    const bounded = boundedDriver(failing, 1);
    await expect(bounded.powerOn(target('x'), AbortSignal.abort())).rejects.toBeInstanceOf(PowerSlotWaitAbortedError);
    await expect(bounded.powerOff(target('y'), new AbortController().signal)).rejects.toThrow('bmc says no');
    await expect(bounded.powerOff(target('z'), new AbortController().signal)).rejects.toThrow('bmc says no');
  });

  it('limits each driver separately in PowerDrivers', async () => {
    const ipmi = fakeDriver('ipmi');
    const redfish = fakeDriver('redfish');
    const drivers = boundedPowerDrivers([ipmi.driver, redfish.driver], { redfish: 1 }, 2);
    const signal = new AbortController().signal;
    const calls = ['a', 'b', 'c'].flatMap((id) => [
      drivers.get('ipmi').powerOn(target(id), signal),
      drivers.get('redfish').powerOn(target(id), signal),
    ]);
    await settle();
    expect(ipmi.pending.length).toBe(2);
    expect(redfish.pending.length).toBe(1);
    for (const fake of [ipmi, redfish]) {
      while (fake.pending.length > 0) {
        fake.pending.shift()!.finish();
        await settle();
      }
    }
    await Promise.all(calls);
    expect([ipmi.maxInFlight(), redfish.maxInFlight()]).toEqual([2, 1]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => boundedDriver(fakeDriver().driver, 0)).toThrow(RangeError);
  });
});
