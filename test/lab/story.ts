// The lab's story, as a list of steps an operator can follow. Each step acts through the commands
// an operator would type (moorctl, ovs-vsctl, ipmitool), prints them, and checks its own outcome,
// so `--once` fails naming the step whose outcome was wrong. A new chapter (a VM host, say) is one
// more entry in STORY.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { portUuid } from '../../coordinator/src/machines/port-id.js';
import type { Lab, LabMachine } from './lab.js';
import { PORT_ID } from './lab.js';
import { isolation, tenantNetworks } from './network-chapter.js';
import { addVmHost, composeVm, deleteVm } from './vmhost-chapter.js';

export interface LabStep {
  readonly title: string;
  run(lab: Lab): Promise<void>;
}

/** The machine reserved for the member's group, enlisted bigger than the others: allocation without the reservation would pick another. */
export const RESERVED = 'node-2';
const MACHINES = 3;
const MEMBER = { user: 'alice', group: 'lab-team' };
const COMMISSION_BOUND_MS = 120_000;
const RELEASE_BOUND_MS = 180_000;

function json<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** moorctl's `key  value` detail lines worth showing for a machine. */
const machineFacts =
  (...keys: string[]) =>
  (line: string): boolean =>
    keys.some((k) => line.startsWith(`${k} `));

const startCoordinator: LabStep = {
  title: 'Start the coordinator',
  async run(lab) {
    const c = await lab.startCoordinator();
    lab.progress.line(
      `coordinator listening on ${c.address} (pid ${c.pid}); its CA and first admin token are in ${path.dirname(lab.caFile)} (mode 0600)`,
    );
    lab.progress.line(
      `moorctl runs below with MOORING_COORDINATOR=${c.address}, MOORING_CA=${lab.caFile} and MOORING_TOKEN read from ` +
        `${lab.adminTokenFile}`,
    );
    await lab.shell.moorctl(['whoami']);
  },
};

const enrolAgents: LabStep = {
  title: 'Enrol three smartNIC agents',
  async run(lab) {
    const tokens: string[] = [];
    for (let i = 1; i <= MACHINES; i++) {
      const created = json<{ token: string; expiresAt: string }>(
        await lab.shell.moorctl(['--json', 'agent', 'token', 'create', '--name', `dpu-${i}`, '--ttl', '1h'], { show: 'none' }),
      );
      tokens.push(created.token);
      lab.progress.line(
        `single-use enrollment token for dpu-${i}, valid until ${created.expiresAt} (not shown: the agent gets it in MOORING_AGENT_TOKEN)`,
      );
    }
    // Each machine: an ipmi_sim BMC, a smartNIC with its own OVS; its agent enrolls while the host
    // is on. The reserved machine is then powered off, so its deployment shows the BIOS-halt.
    lab.progress.line(`starting ${tokens.map((_, i) => `node-${i + 1}`).join(', ')}: BMCs, smartNIC OVS daemons, agents enrolling ...`);
    const started = await Promise.all(
      tokens.map((token, i) => lab.startMachine(i + 1, token, `node-${i + 1}` === RESERVED ? 'off' : 'on')),
    );
    lab.machines.sort((a, b) => a.hostname.localeCompare(b.hostname));
    for (const m of started) {
      lab.progress.line(
        `${m.hostname}: ipmi_sim BMC on ${m.host.bmc.address}; smartNIC ${m.agentName} with ovsdb-server + ovs-vswitchd (dummy ` +
          `datapath) at ${m.host.ovs.unixRemote}`,
      );
      const power = m.hostname === RESERVED ? 'powered off (its smartNIC and agent are down until the host powers on)' : 'powered on';
      lab.progress.line(`${m.hostname}: ${m.agentName} enrolled (certificate from the coordinator's CA); host ${power}`);
    }
    await lab.shell.moorctl(['agent', 'list']);
  },
};

const enlistMachines: LabStep = {
  title: 'Enlist and commission three machines (ipmi power, one smartNIC port each)',
  async run(lab) {
    const mark = await lab.eventMark();
    for (const m of lab.machines) {
      // The reserved machine is the biggest: smallest-fit-first alone would never pick it first.
      const size = m.hostname === RESERVED ? ['--cores', '16', '--memory', '32G'] : ['--cores', '8', '--memory', '16G'];
      const args = ['--json', 'machine', 'enlist', '--hostname', m.hostname, ...size];
      args.push(
        '--power-driver',
        'ipmi',
        '--power-address',
        m.host.bmc.address,
        '--power-user',
        m.host.bmc.user,
        '--power-password-file',
        m.bmcPasswordFile,
      );
      args.push('--port', `${m.mac},smartnic,${m.agentName},${PORT_ID}`, '--commission');
      const machine = json<{ id: string; status: string }>(await lab.shell.moorctl(args, { show: 'none' }));
      m.machineId = machine.id;
      lab.progress.line(
        `${m.hostname} is machine ${machine.id}, ${machine.status.replace('MACHINE_STATUS_', '')}; port ${PORT_ID} on smartNIC ` +
          `${m.agentName}`,
      );
    }
    await Promise.all(lab.machines.map((m) => lab.settle(m, 'READY', mark, COMMISSION_BOUND_MS)));
    await lab.shell.moorctl(['machine', 'list']);
  },
};

const groupAndMember: LabStep = {
  title: `Create a group and a member; reserve ${RESERVED} for the group`,
  async run(lab) {
    await lab.shell.moorctl(['user', 'create', MEMBER.user, '--role', 'member']);
    await lab.shell.moorctl(['group', 'create', MEMBER.group]);
    await lab.shell.moorctl(['group', 'add-member', MEMBER.group, MEMBER.user]);
    const created = json<{ secret: string }>(
      await lab.shell.moorctl(['--json', 'token', 'create', '--user', MEMBER.user, '--description', 'lab member'], { show: 'none' }),
    );
    const tokenFile = path.join(lab.dir, `${MEMBER.user}.token`);
    await writeFile(tokenFile, `${created.secret}\n`, { mode: 0o600 });
    await chmod(tokenFile, 0o600);
    lab.member = { ...MEMBER, tokenFile };
    lab.progress.line(`${MEMBER.user}'s API token (shown once by moorctl) written to ${tokenFile}, mode 0600`);
    const reserved = await lab.shell.moorctl(['reserve', RESERVED, '--group', MEMBER.group], {
      show: machineFacts('hostname', 'reserved for'),
    });
    if (!reserved.includes(`group:${MEMBER.group}`)) throw new Error(`${RESERVED} does not show the reservation for ${MEMBER.group}`);
  },
};

/** `moorctl --token-file <member's token>` */
export function asMember(lab: Lab): string[] {
  if (!lab.member) throw new Error('no member yet');
  return ['--token-file', lab.member.tokenFile];
}

const allocateAsMember: LabStep = {
  title: 'Allocate as the member: the reserved machine comes first',
  async run(lab) {
    await lab.shell.moorctl([...asMember(lab), 'whoami']);
    const out = await lab.shell.moorctl([...asMember(lab), 'machine', 'allocate', '--reason', 'lab story'], {
      show: machineFacts('hostname', 'status', 'owner', 'reserved for'),
    });
    const chosen = /^hostname\s+(\S+)/m.exec(out)?.[1];
    if (chosen !== RESERVED)
      throw new Error(`allocation chose ${chosen ?? 'nothing'}, not ${RESERVED}, the machine reserved for ${MEMBER.group}`);
    const others = lab.machines.filter((m) => m.hostname !== RESERVED).map((m) => m.hostname);
    lab.progress.line(
      `reserved machine chosen first: ${RESERVED} (reserved for ${MEMBER.group}, ${MEMBER.user}'s group) over ` +
        `${others.join(' and ')}, unreserved and smaller (smallest fit first would have taken one of them)`,
    );
  },
};

/** The deploy sequence's BIOS-halt steps (coordinator/src/sequencer/sequence.ts), each as an operator names it. */
const BIOS_HALT_STEPS: readonly (readonly [string, string])[] = [
  ['set-boot-bios', 'boot device bios'],
  ['power-on', 'power on'],
  ['wait-agents', 'agent new session'],
  ['ports', 'port bound'],
  ['set-boot-deploy', 'deploy boot device'],
  ['restore-off', 'power cycle: off'],
  ['restore-on', 'power cycle: on'],
];
/** What the chassis of a machine found off sees during a BIOS-halt deploy with PXE as the deploy device. */
const CHASSIS_CALLS = ['set boot bios', 'set power 1', 'set boot pxe', 'set power 0', 'set power 1'];
const DEPLOY_BOUND_MS = 300_000;

interface EventRecord {
  readonly kind: string;
  readonly why: string;
  readonly details: Readonly<Record<string, string>>;
}

const deploy: LabStep = {
  title: `Deploy ${RESERVED} with BIOS-halt`,
  async run(lab) {
    const m = lab.machine(RESERVED);
    await lab.shell.moorctl([...asMember(lab), 'machine', 'deploy', RESERVED, '--watch'], { timeoutMs: DEPLOY_BOUND_MS });
    const { events } = json<{ events: EventRecord[] }>(
      await lab.shell.moorctl(['--json', 'events', 'list', '--machine', RESERVED], { show: 'none' }),
    );
    const names = new Map(BIOS_HALT_STEPS);
    const steps = events.filter(
      (e) => e.kind === 'sequence.step' && e.details['sequenceKind'] === 'deploy' && names.has(e.details['step'] ?? ''),
    );
    lab.progress.line('BIOS-halt steps, in order, from the event log:');
    steps.forEach((e, i) => lab.progress.line(`  ${i + 1}. ${names.get(e.details['step'] ?? '') ?? ''}: ${e.why}`));
    const order = steps.map((e) => e.details['step']).join(', ');
    if (order !== BIOS_HALT_STEPS.map(([step]) => step).join(', ')) throw new Error(`the deploy's steps were ${order}`);
    const calls = await m.host.bmc.sets();
    lab.progress.line(`the BMC (ipmi_sim) chassis saw: ${calls.join(', ')}`);
    if (calls.join(', ') !== CHASSIS_CALLS.join(', '))
      throw new Error(`the chassis saw ${calls.join(', ')}, not ${CHASSIS_CALLS.join(', ')}`);
  },
};

const showPort: LabStep = {
  title: 'Show the bound port as ovs-vsctl sees it on the smartNIC',
  async run(lab) {
    const m = lab.machine(RESERVED);
    const ports = await vsctl(lab, m, ['list-ports', 'br-int']);
    if (!ports.split('\n').includes(PORT_ID)) throw new Error(`${PORT_ID} is not on br-int of ${m.agentName}: ${JSON.stringify(ports)}`);
    const row = await vsctl(lab, m, ['--columns=name,ofport,external_ids', 'list', 'Interface', PORT_ID]);
    const ids = externalIds(row);
    // With OVN configured, a port on no tenant network is named by its stable port UUID (the LSP name it would get).
    const ifaceId = lab.ovn ? portUuid(m.machineId, m.mac) : PORT_ID;
    const want = { 'iface-id': ifaceId, 'iface-status': 'active', 'vm-uuid': m.machineId, 'attached-mac': m.mac };
    for (const [key, value] of Object.entries(want)) {
      if (ids[key] !== value) throw new Error(`Interface ${PORT_ID} has external_ids:${key}=${ids[key] ?? '(none)'}, not ${value}`);
    }
    lab.progress.line(`port visible in ovs-vsctl: ${PORT_ID} on br-int of ${m.agentName}, active, for machine ${m.machineId}`);
  },
};

const release: LabStep = {
  title: `Release ${RESERVED}: port unbound, powered off`,
  async run(lab) {
    const m = lab.machine(RESERVED);
    const mark = await lab.eventMark();
    await lab.shell.moorctl([...asMember(lab), 'machine', 'release', RESERVED, '--reason', 'lab story done'], {
      show: machineFacts('hostname', 'status'),
    });
    await lab.settle(m, 'READY', mark, RELEASE_BOUND_MS);
    const ports = await vsctl(lab, m, ['list-ports', 'br-int']);
    if (ports.split('\n').includes(PORT_ID)) throw new Error(`${PORT_ID} is still on br-int of ${m.agentName}`);
    if (ports.trim() === '') lab.progress.line('(br-int has no ports)');
    const bmc = m.host.bmc;
    const power = await lab.shell.command('ipmitool', [
      '-I',
      'lanplus',
      '-C',
      '3',
      '-H',
      bmc.host,
      '-p',
      String(bmc.port),
      '-U',
      bmc.user,
      '-f',
      m.bmcPasswordFile,
      'chassis',
      'power',
      'status',
    ]);
    if (!/off/i.test(power)) throw new Error(`${RESERVED} is not powered off: ${power.trim()}`);
    lab.progress.line(`released: ${PORT_ID} unbound from br-int, ${RESERVED} powered off, READY again`);
    await lab.shell.moorctl(['machine', 'list']);
  },
};

/** The external_ids map of an `ovs-vsctl list` row: {a="x", b=y} */
function externalIds(row: string): Record<string, string> {
  const map = /^external_ids\s*:\s*\{(.*)\}$/m.exec(row)?.[1] ?? '';
  return Object.fromEntries([...map.matchAll(/([\w-]+)="?([^",]*)"?/g)].map((x) => [x[1]!, x[2]!]));
}

/** ovs-vsctl against the machine's smartNIC's own OVS, as an operator on that smartNIC would run it. */
export function vsctl(lab: Lab, m: LabMachine, args: readonly string[]): Promise<string> {
  return lab.shell.command('ovs-vsctl', [`--db=${m.host.ovs.unixRemote}`, ...args]);
}

export const STORY: readonly LabStep[] = [
  startCoordinator,
  enrolAgents,
  enlistMachines,
  groupAndMember,
  allocateAsMember,
  deploy,
  showPort,
  addVmHost,
  composeVm,
  release,
  deleteVm,
  tenantNetworks,
  isolation,
];
