// Everything the agent does to instances goes through one ProjectScope bound to the assigned
// project: every call carries ?project=P, and an instance LXD reports in any other project is
// treated as not there. Mooring is a tenant of that one project, never the owner of the host.

import { Backoff } from '../../../proto/shared/backoff.js';
import { LxdApiError, LxdInvalidError, LxdNotFoundError, LxdOperationError } from './errors.js';
import { checkInstanceName, MACHINE_ID_KEY } from './instance-spec.js';
import type { RawInstance } from './resources.js';
import type { LxdClient } from './rest-client.js';
import type { ComposeBody } from './instance-spec.js';

/** How long a state change waits for LXD to finish another one on the same instance. */
const BUSY_RETRY_MS = 20_000;

// The features LXD 5.0 knows; any other features.* key the server sets on creation is turned off after.
const FEATURES = ['features.images', 'features.profiles', 'features.storage.volumes', 'features.networks'];

interface RawProject {
  name: string;
  config?: Record<string, string>;
}

/**
 * Whether project name exists. A certificate restricted to some projects
 * (`lxc config trust add --restricted --projects P`) gets 403 for any other project, existing or
 * not (LXD 5.0.2, checked): that is an LxdInvalidError naming the projects it may use.
 */
export async function projectExists(client: LxdClient, name: string): Promise<boolean> {
  try {
    await client.get<RawProject>(`/1.0/projects/${encodeURIComponent(name)}`);
    return true;
  } catch (err) {
    if (err instanceof LxdApiError && err.notFound) return false;
    if (err instanceof LxdApiError && err.status === 403) throw await outsideRestriction(client, name);
    throw err;
  }
}

/** The error for a project a restricted certificate may not use; /1.0/projects lists the ones it may. */
async function outsideRestriction(client: LxdClient, name: string): Promise<LxdInvalidError> {
  const allowed = await client
    .get<string[]>('/1.0/projects')
    .then((urls) => (Array.isArray(urls) ? urls.map((u) => decodeURIComponent(u.split('/').pop() ?? '')) : []))
    .catch(() => []);
  return new LxdInvalidError(
    'project',
    `LXD refuses project ${name} to this agent's certificate, which is restricted to ` +
      `${allowed.length ? `project${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')}` : 'other projects'}; ` +
      'a restricted certificate can neither see nor create other projects: assign one of those, or have the LXD host owner create ' +
      'the project and add it to the certificate (lxc config trust edit)',
  );
}

/**
 * Creates an empty project with every features.* off, so it shares the default project's images,
 * profiles, storage volumes and networks instead of owning copies of them.
 */
export async function createEmptyProject(client: LxdClient, name: string): Promise<void> {
  checkProjectName(name);
  const config = Object.fromEntries(FEATURES.map((f) => [f, 'false']));
  await client.call('POST', '/1.0/projects', { body: { name, description: 'Managed by Mooring', config } });
  const created = await client.get<RawProject>(`/1.0/projects/${encodeURIComponent(name)}`);
  const on = Object.entries(created.config ?? {}).filter(([k, v]) => k.startsWith('features.') && v !== 'false');
  if (on.length > 0)
    await client.call('PATCH', `/1.0/projects/${encodeURIComponent(name)}`, {
      body: { config: Object.fromEntries(on.map(([k]) => [k, 'false'])) },
    });
}

export function checkProjectName(name: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(name))
    throw new LxdInvalidError('project', `${JSON.stringify(name)} is not a project name (letters, digits, _ . -, at most 63)`);
  return name;
}

export type PowerAction = 'start' | 'stop' | 'restart';

/**
 * Other projects' instances, or why they cannot be known: LXD answers the all-projects listing of a
 * certificate restricted to its projects with 403 (LXD 5.0.2, checked), while the assigned
 * project, /1.0/resources and the storage pools stay readable.
 */
export type OtherInstances = { type: 'known'; instances: RawInstance[] } | { type: 'unknown'; note: string };

export class ProjectScope {
  /** The all-projects listing was refused last time it was asked (a restricted certificate). */
  private allProjectsRefused = false;

  constructor(
    private readonly client: LxdClient,
    readonly project: string,
    private readonly stopGraceSeconds: number,
  ) {}

  /** The project's instances (recursion=1), and nothing LXD reports for another project. */
  async list(): Promise<RawInstance[]> {
    const all = await this.client.get<RawInstance[]>('/1.0/instances', { project: this.project, query: { recursion: '1' } });
    if (!Array.isArray(all)) return [];
    return all.filter((i) => (i.project ?? this.project) === this.project);
  }

  /**
   * Instances of every other project, read only for the host's usage split: callers sum their
   * limits and never keep their names (LXD's all-projects listing, /1.0/instances?all-projects=true).
   */
  async others(): Promise<OtherInstances> {
    const all = await this.allProjects();
    return all.type === 'known' ? { type: 'known', instances: this.theirs(all.instances) } : all;
  }

  /**
   * The project's instances and other projects' usage from one all-projects listing (recursion=1),
   * split by each instance's project: one request and one rendering of the project's instances
   * instead of list() beside others(). Only instances naming the assigned project are the project's;
   * the rest are summed and forgotten as others() does. A certificate restricted to its projects is
   * refused that listing (403): then the project is listed on its own, and while the refusal lasts
   * both are asked in one round (the all-projects listing again, so that a certificate that loses
   * its restriction is noticed).
   */
  async listWithOthers(): Promise<{ mine: RawInstance[]; others: OtherInstances }> {
    if (this.allProjectsRefused) {
      const [mine, others] = await Promise.all([this.list(), this.others()]);
      this.allProjectsRefused = others.type === 'unknown';
      return { mine, others };
    }
    const all = await this.allProjects();
    if (all.type === 'unknown') {
      this.allProjectsRefused = true;
      return { mine: await this.list(), others: all };
    }
    return {
      mine: all.instances.filter((i) => i.project === this.project),
      others: { type: 'known', instances: this.theirs(all.instances) },
    };
  }

  /** Every instance on the host (each naming its project), or why LXD refuses to say. */
  private async allProjects(): Promise<OtherInstances> {
    try {
      const all = await this.client.get<RawInstance[]>('/1.0/instances', { query: { recursion: '1', 'all-projects': 'true' } });
      return { type: 'known', instances: Array.isArray(all) ? all : [] };
    } catch (err) {
      if (err instanceof LxdApiError && err.status === 403) {
        return {
          type: 'unknown',
          note: `LXD refuses to list other projects' instances to this agent's certificate (restricted to its projects): ${err.lxdMessage}`,
        };
      }
      throw err;
    }
  }

  private theirs(all: readonly RawInstance[]): RawInstance[] {
    return all.filter((i) => i.project !== undefined && i.project !== this.project);
  }

  async get(name: string): Promise<RawInstance> {
    checkInstanceName(name);
    try {
      const i = await this.client.get<RawInstance>(`/1.0/instances/${encodeURIComponent(name)}`, { project: this.project });
      if ((i.project ?? this.project) !== this.project) throw new LxdNotFoundError(`instance ${name} in project ${this.project}`);
      return i;
    } catch (err) {
      if (err instanceof LxdApiError && err.notFound) throw new LxdNotFoundError(`instance ${name} in project ${this.project}`);
      throw err;
    }
  }

  /**
   * Creates the instance (waiting for LXD's operation) and answers it as requested, without
   * reading it back: a new instance is Stopped with exactly the config and devices sent. What LXD
   * adds (volatile MAC addresses, its own created_at) reaches the report through the instance's
   * lifecycle event, which re-reads it anyway; a second GET here would cost every compose a round trip.
   *
   * A compose asked again for the same machine (its answer or the agent's record of it was lost)
   * answers the instance LXD already has: LXD refuses the name, and an instance of that name made
   * from the same request (type, every config key sent, the same devices; the machine id among
   * them) is that earlier compose, read back once. Any other instance holding the name is a
   * conflict, reported as LXD refused it.
   */
  async create(body: ComposeBody): Promise<RawInstance> {
    try {
      await this.client.call('POST', '/1.0/instances', { project: this.project, body });
    } catch (err) {
      const earlier = await this.earlierCompose(body, err);
      if (earlier) return earlier;
      throw err;
    }
    return {
      name: body.name,
      project: this.project,
      type: body.type,
      status: 'Stopped',
      created_at: new Date().toISOString(),
      config: body.config,
      devices: body.devices,
    };
  }

  /** The instance an earlier compose of `body` made, when `err` is LXD refusing its name for that; else null. */
  private async earlierCompose(body: ComposeBody, err: unknown): Promise<RawInstance | null> {
    const machineId = body.config[MACHINE_ID_KEY];
    // LXD 5.0 takes the POST and fails its operation ("This "instances" entry already exists");
    // others answer 409. Either way the instance is read: only one of this machine is the answer.
    const refused = (err instanceof LxdApiError && err.status === 409) || err instanceof LxdOperationError;
    if (!machineId || !refused) return null;
    const found = await this.get(body.name).catch(() => null);
    return found && madeBy(body, found) ? found : null;
  }

  /**
   * start, restart, or stop: a clean shutdown bounded by the grace period, then a forced stop when
   * the instance did not go down in time (LXD answers the timed-out stop with an error).
   */
  async power(name: string, action: PowerAction): Promise<RawInstance> {
    const current = await this.get(name);
    const path = `/1.0/instances/${encodeURIComponent(name)}/state`;
    if (action === 'start' && current.status === 'Running') return current;
    if (action === 'stop') {
      if (current.status === 'Stopped') return current;
      try {
        await this.changeState(path, { action: 'stop', timeout: this.stopGraceSeconds, force: false });
      } catch {
        try {
          await this.changeState(path, { action: 'stop', timeout: -1, force: true });
        } catch (err) {
          // The clean shutdown may finish just as the forced stop is asked ("container is not
          // running"): stopped is what was wanted.
          if ((await this.get(name)).status !== 'Stopped') throw err;
        }
      }
    } else if (action === 'restart' && current.status !== 'Running') {
      await this.changeState(path, { action: 'start', timeout: -1 });
    } else {
      await this.changeState(path, { action, timeout: action === 'restart' ? this.stopGraceSeconds : -1, force: action === 'restart' });
    }
    return this.get(name);
  }

  private changeState(path: string, body: Record<string, unknown>): Promise<unknown> {
    return this.unlessBusy(() => this.client.call('PUT', path, { project: this.project, body }));
  }

  /**
   * LXD refuses a change to an instance while another one is still finishing ("Instance is busy
   * running a stop operation", e.g. a clean shutdown that ended as a forced stop was asked, or a
   * stop still settling when a delete comes): that refusal is retried, with capped backoff, for up
   * to BUSY_RETRY_MS.
   */
  private async unlessBusy<T>(change: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + BUSY_RETRY_MS;
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
    for (;;) {
      try {
        return await change();
      } catch (err) {
        if (!(err instanceof Error) || !/is busy running/i.test(err.message)) throw err;
        const retry = backoff.wait();
        if (Date.now() + retry.delayMs > deadline) {
          backoff.cancel();
          throw err;
        }
        await retry.elapsed;
      }
    }
  }

  /** Deletes the instance, stopping it first (forced: it is going away). */
  async delete(name: string): Promise<void> {
    const current = await this.get(name);
    if (current.status !== 'Stopped') {
      await this.changeState(`/1.0/instances/${encodeURIComponent(name)}/state`, { action: 'stop', timeout: -1, force: true });
    }
    await this.unlessBusy(() => this.client.call('DELETE', `/1.0/instances/${encodeURIComponent(name)}`, { project: this.project }));
  }
}

/** Whether `found` is what composing `body` makes: its type, every config key sent, exactly its devices. */
function madeBy(body: ComposeBody, found: RawInstance): boolean {
  const config = found.config ?? {};
  if (found.type !== body.type || Object.entries(body.config).some(([k, v]) => config[k] !== v)) return false;
  const devices = found.devices ?? {};
  const names = Object.keys(body.devices);
  if (Object.keys(devices).length !== names.length) return false;
  return names.every((n) => {
    const want = body.devices[n]!;
    const have = devices[n] ?? {};
    return Object.keys(have).length === Object.keys(want).length && Object.entries(want).every(([k, v]) => have[k] === v);
  });
}
