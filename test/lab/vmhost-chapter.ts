// The VM host chapter of the lab story: a vmhost agent enrolls, becomes a VM host managing its own
// new LXD project, a container is composed there and becomes a READY machine, and at the end it is
// deleted. Skipped, saying why, where LXD cannot run; the rest of the story does not depend on it.
import type { Lab, LabVmHost } from './lab.js';
import type { LabStep } from './story.js';

const AGENT = 'vmhost-1';
const PROJECT = 'mooring-lab';
const VM = 'vm-lab-1';

function host(lab: Lab): LabVmHost | null {
  if (!lab.vmHost) lab.progress.line(`skipped: ${lab.vmHostSkipped || 'no VM host'}`);
  return lab.vmHost;
}

/** `lxc ARGS` against the VM host's private LXD, as an operator on that host would run it. */
function lxc(lab: Lab, vmHost: LabVmHost, args: readonly string[]): Promise<string> {
  return lab.shell.command('lxc', args, { env: { LXD_DIR: vmHost.lxd.dir } });
}

export const addVmHost: LabStep = {
  title: `Add a VM host with its own LXD project (${PROJECT})`,
  async run(lab) {
    const created = JSON.parse(
      await lab.shell.moorctl(['--json', 'agent', 'token', 'create', '--name', AGENT, '--role', 'vmhost', '--ttl', '1h'], { show: 'none' }),
    ) as { token: string };
    lab.progress.line(`single-use enrollment token for ${AGENT} (role vmhost) created; starting a private LXD daemon and the agent ...`);
    const vmHost = await lab.startVmHost(AGENT, created.token);
    if (!vmHost) {
      lab.progress.line(`skipped: ${lab.vmHostSkipped}`);
      return;
    }
    lab.progress.line(
      `${AGENT}: LXD ${vmHost.lxd.dir}/unix.socket (dir pool, busybox image), agent status ${vmHost.agent.statusUrl}/status`,
    );
    await lab.events.until(
      () => lab.events.events.some((e) => e.kind === 'agent.online' && e.details['agent'] === AGENT),
      120_000,
      `${AGENT} ONLINE`,
    );
    await lab.shell.moorctl(['agent', 'show', AGENT], { show: (line) => /^(name|role|state|epoch) /.test(line) });
    const out = await lab.shell.moorctl(['vmhost', 'add', '--agent', AGENT, '--project', PROJECT, '--create-project']);
    if (!out.includes(PROJECT)) throw new Error(`vmhost add did not show the project ${PROJECT}`);
    await lxc(lab, vmHost, ['project', 'list', '--format', 'csv']);
  },
};

export const composeVm: LabStep = {
  title: 'Compose a VM (a container here: no KVM) on the VM host',
  async run(lab) {
    const vmHost = host(lab);
    if (!vmHost) return;
    const machine = JSON.parse(
      await lab.shell.moorctl(
        [
          '--json',
          'vm',
          'compose',
          '--host',
          AGENT,
          '--name',
          VM,
          '--cores',
          '1',
          '--memory',
          '256M',
          '--disk',
          '1G',
          '--type',
          'container',
        ],
        { timeoutMs: 240_000, show: 'none' },
      ),
    ) as { id: string; hostname: string; status: string; power?: { driver?: string } };
    vmHost.vm = machine.hostname;
    const status = machine.status.replace('MACHINE_STATUS_', '');
    lab.progress.line(`composed ${machine.hostname}: machine ${machine.id}, ${status}, power driver lxd through ${AGENT}`);
    if (status !== 'READY') throw new Error(`${machine.hostname} is ${status}, not READY`);
    const listed = await lxc(lab, vmHost, ['list', '--project', PROJECT, '--format', 'csv', '--columns', 'nst']);
    if (!listed.includes(VM)) throw new Error(`${VM} is not in LXD project ${PROJECT}`);
    await lab.shell.moorctl(['vmhost', 'show', AGENT]);
  },
};

export const deleteVm: LabStep = {
  title: 'Delete the composed VM (the LXD project stays)',
  async run(lab) {
    const vmHost = host(lab);
    if (!vmHost) return;
    await lab.shell.moorctl(['vm', 'delete', vmHost.vm], { timeoutMs: 240_000 });
    const listed = await lxc(lab, vmHost, ['list', '--project', PROJECT, '--format', 'csv', '--columns', 'n']);
    if (listed.includes(VM)) throw new Error(`${VM} is still in LXD project ${PROJECT}`);
    lab.progress.line(`deleted ${vmHost.vm}: instance and machine gone; project ${PROJECT} left in place`);
  },
};
