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
  const state = async (target: PowerTarget, signal: AbortSignal): Promise<PowerState> =>
    lxdStatusToPower(await channel.power(target.machine, 'state', signal));
  // On and off are idempotent, as for a BMC: an instance that reached the wanted state anyway (a
  // stop whose clean shutdown finished as LXD was told to force it: "The instance is already
  // stopped") is a success, and any other failure is LXD's own.
  const reach = async (target: PowerTarget, action: 'start' | 'stop', signal: AbortSignal): Promise<void> => {
    try {
      await channel.power(target.machine, action, signal);
    } catch (error) {
      const wanted: PowerState = action === 'start' ? 'on' : 'off';
      if ((await state(target, signal).catch(() => 'unknown')) !== wanted) throw error;
    }
  };
  return {
    name: 'lxd',
    queryState: state,
    powerOn: (target, signal) => reach(target, 'start', signal),
    powerOff: (target, signal) => reach(target, 'stop', signal),
    powerCycle: async (target, signal) => {
      if ((await state(target, signal)) === 'on') await channel.power(target.machine, 'restart', signal);
      else await reach(target, 'start', signal);
    },
    setBootDevice: () => Promise.resolve(),
  };
}
