// Commissioning is persisted before it acts: a coordinator stopped while a power driver has not
// answered resumes the machine on its next start. The ipmi driver here is a simulation (the real
// drivers arrive with the power-driver issue): it answers only when the test lets it. Also: no
// secret reaches the logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import type { PowerState } from '../../coordinator/src/machines/machine.js';
import { manualPowerDriver, PowerDrivers, type PowerDriver, type PowerTarget } from '../../coordinator/src/power/power-driver.js';
import { startCoordinator } from '../harness/coordinator-fixture.js';

/** A simulated ipmi driver: records the passwords it was given and answers when released. */
function simulatedIpmi(): { driver: PowerDriver; passwords: (string | null)[]; answer: (state: PowerState) => void; asked: Promise<void> } {
  const passwords: (string | null)[] = [];
  let answer: (state: PowerState) => void = () => undefined;
  let asked: () => void = () => undefined;
  const askedPromise = new Promise<void>((resolve) => (asked = resolve));
  const unused = (): Promise<never> => Promise.reject(new Error('commissioning only queries the power state'));
  const driver: PowerDriver = {
    name: 'ipmi',
    async queryState(target: PowerTarget) {
      passwords.push(await target.password());
      asked();
      return new Promise<PowerState>((resolve) => (answer = resolve));
    },
    powerOn: unused,
    powerOff: unused,
    powerCycle: unused,
    setBootDevice: unused,
  };
  return { driver, passwords, answer: (state) => answer(state), asked: askedPromise };
}

describe('commissioning', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mooring-commission-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resumes a machine left COMMISSIONING by a stopped coordinator, and logs no secret', async () => {
    let logText = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    const hanging = simulatedIpmi();
    const first = await startCoordinator({
      dataDir,
      powerDrivers: new PowerDrivers([manualPowerDriver, hanging.driver]),
      logger: createLogger('debug', sink),
    });
    const enlisted = await first.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'slow-bmc',
      arch: 'amd64',
      cores: 8,
      memoryMib: 8192,
      power: { driver: 'POWER_DRIVER_IPMI', address: '10.0.0.8', user: 'root', password: 'pa55-word-xyz' },
    });
    // Its answer never comes: the coordinator stops first. Nobody waits for this call.
    void first.admin.call('MachineService', 'CommissionMachine', { machine: enlisted.id }).catch(() => undefined);
    await hanging.asked;
    expect(hanging.passwords).toEqual(['pa55-word-xyz']);
    expect((await first.admin.call('MachineService', 'GetMachine', { machine: enlisted.id })).status).toBe('MACHINE_STATUS_COMMISSIONING');
    await first.close(); // the driver never answered

    const answering = simulatedIpmi();
    const second = await startCoordinator({
      dataDir,
      powerDrivers: new PowerDrivers([manualPowerDriver, answering.driver]),
      logger: createLogger('debug', sink),
    });
    try {
      await answering.asked; // resumed on start, without anyone asking
      answering.answer('off');
      let machine = await second.admin.call('MachineService', 'GetMachine', { machine: enlisted.id });
      for (let i = 0; i < 100 && machine.status === 'MACHINE_STATUS_COMMISSIONING'; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        machine = await second.admin.call('MachineService', 'GetMachine', { machine: enlisted.id });
      }
      expect(machine.status).toBe('MACHINE_STATUS_READY');
      expect(machine.powerState).toBe('POWER_STATE_OFF');
      const { events } = await second.admin.call('EventService', 'ListEvents', { machine: enlisted.id });
      expect(events.map((e) => `${e.actor} ${e.kind} ${e.fromStatus}->${e.toStatus}`)).toEqual([
        'admin machine.enlisted ->NEW',
        'admin machine.transition NEW->COMMISSIONING',
        // The driver's answer is recorded as it arrives (power-state-recorder.ts), then READY.
        'system machine.power-state ->',
        'system machine.transition COMMISSIONING->READY',
      ]);
    } finally {
      await second.close();
    }
    expect(logText).toContain('NEW -> COMMISSIONING');
    expect(logText).not.toContain('pa55-word-xyz');
  });
});
