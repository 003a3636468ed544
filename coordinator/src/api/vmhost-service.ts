// mooring.v1.VmHostService: VM hosts and the VMs composed on them. Mutations are the domain's to
// authorise (admins; power also the owner). Admins and observers read every host. A member reads
// only the hosts running a VM it can see (tenancy/access.ts), and of each only those VMs: the
// instance lists (machines, instance_machines, the report's instances) are cut down to them, and
// any other host answers NOT_FOUND, worded as a missing one.
import type { VmHostResource__Output, VmHostServiceHandlers, VmHost__Output } from '../../../proto/generated/index.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { hostBudgets, type Budget } from '../vmhosts/overcommit.js';
import type { PendingComposes } from '../vmhosts/pending-composes.js';
import type { VmComposer } from '../vmhosts/vm-composer.js';
import type { VmHost } from '../vmhosts/vm-host.js';
import type { VmHostRegistry } from '../vmhosts/vm-host-registry.js';
import type { VmPower } from '../vmhosts/vm-power.js';
import { unary, type ApiContext } from './call-handler.js';
import type { MachineTable } from '../store/machine-table.js';
import { canSeeMachine, seesAll } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { VmHostNotFoundError } from '../vmhosts/errors.js';
import { emptySchema, machineRefSchema } from './request-schemas.js';
import {
  addVmHostSchema,
  composeVmSchema,
  powerVmSchema,
  removeVmHostSchema,
  updateVmHostSchema,
  vmHostRefSchema,
} from './vmhost-schemas.js';
import { machineToWire } from './wire.js';

export interface VmHostServiceDeps {
  readonly hosts: VmHostRegistry;
  readonly composer: VmComposer;
  readonly power: VmPower;
  readonly agents: AgentRegistry;
  readonly pending: PendingComposes;
  /** The machines, to tell which VMs a member can see; without it members see no host. */
  readonly machines?: MachineTable;
}

function resource(b: Budget | undefined): VmHostResource__Output | null {
  return b ? { ratio: b.ratio, capacity: b.capacity, allowed: b.allowed, used: b.used, free: b.free } : null;
}

export function vmHostToWire(host: VmHost, deps: Pick<VmHostServiceDeps, 'hosts' | 'agents' | 'pending'>): VmHost__Output {
  const resources = host.report?.resources;
  const links = deps.hosts.instanceLinks(host.name);
  const budgets = resources
    ? hostBudgets({ cpu: host.cpuOvercommit, memory: host.memoryOvercommit }, resources, deps.pending.of(host.name))
    : undefined;
  return {
    name: host.name,
    agent: host.agent,
    project: host.project,
    cpuOvercommit: host.cpuOvercommit,
    memoryOvercommit: host.memoryOvercommit,
    pool: host.pool,
    zone: host.zone,
    arch: host.arch,
    image: host.image,
    agentState: deps.agents.get(host.agent)?.state ?? 'UNKNOWN',
    cores: resource(budgets?.cores),
    memory: resource(budgets?.memory),
    hugepages: resource(budgets?.hugepages),
    report: host.report,
    reportAt: host.reportAt === null ? '' : new Date(host.reportAt).toISOString(),
    machines: [...links.values()],
    createdAt: new Date(host.createdAt).toISOString(),
    instanceMachines: Object.fromEntries(links),
  };
}

/**
 * The host as `principal` may read it: whole for admins and observers; for a member, only its
 * visible VMs (null when it can see none of them: the host is not the member's to read).
 */
export function vmHostForCaller(message: VmHost__Output, principal: Principal, machines: MachineTable | undefined): VmHost__Output | null {
  if (seesAll(principal)) return message;
  const visible = (machineId: string): boolean => {
    const machine = machineId ? machines?.get(machineId) : undefined;
    return machine !== undefined && canSeeMachine(principal, machine);
  };
  const instanceMachines = Object.fromEntries(Object.entries(message.instanceMachines).filter(([, id]) => visible(id)));
  if (Object.keys(instanceMachines).length === 0) return null;
  const report = message.report && {
    ...message.report,
    instances: message.report.instances.filter((i) => instanceMachines[i.name] !== undefined),
  };
  return { ...message, machines: message.machines.filter(visible), instanceMachines, report };
}

export function vmHostService(ctx: ApiContext, deps: VmHostServiceDeps): VmHostServiceHandlers {
  const { hosts, composer, power } = deps;
  const wire = (host: VmHost): VmHost__Output => vmHostToWire(host, deps);
  const read = (principal: Principal, host: VmHost): VmHost__Output | null => vmHostForCaller(wire(host), principal, deps.machines);
  return {
    AddVmHost: unary(ctx, 'AddVmHost', addVmHostSchema, async (principal, spec) => wire(await hosts.add(principal, spec))),
    ListVmHosts: unary(ctx, 'ListVmHosts', emptySchema, (principal) => ({
      hosts: hosts.list().flatMap((host) => read(principal, host) ?? []),
    })),
    GetVmHost: unary(ctx, 'GetVmHost', vmHostRefSchema, (principal, r) => {
      const host = read(principal, hosts.require(r.name));
      if (!host) throw new VmHostNotFoundError(r.name);
      return host;
    }),
    RefreshVmHost: unary(ctx, 'RefreshVmHost', vmHostRefSchema, async (principal, r) => wire(await hosts.refresh(principal, r.name))),
    UpdateVmHost: unary(ctx, 'UpdateVmHost', updateVmHostSchema, async (principal, r) =>
      wire(await hosts.update(principal, r.name, r.changes)),
    ),
    RemoveVmHost: unary(ctx, 'RemoveVmHost', removeVmHostSchema, async (principal, r) => ({
      name: r.name,
      machines: await hosts.remove(principal, r.name, r.deleteInstances),
    })),
    ComposeVm: unary(ctx, 'ComposeVm', composeVmSchema, async (principal, spec) => machineToWire(await composer.compose(principal, spec))),
    DeleteVm: unary(ctx, 'DeleteVm', machineRefSchema, async (principal, r) => ({
      machine: (await composer.delete(principal, r.machine)).id,
    })),
    PowerVm: unary(ctx, 'PowerVm', powerVmSchema, async (principal, r) => machineToWire(await power.power(principal, r.machine, r.action))),
  };
}
