// npm run lab [-- --once]
//
// A whole Mooring fleet on one machine, on 127.0.0.1 only, in one private temp directory: a
// coordinator, and three simulated bare-metal machines, each an ipmi_sim BMC and a smartNIC with its
// own ovsdb-server + ovs-vswitchd (dummy datapath) and a mooring-agent. The lab tells the story in
// story.ts through moorctl, ovs-vsctl and ipmitool, printing every command; then it prints how to
// reach the coordinator and the agents and stays up until SIGINT (Ctrl-C) or SIGTERM, and stops
// everything it started. With --once it exits after the story: 0 when every step's outcome was
// right, 1 naming the step that failed. It never touches the host's own OVS, LXD or network.
import { parseArgs } from 'node:util';
import { Lab } from './lab.js';
import { createProgress, type Progress } from './progress.js';
import { reachText } from './reach.js';
import { STORY } from './story.js';

const { values } = parseArgs({ options: { once: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } }, strict: true });
if (values.help) {
  process.stdout.write('usage: npm run lab [-- --once]\n  --once  tell the story, stop everything and exit (0 on success, 1 naming the failed step)\n');
  process.exit(0);
}

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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
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
  for (const [i, step] of STORY.entries()) {
    progress.begin(i + 1, STORY.length, step.title);
    try {
      await Promise.race([step.run(lab), interrupted]);
      progress.end({ ok: true });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      progress.end({ ok: false, reason });
      return { step: `${i + 1}/${STORY.length} (${step.title})`, reason, ...(err instanceof Interrupted ? { signal: err.signal } : {}) };
    }
  }
  return undefined;
}

const progress = createProgress();
const lab = await Lab.create(progress);
progress.say(`Mooring lab: a coordinator and three machines behind smartNICs, on 127.0.0.1 only; files in ${lab.dir}`);
const failure = await tell(lab, progress);
if (failure?.signal) await shutdown(lab, progress, failure.signal === 'SIGINT' ? 130 : 143);
if (failure) {
  progress.say(`\nlab: step ${failure.step} failed: ${failure.reason}`);
  await shutdown(lab, progress, 1);
}
progress.say('\nlab story complete');
if (values.once) await shutdown(lab, progress, 0);

progress.say(await reachText(lab));
const coordinatorEnded = lab.coordinator.exited.then((code) => code);
const ended = await Promise.race([interrupted.catch(() => 'signal' as const), coordinatorEnded]);
if (ended !== 'signal' && !signalled) {
  progress.say(`\nlab: the coordinator exited (${ended}) on its own`);
  await shutdown(lab, progress, 1);
}
await shutdown(lab, progress, 0);
