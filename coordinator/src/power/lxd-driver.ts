// The lxd power driver: a machine that is an instance on a VM host is powered through that host's
// agent (lxd_power), which starts or stops the instance in its project. LXD's Running and Stopped
// are on and off. LXD instances have no boot device to choose (a container has no firmware, a VM
// boots its root disk), so setting one is a documented no-op that succeeds: the BIOS-halt
// sequence and deploy run unchanged for VMs.
import type { Machine, PowerState } from '../machines/machine.js';
import type { PowerDriver, PowerTarget } from './power-driver.js';

export type LxdPowerAction = 'start' | 'stop' | 'restart' | 'state';

/** Carries one lxd_power to the machine's VM host agent; resolves with LXD's status (Running, Stopped, ...). */
export interface LxdPowerChannel {
  power(machine: Machine, action: LxdPowerAction, signal: AbortSignal): Promise<string>;
}

export function lxdStatusToPower(status: string): PowerState {
  if (status === 'Running') return 'on';
  if (status === 'Stopped') return 'off';
  return 'unknown';
}

export function lxdPowerDriver(channel: LxdPowerChannel): PowerDriver {
  const act = async (target: PowerTarget, action: LxdPowerAction, signal: AbortSignal): Promise<void> => {
    await channel.power(target.machine, action, signal);
  };
  return {
    name: 'lxd',
    queryState: async (target, signal) => lxdStatusToPower(await channel.power(target.machine, 'state', signal)),
    powerOn: (target, signal) => act(target, 'start', signal),
    powerOff: (target, signal) => act(target, 'stop', signal),
    powerCycle: async (target, signal) => {
      const state = lxdStatusToPower(await channel.power(target.machine, 'state', signal));
      await act(target, state === 'on' ? 'restart' : 'start', signal);
    },
    setBootDevice: () => Promise.resolve(),
  };
}
