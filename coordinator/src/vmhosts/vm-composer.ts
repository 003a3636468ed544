// Compose and delete VMs on a VM host, and carry lxd_power for the lxd power driver. Compose
// checks the request against the host's last report (overcommit, NUMA placement) before anything
// is sent; the agent creates the instance in the host's project (never elsewhere) and the
// instance's machine is created READY in one transaction (instance-machines.ts). LXD's own
// refusal (e.g. no KVM for a virtual-machine) reaches the caller with LXD's words.
import { randomBytes } from 'node:crypto';
import type { LxdInstance__Output, LxdNicRequest__Output } from '../../../proto/generated/index.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { HostnameTakenError, MachineNotFoundError } from '../machines/errors.js';
import { requireStatus } from '../machines/lifecycle.js';
import type { Machine, MachineStatus } from '../machines/machine.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import type { LxdPowerAction, LxdPowerChannel } from '../power/lxd-driver.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { checkPinnedSet, pickCpusOnNode } from './cpu-set.js';
import { parseCpuSet } from '../../../proto/shared/cpu-set.js';
import { NoResourceReportError, NotAVmError, NumaPlacementError, OvercommitError, VmHostNotFoundError } from './errors.js';
import type { InstanceMachines } from './instance-machines.js';
import { LXD_COMMAND_DEADLINE_MS, type LxdLink } from './lxd-link.js';
import { hostBudgets, overcommitProblems } from './overcommit.js';
import type { PendingComposes } from './pending-composes.js';
import { parseInstanceAddress, type VmHost } from './vm-host.js';
import type { VmHostRegistry } from './vm-host-registry.js';

export interface ComposeSpec {
  readonly host: string;
  /** '' generates one. */
  readonly name: string;
  readonly cores: number;
  /** A CPU set ("0-3"), or null. */
  readonly pinnedCpus: string | null;
  /** Pin `cores` CPUs of this NUMA node, or null. */
  readonly numaNode: number | null;
  readonly memoryBytes: number;
  readonly hugepages: boolean;
  readonly diskBytes: number;
  readonly pool: string;
  readonly type: 'container' | 'virtual-machine';
  readonly nics: readonly LxdNicRequest__Output[];
  readonly image: string;
}

const DELETABLE: readonly MachineStatus[] = ['NEW', 'READY', 'BROKEN', 'FAILED_COMMISSIONING', 'FAILED_DEPLOYMENT'];

export interface VmComposerDeps {
  readonly store: Store;
  readonly hosts: VmHostRegistry;
  readonly agents: AgentRegistry;
  readonly machines: InstanceMachines;
  readonly writer: MachineWriter;
  readonly link: LxdLink;
  readonly pending: PendingComposes;
}

export class VmComposer implements LxdPowerChannel {
  constructor(private readonly deps: VmComposerDeps) {}

  async compose(actor: Principal, spec: ComposeSpec): Promise<Machine> {
    requireAdmin(actor, 'compose VMs');
    const { hosts, pending, link, store } = this.deps;
    const host = hosts.require(spec.host);
    const report = host.report;
    if (!report?.resources)
      throw new NoResourceReportError(host.name, `agent ${host.agent} is ${this.deps.agents.get(host.agent)?.state ?? 'unknown'}`);
    const pinnedCpus = this.placement(host, spec);
    const cores = pinnedCpus ? (parseCpuSet(pinnedCpus)?.length ?? spec.cores) : spec.cores;
    const demand = { cores, memoryBytes: spec.memoryBytes, hugepages: spec.hugepages };
    const budgets = hostBudgets({ cpu: host.cpuOvercommit, memory: host.memoryOvercommit }, report.resources, pending.of(host.name));
    const problems = overcommitProblems(budgets, demand);
    if (problems.length > 0) throw new OvercommitError(host.name, problems);
    const name = spec.name || `vm-${randomBytes(4).toString('hex')}`;
    if (
      this.deps.writer.table.hostnameTaken(name) ||
      this.deps.machines.machineOf(host.name, name) !== undefined ||
      pending.has(host.name, name)
    ) {
      throw new HostnameTakenError(name);
    }
    const machineId = `m-${randomBytes(6).toString('hex')}`;
    const request = {
      name,
      type: spec.type,
      cores,
      pinnedCpus: pinnedCpus ?? '',
      memoryBytes: spec.memoryBytes,
      hugepages: spec.hugepages,
      rootDiskBytes: spec.diskBytes,
      pool: spec.pool,
      nics: [...spec.nics],
      machineId,
      // A VM boots from the network unless told otherwise, as bare metal does; a container needs a root filesystem.
      image: spec.image || (spec.type === 'container' ? host.image : ''),
    };
    pending.add(host.name, name, demand);
    let answer;
    try {
      answer = await link.send(host.agent, { kind: 'lxdCompose', lxdCompose: request }, `compose ${spec.type} ${name}`);
    } catch (error) {
      pending.drop(host.name, name);
      throw error;
    }
    const instance: LxdInstance__Output = answer.instance ?? { ...request, status: 'Stopped', createdAt: '' };
    return store.write((scope) => {
      const current = hosts.get(host.name);
      if (!current) throw new VmHostNotFoundError(host.name);
      const latest = answer.report ? hosts.reconcile(scope, current, answer.report).host : current;
      return this.deps.machines.ensure(scope, latest, instance, answer.report);
    });
  }

  /** Deletes the machine's instance (in its host's project) and the machine. */
  async delete(actor: Principal, ref: string): Promise<Machine> {
    requireAdmin(actor, 'delete VMs');
    const { host, instance, machine } = this.locate(ref);
    requireStatus(machine, DELETABLE, 'delete its VM');
    // LXD refuses to delete a running instance: stop it first (a released VM may still run).
    const signal = AbortSignal.timeout(LXD_COMMAND_DEADLINE_MS);
    if ((await this.power(machine, 'state', signal)) !== 'Stopped') {
      await this.power(machine, 'stop', signal).catch(async (error: unknown) => {
        if ((await this.power(machine, 'state', signal)) !== 'Stopped') throw error;
      });
    }
    await this.deps.link.send(host.agent, { kind: 'lxdDelete', lxdDelete: { name: instance } }, `delete instance ${instance}`);
    this.deps.pending.drop(host.name, instance);
    this.deps.pending.markDeleted(host.name, instance);
    await this.deps.store.write((scope) => {
      this.deps.machines.unlink(host.name, instance);
      const current = this.deps.writer.table.get(machine.id);
      if (current) this.deps.writer.remove(scope, actor.user, current);
    });
    return machine;
  }

  /** LxdPowerChannel: lxd_power for the machine's instance; LXD's status afterwards. */
  async power(machine: Machine, action: LxdPowerAction, signal: AbortSignal): Promise<string> {
    const { host, instance } = this.locate(machine.id);
    signal.throwIfAborted();
    const answer = await this.deps.link.send(
      host.agent,
      { kind: 'lxdPower', lxdPower: { name: instance, action } },
      `${action} instance ${instance}`,
    );
    return answer.instance?.status ?? answer.report?.instances.find((i) => i.name === instance)?.status ?? '';
  }

  private locate(ref: string): { host: VmHost; instance: string; machine: Machine } {
    const machine = this.deps.writer.table.resolve(ref);
    if (!machine) throw new MachineNotFoundError(ref);
    const address = machine.power.driver === 'lxd' ? parseInstanceAddress(machine.power.address) : null;
    if (!address) throw new NotAVmError(machine.hostname, machine.power.driver);
    return { host: this.deps.hosts.require(address.host), instance: address.instance, machine };
  }

  /** The pinned CPU set for the request, checked against the host's NUMA nodes; null when not pinned. */
  private placement(host: VmHost, spec: ComposeSpec): string | null {
    const resources = host.report?.resources;
    const nodes = resources?.numaNodes ?? [];
    const instances = host.report?.instances ?? [];
    if (spec.pinnedCpus !== null) {
      const cpus = parseCpuSet(spec.pinnedCpus);
      if (!cpus) throw new NumaPlacementError(`pinned_cpus: ${spec.pinnedCpus} is not a CPU set like 0-3 or 0,2`);
      if (spec.cores && spec.cores !== cpus.length)
        throw new NumaPlacementError(`pinned_cpus: ${spec.pinnedCpus} is ${cpus.length} CPUs but cores is ${spec.cores}`);
      checkPinnedSet(nodes, cpus);
      return spec.pinnedCpus;
    }
    if (spec.numaNode !== null) return pickCpusOnNode(nodes, spec.numaNode, spec.cores, instances);
    return null;
  }
}
