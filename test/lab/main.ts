// npm run lab [-- --once] [--no-vm]
//
// A whole Mooring fleet on one machine, on 127.0.0.1 only, in one private temp directory: a
// coordinator, and three simulated bare-metal machines, each an ipmi_sim BMC and a smartNIC with its
// own ovsdb-server + ovs-vswitchd (dummy datapath) and a mooring-agent. The lab tells the story in
// story.ts through moorctl, ovs-vsctl and ipmitool, printing every command. Unless --no-vm, the VM
// chapter (vm-chapter.ts) follows: a real image deployed to three QEMU VMs, each behind a netdev
// smartNIC of its own (Geneve between them), with a coordinator and OVN of its own, and pings between
// them; its only marks on the host's network are three links (veth) with addresses of an unused
// 198.18.x.0/24 each, the provisioning and two tenant gateways, gone when it stops.
// Then the lab prints how to reach the coordinator and the agents and stays up until SIGINT (Ctrl-C),
// SIGTERM or SIGHUP, and stops everything it started. With --once it exits after the story: 0 when
// every step's outcome was right, 1 naming the step that failed. It never touches the host's own OVS
// or LXD.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Lab } from './lab.js';
import { createProgress, type Progress } from './progress.js';
import { reachText } from './reach.js';
import { STORY } from './story.js';
import { VM_CHAPTER } from './vm-chapter.js';

const USAGE =
  'usage: npm run lab [-- --once] [--no-vm]\n' +
  '  --once   tell the story, stop everything and exit (0 on success, 1 naming the failed step)\n' +
  '  --no-vm  leave out the VM chapter (three QEMU VMs deployed with a real image through the whole flow; minutes under TCG)\n';
const values = (() => {
  try {
    return parseArgs({
      options: {
        once: { type: 'boolean', default: false },
        'no-vm': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
/** The story, and the VM chapter after it unless --no-vm. */
const steps = values['no-vm'] ? STORY : [...STORY, ...VM_CHAPTER];

// After SIGHUP (the terminal closed) writes fail with EIO; the lab must still stop everything.
process.stdout.on('error', () => undefined);

// grpc-js warns when it sends an IP address as the TLS server name; the lab's output is for people.
process.removeAllListeners('warning');

class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

let signalled: NodeJS.Signals | undefined;
const interrupted = new Promise<never>((_, reject) => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (signalled) return; // already stopping
      signalled = signal;
      reject(new Interrupted(signal));
    });
  }
});
interrupted.catch(() => undefined);

async function shutdown(lab: Lab, progress: Progress, code: number): Promise<never> {
  progress.say('\nstopping the lab ...');
  try {
    await lab.stop();
    progress.say('lab stopped: every process it started has exited and its directory is removed');
  } catch (err) {
    progress.say(`lab: ${err instanceof Error ? err.message : String(err)}`);
    code ||= 1;
  }
  process.exit(code);
}

/** Runs the story; resolves with the failure (the step and why), or undefined when every step succeeded. */
async function tell(lab: Lab, progress: Progress): Promise<{ step: string; reason: string; signal?: NodeJS.Signals } | undefined> {
  for (const [i, step] of steps.entries()) {
    progress.begin(i + 1, steps.length, step.title);
    try {
      await Promise.race([step.run(lab), interrupted]);
      progress.end({ ok: true });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      progress.end({ ok: false, reason });
      return { step: `${i + 1}/${steps.length} (${step.title})`, reason, ...(err instanceof Interrupted ? { signal: err.signal } : {}) };
    }
  }
  return undefined;
}

const progress = createProgress();
const lab = await Lab.create(progress);
// Whatever goes wrong unexpectedly, the lab still stops what it started.
const crashed = (err: unknown): void => {
  progress.say(`\nlab: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(lab, progress, 1);
};
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);
const vmToo = values['no-vm'] ? '' : ', then three QEMU VMs deployed for real';
progress.say(`Mooring lab: a coordinator and three machines behind smartNICs, on 127.0.0.1 only${vmToo}; files in ${lab.dir}`);
const failure = await tell(lab, progress);
if (failure?.signal) await shutdown(lab, progress, 128 + os.constants.signals[failure.signal]);
if (failure) {
  progress.say(`\nlab: step ${failure.step} failed: ${failure.reason}`);
  await shutdown(lab, progress, 1);
}
progress.say('\nlab story complete');
if (values.once) await shutdown(lab, progress, 0);

// Stay up until a signal; a coordinator that exits on its own ends the lab too.
const ended = Promise.race([interrupted.catch(() => 'signal' as const), lab.coordinator.exited]);
progress.say(await reachText(lab));
const how = await ended;
if (how !== 'signal' && !signalled) {
  progress.say(`\nlab: the coordinator exited (${how}) on its own`);
  await shutdown(lab, progress, 1);
}
await shutdown(lab, progress, 0);
