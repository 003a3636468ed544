// The agent's own LXD, the VM host side of the agent (the coordinator's record of a VM host is
// coordinator/src/vmhosts/vm-host.ts, a different thing): one LXD, one assigned project (persisted
// in the agent store), the current LxdReport, and the operations the coordinator's commands map
// to. Reports are published through the 'report' event; while LXD is unreachable the report says
// so. A full refresh (server, /1.0/resources, storage pools, instances) runs on start and after
// every (re)subscription; a refresh on demand re-reads all but LXD's hardware scan (/1.0/resources)
// before answering and that scan beside it, publishing another report when it lands; a lifecycle
// event of the project (including changes made with `lxc`) re-reads only the instance it names (or
// the project's list, for events that name no single instance), since reading /1.0/resources or
// every instance per event would slow a burst of composes.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type {
  LxdCompose__Output,
  LxdInstance__Output,
  LxdOtherUsage__Output,
  LxdReport__Output,
  LxdStoragePool__Output,
  LxdUsage__Output,
} from '../../../proto/generated/index.js';
import { Backoff } from '../../../proto/shared/backoff.js';
import { LxdAlreadyAssignedError, LxdInvalidError, LxdNotAssignedError, LxdNotFoundError, LxdUnavailableError } from './errors.js';
import { LxdEventStream, type LifecycleEvent, type StreamState } from './event-stream.js';
import { composeBody, instanceMessage } from './instance-spec.js';
import {
  checkProjectName,
  createEmptyProject,
  ProjectScope,
  projectExists,
  type OtherInstances,
  type PowerAction,
} from './project-scope.js';
import { hostResources, threadNodes, usageOf, type RawInstance, type RawResources } from './resources.js';
import type { LxdClient } from './rest-client.js';

/** Where the assigned project is kept (the agent's LMDB store). */
export interface ProjectStore {
  lxdProject(): string | null;
  setLxdProject(project: string | null): Promise<void>;
}

export interface LocalLxdOptions {
  /** Image for a compose request naming none; empty: an empty instance (netboot). */
  defaultImage: string;
  /** Clean-shutdown bound before a stop is forced. */
  stopGraceSeconds: number;
  reconnect: { initialMs: number; maxMs: number };
}

interface ServerInfo {
  api_extensions?: string[];
  environment?: { server_version?: string; driver?: string };
}

interface HostSnapshot {
  info: ServerInfo;
  raw: RawResources;
  pools: LxdStoragePool__Output[];
  /** When raw (the hardware scan) was read, ISO 8601. */
  rawAt: string;
}

/**
 * How much a refresh reads before it answers, least to most:
 *   instances: the project's instances (a lifecycle event naming no single instance);
 *   report:    server, storage pools, every project's instances; LXD's hardware scan
 *              (/1.0/resources) is re-read beside it and a report follows when it lands, unless
 *              there is no scan yet (then it is read first);
 *   host:      all of that, the hardware scan included, before answering (start, the event
 *              stream (re)opened: LXD may have restarted on changed hardware).
 * /1.0/resources is LXD's slowest answer: it walks sysfs for every CPU, memory node, disk, NIC,
 * PCI and USB device, 100 ms on a quiet 2-core host and up to a second under load, several times
 * what listing 50 instances takes, while what the coordinator acts on there (threads, NUMA nodes,
 * memory and hugepage totals) changes only with the hardware or the host's boot settings.
 */
export type RefreshDepth = 'instances' | 'report' | 'host';
const DEPTH: Record<RefreshDepth, number> = { instances: 0, report: 1, host: 2 };

/** Other projects' usage as the report carries it: known (stopped instances not counted), or unknown and why. */
interface OtherUsage {
  usage: LxdUsage__Output | null;
  state: LxdOtherUsage__Output;
  note: string;
}

function otherUsageOf(others: OtherInstances, hostMemory: number): OtherUsage {
  return others.type === 'known'
    ? { usage: usageOf(others.instances, hostMemory, 'not-stopped'), state: 'LXD_OTHER_USAGE_KNOWN', note: '' }
    : { usage: null, state: 'LXD_OTHER_USAGE_UNKNOWN', note: others.note };
}

export interface LocalLxdEvents {
  report: [report: LxdReport__Output];
}

export class LocalLxd extends EventEmitter<LocalLxdEvents> {
  private current: LxdReport__Output;
  private scope: ProjectScope | null = null;
  private events: LxdEventStream | null = null;
  private nodes: ReadonlyMap<number, number> = new Map();
  private poolNames: string[] = [];
  private hostMemory = 0;
  private running: Promise<LxdReport__Output> | null = null;
  private queued: Promise<LxdReport__Output> | null = null;
  /** The deepest refresh asked for since the last one started. */
  private wanted: RefreshDepth = 'host';
  private host: HostSnapshot | null = null;
  /** Storage pool drivers by pool name, asked once per pool. */
  private readonly poolDrivers = new Map<string, string>();
  /** The hardware scan a 'report' refresh started and did not wait for; null when none runs. */
  private scan: Promise<void> | null = null;
  private otherUsage: OtherUsage | null = null;
  /** The assigned project's instances as last read, by name. */
  private mine = new Map<string, RawInstance>();
  /**
   * While a refresh's listing is in flight: what events read since it was asked (null: gone),
   * laid over the listing when it lands, which is older than they are.
   */
  private sinceListing: Map<string, RawInstance | null> | null = null;
  private eventChain: Promise<void> = Promise.resolve();
  /** Schedules the refresh retried while LXD is unreachable and no event stream would notice it return. */
  private readonly backoff: Backoff;
  private closed = false;

  constructor(
    private readonly client: LxdClient,
    private readonly store: ProjectStore,
    private readonly options: LocalLxdOptions,
    private readonly log: Logger,
  ) {
    super();
    this.backoff = new Backoff(options.reconnect);
    const project = store.lxdProject() ?? '';
    this.current = emptyReport(client.label, project, 'not connected yet');
  }

  get report(): LxdReport__Output {
    return this.current;
  }

  get project(): string | null {
    return this.scope?.project ?? null;
  }

  /** Reads LXD once and follows the assigned project's events from then on. */
  start(): void {
    const project = this.store.lxdProject();
    if (project) this.bind(project);
    this.refreshInBackground('start');
  }

  close(): void {
    this.closed = true;
    this.backoff.cancel();
    this.events?.close();
    this.events = null;
  }

  /**
   * A fresh report, read as deep as asked (RefreshDepth; by default all but the hardware scan,
   * which follows in a later report); concurrent callers share one refresh, and a call during a
   * refresh gets the next one.
   */
  refresh(depth: RefreshDepth = 'report'): Promise<LxdReport__Output> {
    if (DEPTH[depth] > DEPTH[this.wanted]) this.wanted = depth;
    if (!this.running) {
      this.running = this.rebuild().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh('instances');
      });
    return this.queued;
  }

  /** Assigns (and with create, first creates empty) the project this agent manages. */
  async assign(project: string, create: boolean): Promise<LxdReport__Output> {
    checkProjectName(project);
    const current = this.store.lxdProject();
    if (current && current !== project) throw new LxdAlreadyAssignedError(current, project);
    const exists = await projectExists(this.client, project);
    if (create && exists && current !== project)
      throw new LxdInvalidError('project', `project ${project} already exists; assign it without create, or choose a new name`);
    if (!exists) {
      if (!create) throw new LxdNotFoundError(`LXD project ${project} (create it, or ask for it to be created)`);
      await createEmptyProject(this.client, project);
      this.log.info({ project }, 'created LXD project (all features off)');
    }
    await this.store.setLxdProject(project);
    this.bind(project);
    this.log.info({ project }, 'LXD project assigned');
    return this.refresh();
  }

  /** Forgets the project; with deleteInstances, first deletes its instances (and only its). The project itself stays. */
  async release(deleteInstances: boolean): Promise<LxdReport__Output> {
    const scope = this.scope;
    if (scope && deleteInstances) {
      for (const i of await scope.list()) {
        await scope.delete(i.name);
        this.log.info({ project: scope.project, instance: i.name }, 'deleted instance on release');
      }
    }
    await this.store.setLxdProject(null);
    this.events?.close();
    this.events = null;
    this.scope = null;
    this.log.info({ project: scope?.project ?? null, deleteInstances }, 'LXD project released');
    return this.refresh();
  }

  async compose(req: LxdCompose__Output): Promise<LxdInstance__Output> {
    const scope = this.requireScope('compose an instance');
    if (this.poolNames.length === 0 || this.nodes.size === 0) await this.refresh();
    const body = composeBody(req, { threadNodes: this.nodes, pools: this.poolNames, defaultImage: this.options.defaultImage });
    const created = await scope.create(body);
    this.log.info(
      { project: scope.project, instance: req.name, type: body.type, machineId: req.machineId || undefined },
      'composed instance',
    );
    return instanceMessage(created, this.hostMemory);
  }

  async power(name: string, action: PowerAction | 'state'): Promise<LxdInstance__Output> {
    const scope = this.requireScope(`${action} instance ${name}`);
    const i = action === 'state' ? await scope.get(name) : await scope.power(name, action);
    return instanceMessage(i, this.hostMemory);
  }

  async delete(name: string): Promise<void> {
    const scope = this.requireScope(`delete instance ${name}`);
    await scope.delete(name);
    this.log.info({ project: scope.project, instance: name }, 'deleted instance');
  }

  private requireScope(action: string): ProjectScope {
    if (!this.scope) throw new LxdNotAssignedError(action);
    return this.scope;
  }

  private bind(project: string): void {
    if (this.scope?.project === project && this.events) return;
    this.events?.close();
    this.scope = new ProjectScope(this.client, project, this.options.stopGraceSeconds);
    const events = new LxdEventStream(this.client.endpoint, project, this.log.child({ component: 'lxd-events' }), this.options.reconnect);
    events.on('lifecycle', (e) => this.onLifecycle(e));
    events.on('state', (s) => this.onStreamState(s));
    this.events = events;
    events.start();
  }

  private onStreamState(s: StreamState): void {
    if (s.type === 'open') this.refreshInBackground('event stream open', 'host');
    else if (s.type === 'down')
      this.publish({ ...this.current, connected: false, error: `LXD event stream lost (${s.reason}); resubscribing` });
  }

  /** Events naming one instance update just that instance, in arrival order; others re-list the project. */
  private onLifecycle(e: LifecycleEvent): void {
    this.log.debug({ action: e.action, source: e.source }, 'LXD lifecycle event');
    const name = instanceOfSource(e.source);
    if (!name || !e.action.startsWith('instance-') || e.action === 'instance-renamed' || !this.host) {
      this.refreshInBackground(e.action, 'instances');
      return;
    }
    this.eventChain = this.eventChain
      .then(() => this.applyEvent(e.action, name))
      .catch((err: unknown) => {
        this.log.warn(
          { action: e.action, instance: name, err: (err as Error).message },
          'updating an instance from an event failed; re-listing',
        );
        this.refreshInBackground(e.action, 'instances');
      });
  }

  private async applyEvent(action: string, name: string): Promise<void> {
    const scope = this.scope;
    if (!scope) return;
    let now: RawInstance | null = null;
    if (action !== 'instance-deleted') {
      try {
        now = await scope.get(name);
      } catch (err) {
        if (!(err instanceof LxdNotFoundError)) throw err;
      }
    }
    if (now) this.mine.set(name, now);
    else this.mine.delete(name);
    this.sinceListing?.set(name, now);
    if (this.scope === scope) this.publishReport();
  }

  private refreshInBackground(why: string, depth: RefreshDepth = 'host'): void {
    this.refresh(depth).catch((err: unknown) => {
      this.log.warn({ why, err: (err as Error).message }, 'LXD refresh failed');
      // Without an event stream nothing else would notice LXD coming back: retry with backoff.
      if (!this.events && !this.closed && err instanceof LxdUnavailableError) {
        this.backoff.schedule(() => this.refreshInBackground('retry'));
      }
    });
  }

  /**
   * Reads what the refresh needs in one round: the host (server, pools, the hardware scan when it
   * is waited for) and the instances are asked at once, so the refresh takes as long as its slowest
   * answer rather than the sum. A 'report' or 'host' refresh lists every project's instances in one
   * request and splits them (ProjectScope.listWithOthers); an 'instances' one lists the project.
   */
  private async rebuild(): Promise<LxdReport__Output> {
    const scope = this.scope;
    const depth: RefreshDepth = this.host ? this.wanted : 'host';
    this.wanted = 'instances';
    const sinceListing = new Map<string, RawInstance | null>();
    this.sinceListing = sinceListing;
    try {
      const [, listed] = await Promise.all([
        depth === 'instances' ? null : this.readHost(depth === 'host'),
        !scope
          ? null
          : depth !== 'instances' || !this.otherUsage
            ? scope.listWithOthers()
            : scope.list().then((mine) => ({ mine, others: null })),
      ]);
      // Other projects send this stream no events: their usage is re-read with the host
      // (so an instance of theirs that starts or stops shows on the next refresh on demand).
      const other = !listed ? null : listed.others ? otherUsageOf(listed.others, this.hostMemory) : this.otherUsage;
      if (other?.state === 'LXD_OTHER_USAGE_UNKNOWN' && this.otherUsage?.state !== other.state)
        this.log.warn({ note: other.note }, "other projects' usage unknown: overcommit counts the assigned project only");
      this.otherUsage = other;
      this.mine = new Map((listed?.mine ?? []).map((i) => [i.name, i]));
      for (const [name, i] of sinceListing) {
        if (i) this.mine.set(name, i);
        else this.mine.delete(name);
      }
      this.backoff.reset();
      const report = this.publishReport();
      // Started once the answer is ready, not beside it: LXD's scan is CPU-bound and would slow
      // the very listing the refresh waits for.
      if (depth === 'report') this.scanInBackground();
      return report;
    } catch (err) {
      if (err instanceof LxdUnavailableError || !this.host) this.wanted = 'host';
      else if (DEPTH[depth] > DEPTH[this.wanted]) this.wanted = depth;
      this.publish({
        ...this.current,
        connected: !(err instanceof LxdUnavailableError) && this.current.connected,
        error: (err as Error).message,
      });
      throw err;
    } finally {
      if (this.sinceListing === sinceListing) this.sinceListing = null;
    }
  }

  /** Resolves once the hardware scan a refresh started in the background has landed (or failed). */
  hardwareScanSettled(): Promise<void> {
    return this.scan ?? Promise.resolve();
  }

  /** The report from what was read last: host snapshot, the project's instances, other projects' usage. */
  private publishReport(): LxdReport__Output {
    const scope = this.scope;
    const { info, raw, pools } = this.host!;
    const resources = hostResources(raw, pools);
    const mine = [...this.mine.values()];
    const report: LxdReport__Output = {
      connected: true,
      project: scope?.project ?? '',
      serverVersion: info.environment?.server_version ?? '',
      endpoint: this.client.label,
      resources: {
        ...resources,
        tracked: usageOf(mine, resources.memoryTotal),
        other: this.otherUsage ? this.otherUsage.usage : usageOf([], resources.memoryTotal),
        otherUsage: this.otherUsage?.state ?? 'LXD_OTHER_USAGE_KNOWN',
        otherUsageNote: this.otherUsage?.note ?? '',
      },
      instances: mine.map((i) => instanceMessage(i, resources.memoryTotal)).sort((a, b) => a.name.localeCompare(b.name)),
      error: scope ? '' : 'no LXD project assigned',
      refreshedAt: now(),
      resourcesReadAt: this.host!.rawAt,
      instanceTypes: instanceTypes(info.environment?.driver ?? ''),
    };
    this.publish(report);
    return report;
  }

  /**
   * Server info and pools, and the hardware scan: waited for when scanNow (or when there is none
   * yet), otherwise started in the background (one at a time) while the last one is used.
   */
  private async readHost(scanNow: boolean): Promise<HostSnapshot> {
    const previous = this.host;
    const wait = scanNow || !previous;
    const [info, pools, scanned] = await Promise.all([
      this.client.get<ServerInfo>('/1.0'),
      this.readPools(),
      wait ? this.client.get<RawResources>('/1.0/resources').then((raw) => ({ raw, rawAt: now() })) : null,
    ]);
    // The newest scan: this one, or the last (a background scan may have landed meanwhile).
    const last = this.host ?? previous!;
    return this.useHost({ info, pools, ...(scanned ?? { raw: last.raw, rawAt: last.rawAt }) });
  }

  /** Re-reads /1.0/resources without holding a refresh up; the report it changes is published when it lands. */
  private scanInBackground(): void {
    this.scan ??= this.client
      .get<RawResources>('/1.0/resources')
      .then((raw) => {
        if (this.closed || !this.host) return;
        this.useHost({ ...this.host, raw, rawAt: now() });
        // A report saying LXD is away stays until a refresh or the event stream says otherwise.
        if (this.current.connected) this.publishReport();
      })
      .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 're-reading the host resources failed'))
      .finally(() => {
        this.scan = null;
      });
  }

  /** Keeps snapshot and what compose checks against (threads by NUMA node, pools, host memory). */
  private useHost(snapshot: HostSnapshot): HostSnapshot {
    this.host = snapshot;
    this.nodes = threadNodes(snapshot.raw);
    this.poolNames = snapshot.pools.map((p) => p.name);
    this.hostMemory = hostResources(snapshot.raw, snapshot.pools).memoryTotal;
    return snapshot;
  }

  /**
   * The pools with their space. Names come from the plain listing: with recursion=1 LXD also works
   * out every pool's used_by (each instance and volume on it), which grows with the instances.
   * A pool's driver is fixed when it is created, so it is asked once per pool name.
   */
  private async readPools(): Promise<LxdStoragePool__Output[]> {
    const urls = await this.client.get<string[]>('/1.0/storage-pools');
    const names = (Array.isArray(urls) ? urls : []).map((u) => decodeURIComponent(u.split('?')[0]!.split('/').pop() ?? ''));
    for (const known of this.poolDrivers.keys()) if (!names.includes(known)) this.poolDrivers.delete(known);
    return Promise.all(
      names.map(async (name) => {
        const path = `/1.0/storage-pools/${encodeURIComponent(name)}`;
        const [driver, r] = await Promise.all([
          this.poolDrivers.get(name) ??
            this.client.get<{ driver?: string }>(path).then((p) => {
              this.poolDrivers.set(name, p.driver ?? '');
              return p.driver ?? '';
            }),
          this.client.get<{ space?: { used?: number; total?: number } }>(`${path}/resources`),
        ]);
        return { name, driver, usedBytes: r.space?.used ?? 0, totalBytes: r.space?.total ?? 0 };
      }),
    );
  }

  private publish(report: LxdReport__Output): void {
    this.current = report;
    this.emit('report', report);
  }
}

/** The instance name of an event source /1.0/instances/NAME?project=P; '' for anything deeper (snapshots, backups). */
function instanceOfSource(source: string): string {
  const m = /^\/1\.0\/instances\/([^/?]+)(?:\?.*)?$/.exec(source);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

/** /1.0 environment.driver is "lxc", "qemu" or "lxc | qemu": the drivers that work on this host. */
function instanceTypes(driver: string): string[] {
  const drivers = driver.split('|').map((d) => d.trim());
  return [...(drivers.includes('lxc') ? ['container'] : []), ...(drivers.includes('qemu') ? ['virtual-machine'] : [])];
}

function emptyReport(endpoint: string, project: string, error: string): LxdReport__Output {
  return {
    connected: false,
    project,
    serverVersion: '',
    endpoint,
    resources: null,
    instances: [],
    error,
    refreshedAt: '',
    resourcesReadAt: '',
    instanceTypes: [],
  };
}

const now = (): string => new Date().toISOString();
