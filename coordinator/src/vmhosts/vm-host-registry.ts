// VM hosts: add (the agent takes on the project), update, refresh, remove, and the agent's LXD
// reports turned into machines as they arrive (session hub "report" events: event-driven, no
// polling). A host is named after its agent; there is no default project.
import type { AgentReport__Output, LxdReport__Output } from '../../../proto/generated/index.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import { NotFoundError } from '../tenancy/errors.js';
import type { PoolRegistry } from '../tenancy/pool-registry.js';
import type { Principal } from '../tenancy/user.js';
import { NotAVmHostAgentError, VmHostExistsError, VmHostInUseError, VmHostNotFoundError } from './errors.js';
import type { InstanceMachines, ReconcileOutcome } from './instance-machines.js';
import { lxdReportOf, type LxdLink } from './lxd-link.js';
import type { PendingComposes } from './pending-composes.js';
import type { VmHost } from './vm-host.js';

/** What `vmhost add` asks for: the host's settings, and whether the agent creates the project. */
export type AddVmHostSpec = Pick<
  VmHost,
  'agent' | 'project' | 'cpuOvercommit' | 'memoryOvercommit' | 'pool' | 'zone' | 'arch' | 'image'
> & { readonly createProject: boolean };

export type VmHostChanges = Partial<Pick<VmHost, 'cpuOvercommit' | 'memoryOvercommit' | 'pool' | 'zone' | 'image'>>;

export interface VmHostRegistryDeps {
  readonly store: Store;
  readonly agents: AgentRegistry;
  readonly hub: SessionHub;
  readonly link: LxdLink;
  readonly machines: InstanceMachines;
  readonly pending: PendingComposes;
  readonly pools: PoolRegistry;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Machines in these statuses (or with an owner) are in use: a host is not removed from under them. */
const IN_USE = new Set(['ALLOCATED', 'DEPLOYING', 'DEPLOYED', 'RELEASING']);

export class VmHostRegistry {
  private readonly onReport = (agentId: string, report: AgentReport__Output): void => {
    const lxd = lxdReportOf(report);
    if (!lxd || !this.get(agentId)) return;
    this.applyReport(agentId, lxd).catch((err: unknown) => this.deps.logger.error({ err, host: agentId }, 'could not apply an LXD report'));
  };

  constructor(private readonly deps: VmHostRegistryDeps) {}

  /** Follows the agents' reports from now on. */
  start(): void {
    this.deps.hub.on('report', this.onReport);
  }

  stop(): void {
    this.deps.hub.off('report', this.onReport);
  }

  get(name: string): VmHost | undefined {
    return this.deps.store.tables.vmHosts.get(name) as VmHost | undefined;
  }

  require(name: string): VmHost {
    const host = this.get(name);
    if (!host) throw new VmHostNotFoundError(name);
    return host;
  }

  list(): VmHost[] {
    return [...this.deps.store.tables.vmHosts.getRange({})].map(({ value }) => value as VmHost);
  }

  /** Machine ids of the host's instances. */
  machineIds(name: string): string[] {
    return [...this.deps.machines.links(name).values()];
  }

  /** Instance name -> machine id, for the host's instances that are machines. */
  instanceLinks(name: string): Map<string, string> {
    return this.deps.machines.links(name);
  }

  async add(actor: Principal, spec: AddVmHostSpec): Promise<VmHost> {
    requireAdmin(actor, 'add VM hosts');
    const agent = this.deps.agents.require(spec.agent);
    if (agent.role !== 'vmhost') throw new NotAVmHostAgentError(agent.id, agent.role);
    const existing = this.get(agent.id);
    if (existing) throw new VmHostExistsError(agent.id, existing.project);
    this.checkPool(spec.pool);
    const what = `${spec.createProject ? 'create and assign' : 'assign'} LXD project ${spec.project}`;
    const answer = await this.deps.link.send(
      agent.id,
      { kind: 'lxdAssignProject', lxdAssignProject: { project: spec.project, create: spec.createProject } },
      what,
    );
    const host = await this.deps.store.write((scope) => {
      const raced = this.get(agent.id);
      if (raced) throw new VmHostExistsError(agent.id, raced.project);
      const now = this.deps.clock.now();
      const { createProject: _created, ...settings } = spec;
      const record: VmHost = { name: agent.id, ...settings, report: null, reportAt: null, createdAt: now, updatedAt: now };
      this.save(scope, actor.user, record, 'vmhost.added', `VM host ${record.name} added with LXD project ${record.project}`);
      return answer.report ? this.reconcile(scope, record, answer.report).host : record;
    });
    this.deps.logger.info({ host: host.name, project: host.project, created: spec.createProject }, 'VM host added');
    return host;
  }

  async update(actor: Principal, name: string, changes: VmHostChanges): Promise<VmHost> {
    requireAdmin(actor, 'update VM hosts');
    if (changes.pool !== undefined) this.checkPool(changes.pool);
    return this.deps.store.write((scope) => {
      const host = this.require(name);
      const next: VmHost = { ...host, ...changes };
      const what = Object.entries(changes)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
      return this.save(scope, actor.user, next, 'vmhost.updated', `VM host ${name}: ${what}`);
    });
  }

  /** Asks the agent for a fresh LXD report and reconciles with it before answering. */
  async refresh(actor: Principal, name: string): Promise<VmHost> {
    requireAdmin(actor, 'refresh VM hosts');
    const host = this.require(name);
    const answer = await this.deps.link.send(host.agent, { kind: 'lxdRefresh', lxdRefresh: {} }, 'refresh LXD resources and instances');
    if (answer.report) await this.applyReport(name, answer.report);
    return this.require(name);
  }

  /**
   * The agent releases the project (deleting its instances first when asked); the host's machines
   * go with it. Refused while any of them is in use.
   */
  async remove(actor: Principal, name: string, deleteInstances: boolean): Promise<string[]> {
    requireAdmin(actor, 'remove VM hosts');
    const host = this.require(name);
    const busy = this.machineIds(name)
      .map((id) => this.deps.store.tables.machines.get(id) as { hostname: string; status: string; owner: string | null } | undefined)
      .filter((m) => m && (IN_USE.has(m.status) || m.owner !== null))
      .map((m) => `${m!.hostname} ${m!.status}`);
    if (busy.length > 0) throw new VmHostInUseError(name, busy);
    const what = deleteInstances
      ? `delete the instances of LXD project ${host.project} and release it`
      : `release LXD project ${host.project}`;
    await this.deps.link.send(host.agent, { kind: 'lxdRelease', lxdRelease: { deleteInstances } }, what);
    const removed = await this.deps.store.write((scope) => {
      const gone: string[] = [];
      const why = deleteInstances ? `VM host ${name} removed with its instances` : `VM host ${name} removed (its instances stay in LXD)`;
      for (const [instance, id] of this.deps.machines.links(name)) {
        if (this.deps.machines.forget(scope, host, instance, id, why) !== 'none') gone.push(id);
      }
      this.deps.store.tables.vmHosts.removeSync(name);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'vmhost.removed',
        why,
        details: { vmHost: name, project: host.project, machines: gone.join(',') },
      });
      return gone;
    });
    this.deps.pending.forgetHost(name);
    return removed;
  }

  /** Stores the report and, when it is of the host's project, brings the machines in line. */
  async applyReport(name: string, report: LxdReport__Output): Promise<ReconcileOutcome | null> {
    const outcome = await this.deps.store.write((scope) => {
      const host = this.get(name);
      return host ? this.reconcile(scope, host, report).outcome : null;
    });
    if (outcome && outcome.created.length + outcome.removed.length + outcome.broken.length > 0)
      this.deps.logger.info({ host: name, ...outcome }, 'VM host machines reconciled');
    return outcome;
  }

  /** Inside a write: keeps the report and reconciles (only a connected report of the host's own project). */
  reconcile(scope: WriteScope, host: VmHost, report: LxdReport__Output): { host: VmHost; outcome: ReconcileOutcome | null } {
    const next: VmHost = { ...host, report, reportAt: this.deps.clock.now() };
    this.deps.store.tables.vmHosts.putSync(host.name, next);
    if (!report.connected || report.project !== host.project) return { host: next, outcome: null };
    const outcome = this.deps.machines.reconcile(scope, next, report, this.deps.pending);
    this.deps.pending.settle(
      host.name,
      report.instances.map((i) => i.name),
    );
    return { host: next, outcome };
  }

  private save(scope: WriteScope, actor: string, host: VmHost, kind: string, why: string): VmHost {
    const stamped: VmHost = { ...host, updatedAt: this.deps.clock.now() };
    this.deps.store.tables.vmHosts.putSync(host.name, stamped);
    this.deps.events.append(scope, {
      actor,
      kind,
      why,
      details: {
        vmHost: host.name,
        project: host.project,
        cpuOvercommit: String(host.cpuOvercommit),
        memoryOvercommit: String(host.memoryOvercommit),
        pool: host.pool,
      },
    });
    return stamped;
  }

  private checkPool(pool: string): void {
    if (!this.deps.pools.get(pool)) throw new NotFoundError('pool', pool);
  }
}
