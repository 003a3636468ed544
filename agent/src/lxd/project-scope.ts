// Everything the agent does to instances goes through one ProjectScope bound to the assigned
// project: every call carries ?project=P, and an instance LXD reports in any other project is
// treated as not there. Mooring is a tenant of that one project, never the owner of the host.

import { LxdApiError, LxdInvalidError, LxdNotFoundError } from './errors.js';
import { checkInstanceName } from './instance-spec.js';
import type { RawInstance } from './resources.js';
import type { LxdClient } from './rest-client.js';

// The features LXD 5.0 knows; any other features.* key the server sets on creation is turned off after.
const FEATURES = ['features.images', 'features.profiles', 'features.storage.volumes', 'features.networks'];

interface RawProject {
  name: string;
  config?: Record<string, string>;
}

/** Whether project name exists. */
export async function projectExists(client: LxdClient, name: string): Promise<boolean> {
  try {
    await client.get<RawProject>(`/1.0/projects/${encodeURIComponent(name)}`);
    return true;
  } catch (err) {
    if (err instanceof LxdApiError && err.notFound) return false;
    throw err;
  }
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
  if (on.length > 0) await client.call('PATCH', `/1.0/projects/${encodeURIComponent(name)}`, { body: { config: Object.fromEntries(on.map(([k]) => [k, 'false'])) } });
}

export function checkProjectName(name: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(name)) throw new LxdInvalidError('project', `${JSON.stringify(name)} is not a project name (letters, digits, _ . -, at most 63)`);
  return name;
}

export type PowerAction = 'start' | 'stop' | 'restart';

export class ProjectScope {
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
  async others(): Promise<RawInstance[]> {
    const all = await this.client.get<RawInstance[]>('/1.0/instances', { query: { recursion: '1', 'all-projects': 'true' } });
    return Array.isArray(all) ? all.filter((i) => i.project !== undefined && i.project !== this.project) : [];
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

  async create(body: Record<string, unknown>): Promise<RawInstance> {
    await this.client.call('POST', '/1.0/instances', { project: this.project, body });
    return this.get(String(body.name));
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
        await this.client.call('PUT', path, { project: this.project, body: { action: 'stop', timeout: this.stopGraceSeconds, force: false } });
      } catch {
        await this.client.call('PUT', path, { project: this.project, body: { action: 'stop', timeout: -1, force: true } });
      }
    } else if (action === 'restart' && current.status !== 'Running') {
      await this.client.call('PUT', path, { project: this.project, body: { action: 'start', timeout: -1 } });
    } else {
      await this.client.call('PUT', path, { project: this.project, body: { action, timeout: action === 'restart' ? this.stopGraceSeconds : -1, force: action === 'restart' } });
    }
    return this.get(name);
  }

  /** Deletes the instance, stopping it first (forced: it is going away). */
  async delete(name: string): Promise<void> {
    const current = await this.get(name);
    if (current.status !== 'Stopped') {
      await this.client.call('PUT', `/1.0/instances/${encodeURIComponent(name)}/state`, { project: this.project, body: { action: 'stop', timeout: -1, force: true } });
    }
    await this.client.call('DELETE', `/1.0/instances/${encodeURIComponent(name)}`, { project: this.project });
  }
}
