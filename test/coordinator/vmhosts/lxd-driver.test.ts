// The lxd power driver's contract with the sequencer (pure, over a scripted channel): Running and
// Stopped are on and off, on/off are idempotent like a BMC's (an instance already in the wanted
// state is a success, whatever LXD said), other failures carry LXD's message, and setting a boot
// device is a no-op success.
import { describe, expect, it } from 'vitest';
import type { Machine } from '../../../coordinator/src/machines/machine.js';
import { lxdPowerDriver, type LxdPowerAction } from '../../../coordinator/src/power/lxd-driver.js';

function scripted(
  status: string,
  fail: Partial<Record<LxdPowerAction, string>> = {},
): { calls: LxdPowerAction[]; driver: ReturnType<typeof lxdPowerDriver> } {
  const calls: LxdPowerAction[] = [];
  const driver = lxdPowerDriver({
    power: (_m, action) => {
      calls.push(action);
      const error = fail[action];
      return error ? Promise.reject(new Error(error)) : Promise.resolve(status);
    },
  });
  return { calls, driver };
}

const target = { machine: { id: 'm-1' } as Machine, password: () => Promise.resolve(null) };
const signal = new AbortController().signal;

describe('lxd power driver', () => {
  it('maps LXD status to power state', async () => {
    expect(await scripted('Running').driver.queryState(target, signal)).toBe('on');
    expect(await scripted('Stopped').driver.queryState(target, signal)).toBe('off');
    expect(await scripted('Frozen').driver.queryState(target, signal)).toBe('unknown');
  });

  it('treats a stop that failed on an instance that is stopped anyway as done', async () => {
    const s = scripted('Stopped', { stop: 'The instance is already stopped' });
    await s.driver.powerOff(target, signal);
    expect(s.calls).toEqual(['stop', 'state']);
  });

  it("passes LXD's error on when the instance is not in the wanted state", async () => {
    await expect(scripted('Stopped', { start: 'Failed to start: no root disk' }).driver.powerOn(target, signal)).rejects.toThrow(
      'Failed to start: no root disk',
    );
  });

  it('cycles a running instance with restart, a stopped one with start; boot devices are a no-op', async () => {
    const on = scripted('Running');
    await on.driver.powerCycle(target, signal);
    expect(on.calls).toEqual(['state', 'restart']);
    const off = scripted('Stopped');
    await off.driver.powerCycle(target, signal);
    expect(off.calls).toEqual(['state', 'start']);
    await off.driver.setBootDevice(target, { device: 'pxe', persistent: false, mode: 'uefi' }, signal);
    expect(off.calls).toHaveLength(2);
  });
});
