// mooring.v1.VmHostService: VM hosts and the VMs composed on them. Mutations are the domain's to
// authorise (admins; power also the owner); everyone may read.
import type * as grpc from '@grpc/grpc-js';
import type { VmHostMessage, VmHostResourceMessage } from '../../../proto/mooring/v1/vmhosts-types.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { hostBudgets, type Budget } from '../vmhosts/overcommit.js';
import type { PendingComposes } from '../vmhosts/pending-composes.js';
import type { VmComposer } from '../vmhosts/vm-composer.js';
import type { VmHost } from '../vmhosts/vm-host.js';
import type { VmHostRegistry } from '../vmhosts/vm-host-registry.js';
import type { VmPower } from '../vmhosts/vm-power.js';
import { unary, type ApiContext } from './call-handler.js';
import { emptySchema, machineRefSchema } from './request-schemas.js';
import { addVmHostSchema, composeVmSchema, powerVmSchema, removeVmHostSchema, updateVmHostSchema, vmHostRefSchema } from './vmhost-schemas.js';
import { machineToWire } from './wire.js';

export interface VmHostServiceDeps {
  readonly hosts: VmHostRegistry;
  readonly composer: VmComposer;
  readonly power: VmPower;
  readonly agents: AgentRegistry;
  readonly pending: PendingComposes;
}

function resource(b: Budget | undefined): VmHostResourceMessage | null {
  return b ? { ratio: b.ratio, capacity: b.capacity, allowed: b.allowed, used: b.used, free: b.free } : null;
}

export function vmHostToWire(host: VmHost, deps: Pick<VmHostServiceDeps, 'hosts' | 'agents' | 'pending'>): VmHostMessage {
  const resources = host.report?.resources;
  const links = deps.hosts.instanceLinks(host.name);
  const budgets = resources ? hostBudgets({ cpu: host.cpuOvercommit, memory: host.memoryOvercommit }, resources, deps.pending.of(host.name)) : undefined;
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

export function vmHostService(ctx: ApiContext, deps: VmHostServiceDeps): grpc.UntypedServiceImplementation {
  const { hosts, composer, power } = deps;
  const wire = (host: VmHost): VmHostMessage => vmHostToWire(host, deps);
  return {
    AddVmHost: unary(ctx, 'AddVmHost', addVmHostSchema, async (principal, spec) => wire(await hosts.add(principal, spec))),
    ListVmHosts: unary(ctx, 'ListVmHosts', emptySchema, () => ({ hosts: hosts.list().map(wire) })),
    GetVmHost: unary(ctx, 'GetVmHost', vmHostRefSchema, (_principal, r) => wire(hosts.require(r.name))),
    RefreshVmHost: unary(ctx, 'RefreshVmHost', vmHostRefSchema, async (principal, r) => wire(await hosts.refresh(principal, r.name))),
    UpdateVmHost: unary(ctx, 'UpdateVmHost', updateVmHostSchema, async (principal, r) => wire(await hosts.update(principal, r.name, r.changes))),
    RemoveVmHost: unary(ctx, 'RemoveVmHost', removeVmHostSchema, async (principal, r) => ({ name: r.name, machines: await hosts.remove(principal, r.name, r.deleteInstances) })),
    ComposeVm: unary(ctx, 'ComposeVm', composeVmSchema, async (principal, spec) => machineToWire(await composer.compose(principal, spec))),
    DeleteVm: unary(ctx, 'DeleteVm', machineRefSchema, async (principal, r) => ({ machine: (await composer.delete(principal, r.machine)).id })),
    PowerVm: unary(ctx, 'PowerVm', powerVmSchema, async (principal, r) => machineToWire(await power.power(principal, r.machine, r.action))),
  };
}

