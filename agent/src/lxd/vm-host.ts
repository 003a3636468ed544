// The VM host side of the agent: one LXD, one assigned project (persisted in the agent store), the
// current LxdReport, and the operations the coordinator's commands map to. Reports are published
// through the 'report' event; while LXD is unreachable the report says so. A full refresh (server,
// /1.0/resources, storage pools, instances) runs on start, after every (re)subscription and on
// demand; a lifecycle event of the project (including changes made with `lxc`) re-reads only the
// instances, since reading /1.0/resources makes LXD walk sysfs and would slow a burst of composes.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { LxdComposeMessage, LxdInstanceMessage, LxdReportMessage, LxdStoragePoolMessage, LxdUsageMessage } from '../../../proto/mooring/v1/lxd-types.js';
import { Backoff } from '../common/backoff.js';
import { LxdAlreadyAssignedError, LxdInvalidError, LxdNotAssignedError, LxdNotFoundError, LxdUnavailableError } from './errors.js';
import { LxdEventStream, type StreamState } from './event-stream.js';
import { composeBody, instanceMessage } from './instance-spec.js';
import { checkProjectName, createEmptyProject, ProjectScope, projectExists, type PowerAction } from './project-scope.js';
import { hostResources, threadNodes, usageOf, type RawResources } from './resources.js';
import type { LxdClient } from './rest-client.js';

/** Where the assigned project is kept (the agent's LMDB store). */
export interface ProjectStore {
  lxdProject(): string | null;
  setLxdProject(project: string | null): Promise<void>;
}

export interface LxdHostOptions {
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
  pools: LxdStoragePoolMessage[];
}

export interface LxdHostEvents {
  report: [report: LxdReportMessage];
}

export class LxdHost extends EventEmitter<LxdHostEvents> {
  private current: LxdReportMessage;
  private scope: ProjectScope | null = null;
  private events: LxdEventStream | null = null;
  private nodes: ReadonlyMap<number, number> = new Map();
  private poolNames: string[] = [];
  private hostMemory = 0;
  private running: Promise<LxdReportMessage> | null = null;
  private queued: Promise<LxdReportMessage> | null = null;
  private fullWanted = true;
  private host: HostSnapshot | null = null;
  private otherUsage: LxdUsageMessage | null = null;
  private retry: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private closed = false;

  constructor(
    private readonly client: LxdClient,
    private readonly store: ProjectStore,
    private readonly options: LxdHostOptions,
    private readonly log: Logger,
  ) {
    super();
    this.backoff = new Backoff(options.reconnect);
    const project = store.lxdProject() ?? '';
    this.current = emptyReport(client.label, project, 'not connected yet');
  }

  get report(): LxdReportMessage {
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
    clearTimeout(this.retry);
    this.events?.close();
    this.events = null;
  }

  /**
   * A fresh report; concurrent callers share one refresh, and a call during a refresh gets the next
   * one. full (the default) re-reads host resources too; otherwise only the instances.
   */
  refresh(full = true): Promise<LxdReportMessage> {
    if (full) this.fullWanted = true;
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
        return this.refresh(false);
      });
    return this.queued;
  }

  /** Assigns (and with create, first creates empty) the project this agent manages. */
  async assign(project: string, create: boolean): Promise<LxdReportMessage> {
    checkProjectName(project);
    const current = this.store.lxdProject();
    if (current && current !== project) throw new LxdAlreadyAssignedError(current, project);
    const exists = await projectExists(this.client, project);
    if (create && exists && current !== project) throw new LxdInvalidError('project', `project ${project} already exists; assign it without create, or choose a new name`);
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
  async release(deleteInstances: boolean): Promise<LxdReportMessage> {
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

  async compose(req: LxdComposeMessage): Promise<LxdInstanceMessage> {
    const scope = this.requireScope('compose an instance');
    if (this.poolNames.length === 0 || this.nodes.size === 0) await this.refresh();
    const body = composeBody(req, { threadNodes: this.nodes, pools: this.poolNames, defaultImage: this.options.defaultImage });
    const created = await scope.create(body);
    this.log.info({ project: scope.project, instance: req.name, type: body.type, machineId: req.machineId || undefined }, 'composed instance');
    return instanceMessage(created, this.hostMemory);
  }

  async power(name: string, action: PowerAction | 'state'): Promise<LxdInstanceMessage> {
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
    events.on('lifecycle', (e) => {
      this.log.debug({ action: e.action, source: e.source }, 'LXD lifecycle event');
      this.refreshInBackground(e.action, false);
    });
    events.on('state', (s) => this.onStreamState(s));
    this.events = events;
    events.start();
  }

  private onStreamState(s: StreamState): void {
    if (s.type === 'open') this.refreshInBackground('event stream open');
    else if (s.type === 'down') this.publish({ ...this.current, connected: false, error: `LXD event stream lost (${s.reason}); resubscribing` });
  }

  private refreshInBackground(why: string, full = true): void {
    this.refresh(full).catch((err: unknown) => {
      this.log.warn({ why, err: (err as Error).message }, 'LXD refresh failed');
      // Without an event stream nothing else would notice LXD coming back: retry with backoff.
      if (!this.events && !this.closed && err instanceof LxdUnavailableError) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.refreshInBackground('retry'), this.backoff.next());
        this.retry.unref();
      }
    });
  }

  private async rebuild(): Promise<LxdReportMessage> {
    const scope = this.scope;
    try {
      const full = this.fullWanted || !this.host;
      this.fullWanted = false;
      const { info, raw, pools } = full ? await this.readHost() : this.host!;
      const resources = hostResources(raw, pools);
      // Other projects send this stream no events: their usage is re-read with the host's resources only.
      const [mine, other] = scope ? await Promise.all([scope.list(), full || !this.otherUsage ? scope.others().then((o) => usageOf(o, resources.memoryTotal)) : this.otherUsage]) : [[], null];
      this.otherUsage = other;
      this.nodes = threadNodes(raw);
      this.poolNames = pools.map((p) => p.name);
      this.hostMemory = resources.memoryTotal;
      this.backoff.reset();
      const report: LxdReportMessage = {
        connected: true,
        project: scope?.project ?? '',
        serverVersion: info.environment?.server_version ?? '',
        endpoint: this.client.label,
        resources: { ...resources, tracked: usageOf(mine, resources.memoryTotal), other: other ?? usageOf([], resources.memoryTotal) },
        instances: mine.map((i) => instanceMessage(i, resources.memoryTotal)).sort((a, b) => a.name.localeCompare(b.name)),
        error: scope ? '' : 'no LXD project assigned',
        refreshedAt: new Date().toISOString(),
        instanceTypes: instanceTypes(info.environment?.driver ?? ''),
      };
      this.publish(report);
      return report;
    } catch (err) {
      if (err instanceof LxdUnavailableError) this.fullWanted = true;
      this.publish({ ...this.current, connected: !(err instanceof LxdUnavailableError) && this.current.connected, error: (err as Error).message });
      throw err;
    }
  }

  private async readHost(): Promise<HostSnapshot> {
    try {
      const [info, raw, pools] = await Promise.all([this.client.get<ServerInfo>('/1.0'), this.client.get<RawResources>('/1.0/resources'), this.readPools()]);
      this.host = { info, raw, pools };
      return this.host;
    } catch (err) {
      this.fullWanted = true;
      throw err;
    }
  }

  private async readPools(): Promise<LxdStoragePoolMessage[]> {
    const pools = await this.client.get<{ name: string; driver?: string }[]>('/1.0/storage-pools', { query: { recursion: '1' } });
    return Promise.all(
      (Array.isArray(pools) ? pools : []).map(async (p) => {
        const r = await this.client.get<{ space?: { used?: number; total?: number } }>(`/1.0/storage-pools/${encodeURIComponent(p.name)}/resources`);
        return { name: p.name, driver: p.driver ?? '', usedBytes: r.space?.used ?? 0, totalBytes: r.space?.total ?? 0 };
      }),
    );
  }

  private publish(report: LxdReportMessage): void {
    this.current = report;
    this.emit('report', report);
  }
}

/** /1.0 environment.driver is "lxc", "qemu" or "lxc | qemu": the drivers that work on this host. */
function instanceTypes(driver: string): string[] {
  const drivers = driver.split('|').map((d) => d.trim());
  return [...(drivers.includes('lxc') ? ['container'] : []), ...(drivers.includes('qemu') ? ['virtual-machine'] : [])];
}

function emptyReport(endpoint: string, project: string, error: string): LxdReportMessage {
  return { connected: false, project, serverVersion: '', endpoint, resources: null, instances: [], error, refreshedAt: '', instanceTypes: [] };
}
