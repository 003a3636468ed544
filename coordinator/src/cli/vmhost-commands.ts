// moorctl vmhost ... and vm ...: LXD VM hosts (one project each), and the VMs composed on them.
import { Command, Option } from 'commander';
import type { LxdNicRequest__Output, LxdReport__Output, VmHostResource__Output, VmHost__Output } from '../../../proto/generated/index.js';
import { formatCpuSet } from '../../../proto/shared/cpu-set.js';
import { formatBytes } from '../../../proto/shared/byte-size.js';
import { collect, withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { emit, machineDetails, printJson, renderTable, type Output } from './output.js';
import { parseCount, parseMemoryMib, parsePairs } from './sizes.js';

const MIB = 2 ** 20;
const HOST_HEADERS = [
  'NAME',
  'AGENT',
  'PROJECT',
  'STATE',
  'CORES USED/ALLOWED',
  'MEMORY USED/ALLOWED',
  'OVERCOMMIT CPU/MEM',
  'MACHINES',
  'POOL',
];

const bytes = (text: string, flag: string): number => parseMemoryMib(text, flag) * MIB;

function ratio(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 10) throw new UsageError(`${flag}: expected a ratio from 0 to 10, got ${text}`);
  return value;
}

/** network=NAME | parent=BRIDGE | sriov=PF, optionally with ,name=IFACE,mac=MAC. */
export function parseNic(text: string): LxdNicRequest__Output {
  const pairs = parsePairs(text.split(','), '--nic');
  const known = new Set(['network', 'parent', 'sriov', 'name', 'mac']);
  const unknown = Object.keys(pairs).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new UsageError(`--nic: unknown key ${unknown.join(', ')} (network=NAME, parent=BRIDGE or sriov=PF, then name= and mac=)`);
  const nic = {
    network: pairs['network'] ?? '',
    parent: pairs['parent'] ?? '',
    sriovParent: pairs['sriov'] ?? '',
    name: pairs['name'] ?? '',
    mac: pairs['mac'] ?? '',
  };
  if ([nic.network, nic.parent, nic.sriovParent].filter(Boolean).length !== 1)
    throw new UsageError(`--nic: give exactly one of network=, parent= or sriov=, got ${text}`);
  return nic;
}

const used = (r: VmHostResource__Output | null, size: (n: number) => string): string => (r ? `${size(r.used)}/${size(r.allowed)}` : '-');

function hostRow(h: VmHost__Output): string[] {
  return [
    h.name,
    h.agent,
    h.project,
    h.agentState + (h.report && !h.report.connected ? ' (LXD unreachable)' : ''),
    used(h.cores, String),
    used(h.memory, formatBytes),
    `${h.cpuOvercommit}/${h.memoryOvercommit}`,
    String(h.machines.length),
    h.pool,
  ];
}

function budgetText(r: VmHostResource__Output | null, size: (n: number) => string, never = false): string {
  if (!r) return 'no report yet';
  const head = never ? `${size(r.capacity)} (never overcommitted)` : `ratio ${r.ratio} x ${size(r.capacity)} = ${size(r.allowed)}`;
  return `${head}, ${size(r.used)} used, ${size(r.free)} free`;
}

/**
 * Other projects' share of the host as the agent reported it: known (running instances counted,
 * stopped ones not), or unknown when LXD refuses the agent's restricted certificate a look at them.
 */
export function otherProjectsText(report: LxdReport__Output | null, project: string): string {
  const res = report?.resources;
  if (!res) return 'no report yet';
  if (res.otherUsage === 'LXD_OTHER_USAGE_UNKNOWN')
    return `unknown (restricted certificate): cores and memory used count project ${project} only`;
  const o = res.other;
  if (!o || o.instances === 0) return 'none';
  const counted = o.instances - o.uncountedInstances;
  const stopped = o.uncountedInstances ? `, ${o.uncountedInstances} stopped not counted` : '';
  return (
    `${o.cores} core${o.cores === 1 ? '' : 's'}, ${formatBytes(o.memoryBytes + o.hugepageMemoryBytes)} in ${counted} running ` +
    `instance${counted === 1 ? '' : 's'}${stopped}`
  );
}

function numaRows(report: LxdReport__Output): string[][] {
  return (report.resources?.numaNodes ?? []).map((n) => [
    String(n.node),
    formatCpuSet(n.cpus),
    String(n.cpus.length),
    `${formatBytes(n.memoryUsed)}/${formatBytes(n.memoryTotal)}`,
    n.hugepagesTotal ? `${formatBytes(n.hugepagesUsed)}/${formatBytes(n.hugepagesTotal)}` : '-',
  ]);
}

function showHost(out: Output, h: VmHost__Output): void {
  if (out.json) return printJson(out, h);
  const r = h.report;
  const facts: [string, string][] = [
    ['name', h.name],
    ['agent', `${h.agent} (${h.agentState})`],
    ['project', h.project],
    [
      'lxd',
      r
        ? (r.connected ? 'connected' : `not connected: ${r.error}`) +
          (r.serverVersion ? `, LXD ${r.serverVersion}` : '') +
          (r.endpoint ? ` at ${r.endpoint}` : '')
        : 'no report yet',
    ],
    ['instance types', r?.instanceTypes.join(', ') || '-'],
    ['pool / zone', `${h.pool} / ${h.zone}`],
    ['arch', h.arch],
    ['image', h.image || '(agent default)'],
    ['cores', budgetText(h.cores, String)],
    ['memory', budgetText(h.memory, formatBytes)],
    ['hugepages', budgetText(h.hugepages, formatBytes, true)],
    ['other projects', otherProjectsText(r, h.project)],
    ['machines', h.machines.join(', ') || '-'],
    ['reported', h.reportAt || '-'],
  ];
  const width = Math.max(...facts.map(([k]) => k.length));
  out.write(facts.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(''));
  if (!r?.resources) return;
  out.write('\nNUMA nodes\n');
  out.write(renderTable(['NODE', 'CPUS', 'COUNT', 'MEMORY USED/TOTAL', 'HUGEPAGES USED/TOTAL'], numaRows(r)));
  if (r.resources.pools.length > 0) {
    out.write('\nstorage pools\n');
    out.write(
      renderTable(
        ['POOL', 'DRIVER', 'USED/TOTAL'],
        r.resources.pools.map((p) => [p.name, p.driver, `${formatBytes(p.usedBytes)}/${formatBytes(p.totalBytes)}`]),
      ),
    );
  }
  out.write(`\ninstances in project ${h.project}\n`);
  out.write(
    renderTable(
      ['NAME', 'TYPE', 'STATUS', 'CORES', 'PINNED', 'MEMORY', 'MACHINE'],
      r.instances.map((i) => [
        i.name,
        i.type,
        i.status,
        String(i.cores || '-'),
        i.pinnedCpus || '-',
        i.memoryBytes ? formatBytes(i.memoryBytes) : '-',
        h.instanceMachines[i.name] ?? '-',
      ]),
    ),
  );
}

interface AddOptions {
  agent: string;
  project: string;
  createProject?: boolean;
  cpuOvercommit?: string;
  memoryOvercommit?: string;
  pool?: string;
  zone?: string;
  arch?: string;
  image?: string;
}

export function vmhostCommand(): Command {
  const vmhost = new Command('vmhost').description('LXD VM hosts: one LXD project each, its instances are machines');
  vmhost
    .command('add')
    .description('have a vmhost agent manage an LXD project (admin); there is no default project')
    .requiredOption('--agent <name>', 'the agent (enrolled with role vmhost); the VM host takes its name')
    .requiredOption('--project <project>', 'the LXD project')
    .option('--create-project', 'create the project (all features off) when it does not exist')
    .option('--cpu-overcommit <ratio>', 'cores may be handed out up to capacity x ratio (0 to 10)', '1')
    .option('--memory-overcommit <ratio>', 'memory ratio (0 to 10); hugepages are never overcommitted', '1')
    .option('--pool <pool>', 'pool of the host’s machines')
    .option('--zone <zone>', 'zone of the host’s machines')
    .option('--arch <arch>', 'architecture of the host’s machines', 'amd64')
    .option('--image <alias>', 'image composed containers start from (VMs boot from the network unless compose names one)')
    .action(async (o: AddOptions, command: Command) =>
      withClient(command, async (client, out) => {
        const cpu = ratio(o.cpuOvercommit ?? '1', '--cpu-overcommit');
        const mem = ratio(o.memoryOvercommit ?? '1', '--memory-overcommit');
        if (cpu === 0 || mem === 0) throw new UsageError('add the host with ratios above 0, then set 0 with vmhost update');
        const host = await client.call(
          'VmHostService',
          'AddVmHost',
          {
            agent: o.agent,
            project: o.project,
            createProject: o.createProject === true,
            cpuOvercommit: cpu,
            memoryOvercommit: mem,
            pool: o.pool ?? '',
            zone: o.zone ?? '',
            arch: o.arch ?? '',
            image: o.image ?? '',
          },
          200_000,
        );
        showHost(out, host);
      }),
    );
  vmhost.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { hosts } = await client.call('VmHostService', 'ListVmHosts', {});
      emit(out, { hosts }, HOST_HEADERS, hosts.map(hostRow));
    }),
  );
  vmhost
    .command('show <name>')
    .description('resources per NUMA node, overcommit, instances')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => showHost(out, await client.call('VmHostService', 'GetVmHost', { name }))),
    );
  vmhost
    .command('refresh <name>')
    .description('ask the agent for fresh resources and instances now (admin)')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => showHost(out, await client.call('VmHostService', 'RefreshVmHost', { name }, 200_000))),
    );
  vmhost
    .command('update <name>')
    .description('change overcommit ratios, pool, zone or image (admin)')
    .option('--cpu-overcommit <ratio>', '0 to 10')
    .option('--memory-overcommit <ratio>', '0 to 10')
    .option('--pool <pool>', 'pool')
    .option('--zone <zone>', 'zone')
    .option('--image <alias>', 'image')
    .action(async (name: string, o: Omit<AddOptions, 'agent' | 'project'>, command: Command) =>
      withClient(command, async (client, out) => {
        const mask: string[] = [];
        const request = {
          name,
          cpuOvercommit: 0,
          memoryOvercommit: 0,
          pool: o.pool ?? '',
          zone: o.zone ?? '',
          image: o.image ?? '',
          updateMask: mask,
        };
        if (o.cpuOvercommit !== undefined) {
          request.cpuOvercommit = ratio(o.cpuOvercommit, '--cpu-overcommit');
          mask.push('cpu_overcommit');
        }
        if (o.memoryOvercommit !== undefined) {
          request.memoryOvercommit = ratio(o.memoryOvercommit, '--memory-overcommit');
          mask.push('memory_overcommit');
        }
        for (const field of ['pool', 'zone', 'image'] as const) if (o[field] !== undefined) mask.push(field);
        if (mask.length === 0)
          throw new UsageError('nothing to change: give --cpu-overcommit, --memory-overcommit, --pool, --zone or --image');
        showHost(out, await client.call('VmHostService', 'UpdateVmHost', request));
      }),
    );
  vmhost
    .command('remove <name>')
    .description('stop managing the project; its machines go away, its instances stay unless --delete-instances (admin)')
    .option('--delete-instances', 'delete the instances of the project first')
    .action(async (name: string, o: { deleteInstances?: boolean }, command: Command) =>
      withClient(command, async (client, out) => {
        const r = await client.call('VmHostService', 'RemoveVmHost', { name, deleteInstances: o.deleteInstances === true }, 200_000);
        if (out.json) return printJson(out, r);
        out.write(
          `removed VM host ${r.name}${o.deleteInstances ? ' and its instances' : ''}; machines gone: ${r.machines.join(', ') || 'none'}\n`,
        );
      }),
    );
  return vmhost;
}

interface ComposeOptions {
  host: string;
  name?: string;
  cores?: string;
  cpus?: string;
  numaNode?: string;
  memory: string;
  disk: string;
  pool?: string;
  type: string;
  hugepages?: boolean;
  nic?: string[];
  image?: string;
}

export function vmCommand(): Command {
  const vm = new Command('vm').description('VMs on VM hosts (LXD instances that are machines)');
  vm.command('compose')
    .description('create an instance in a VM host’s project and its READY machine (admin)')
    .requiredOption('--host <name>', 'the VM host')
    .option('--name <name>', 'instance name and hostname (default vm-<hex>)')
    .option('--cores <n>', 'number of cores')
    .option('--cpus <set>', 'pinned CPU set on one NUMA node, e.g. 0-3')
    .option('--numa-node <n>', 'pin --cores CPUs of this NUMA node')
    .requiredOption('--memory <size>', 'memory, e.g. 2G or 512M')
    .option('--hugepages', 'back the memory with hugepages (never overcommitted)')
    .requiredOption('--disk <size>', 'root disk size, e.g. 8G')
    .option('--pool <pool>', 'LXD storage pool of the root disk')
    .addOption(new Option('--type <type>', 'instance type').choices(['container', 'virtual-machine']).default('virtual-machine'))
    .option('--nic <spec>', 'network=NAME | parent=BRIDGE | sriov=PF [,name=IFACE][,mac=MAC] (repeatable)', collect)
    .option('--image <alias>', 'image (default: the host’s for a container, none for a VM: it netboots)')
    .action(async (o: ComposeOptions, command: Command) =>
      withClient(command, async (client, out) => {
        if (!o.cores && !o.cpus) throw new UsageError('give --cores N or --cpus SET');
        const machine = await client.call(
          'VmHostService',
          'ComposeVm',
          {
            host: o.host,
            name: o.name ?? '',
            cores: o.cores ? parseCount(o.cores, '--cores') : 0,
            pinnedCpus: o.cpus ?? '',
            numaNode: o.numaNode ? parseCount(o.numaNode, '--numa-node') : 0,
            pinNumaNode: o.numaNode !== undefined,
            memoryBytes: bytes(o.memory, '--memory'),
            hugepages: o.hugepages === true,
            diskBytes: bytes(o.disk, '--disk'),
            pool: o.pool ?? '',
            type: o.type,
            nics: (o.nic ?? []).map(parseNic),
            image: o.image ?? '',
          },
          200_000,
        );
        if (out.json) printJson(out, machine);
        else out.write(machineDetails(machine));
      }),
    );
  vm.command('delete <machine>')
    .description('delete the machine’s instance and the machine (admin)')
    .action(async (machine: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const r = await client.call('VmHostService', 'DeleteVm', { machine }, 200_000);
        if (out.json) printJson(out, r);
        else out.write(`deleted VM ${machine} (${r.machine})\n`);
      }),
    );
  vm.command('power <machine> <action>')
    .description('on, off, cycle or query, through the lxd power driver (admin or the owner)')
    .action(async (machine: string, action: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const m = await client.call('VmHostService', 'PowerVm', { machine, action }, 200_000);
        if (out.json) printJson(out, m);
        else out.write(`${m.hostname}: power ${m.powerState.replace('POWER_STATE_', '').toLowerCase()}\n`);
      }),
    );
  return vm;
}
