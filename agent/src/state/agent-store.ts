// The agent's own durable state (LMDB in its data dir): the ports it should have bound, the
// command ids it has applied with their results, the last session epoch it was given, the desired
// SR-IOV state and, on VM hosts, the assigned LXD project. A restarted agent reads this back, so it
// neither repeats nor loses work.

import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { PortSpec } from '../ovs/port-spec.js';
import { AgentDataDirError, AGENT_DATABASE } from './agent-data-dir.js';
import { checkLmdbFile } from '../../../proto/shared/lmdb-file-check.js';
import type { SriovDesired__Output } from '../../../proto/generated/index.js';

export interface AppliedCommand {
  id: string;
  ok: boolean;
  errorCode: string;
  error: string;
  /** Ports reported with the result (name and state), kept so a repeat answers the same. */
  result: unknown;
  at: number;
}

/** Applied command ids kept for idempotency; older ones are dropped first, in batches. */
const MAX_APPLIED = 10_000;
const PRUNE_BATCH = 1_000;

export class AgentStore {
  private constructor(
    private readonly root: RootDatabase,
    private readonly desired: Database<PortSpec, string>,
    private readonly applied: Database<AppliedCommand, string>,
    private readonly meta: Database<unknown, string>,
  ) {}

  /** Opens (first time: creates, mode 0600) `<dataDir>/agent.mdb`; refuses a damaged one (AgentDataDirError). */
  static open(dataDir: string): AgentStore {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, AGENT_DATABASE);
    // Checked by reading before lmdb-js maps it: a truncated or overwritten file would crash the process.
    if (existsSync(file)) {
      const check = checkLmdbFile(file);
      if (!check.ok) throw new AgentDataDirError(file, check.problem);
    }
    // Durable commits: a command result is stored only once it is on disk. permissionsMode: lmdb-js's
    // mode for the files it creates (its typings omit it); older files are narrowed below.
    const root = open({ path: file, maxDbs: 8, compression: false, noSync: false, overlappingSync: false, ...{ permissionsMode: 0o600 } });
    for (const created of [file, `${file}-lock`]) if (existsSync(created)) chmodSync(created, 0o600);
    return new AgentStore(
      root,
      root.openDB<PortSpec, string>({ name: 'desired-ports' }),
      root.openDB<AppliedCommand, string>({ name: 'applied-commands' }),
      root.openDB<unknown, string>({ name: 'meta' }),
    );
  }

  desiredPorts(): PortSpec[] {
    return [...this.desired.getRange()].map((e) => e.value).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Changes the desired port set in one transaction. */
  async setDesired(change: { put?: readonly PortSpec[]; remove?: readonly string[]; replaceAll?: readonly PortSpec[] }): Promise<void> {
    await this.root.transaction(() => {
      if (change.replaceAll) {
        for (const key of this.desired.getKeys()) void this.desired.remove(key);
        for (const p of change.replaceAll) void this.desired.put(p.name, p);
      }
      for (const p of change.put ?? []) void this.desired.put(p.name, p);
      for (const name of change.remove ?? []) void this.desired.remove(name);
    });
  }

  appliedCommand(id: string): AppliedCommand | undefined {
    return this.applied.get(id);
  }

  async recordApplied(cmd: AppliedCommand): Promise<void> {
    await this.applied.put(cmd.id, cmd);
    const count = this.applied.getCount();
    if (count > MAX_APPLIED + PRUNE_BATCH) {
      const oldest = [...this.applied.getRange()].sort((a, b) => a.value.at - b.value.at).slice(0, count - MAX_APPLIED);
      await this.root.transaction(() => {
        for (const e of oldest) void this.applied.remove(e.key);
      });
    }
  }

  get lastEpoch(): number {
    const v = this.meta.get('last-epoch');
    return typeof v === 'number' ? v : 0;
  }

  async setLastEpoch(epoch: number): Promise<void> {
    await this.meta.put('last-epoch', epoch);
  }

  /** The configured coordinator entry (HOST:PORT as written) of the last session welcomed, or null. */
  lastCoordinator(): string | null {
    const v = this.meta.get('last-coordinator');
    return typeof v === 'string' && v ? v : null;
  }

  async setLastCoordinator(configured: string): Promise<void> {
    await this.meta.put('last-coordinator', configured);
  }

  /** The desired SR-IOV state last received from the coordinator (issue 7), or null. */
  desiredSriov(): SriovDesired__Output | null {
    const v = this.meta.get('sriov-desired');
    return v && typeof v === 'object' ? (v as SriovDesired__Output) : null;
  }

  async setDesiredSriov(desired: SriovDesired__Output): Promise<void> {
    await this.meta.put('sriov-desired', desired);
  }

  /** The LXD project this VM host agent manages (null: none assigned). */
  lxdProject(): string | null {
    const v = this.meta.get('lxd-project');
    return typeof v === 'string' && v ? v : null;
  }

  async setLxdProject(project: string | null): Promise<void> {
    if (project) await this.meta.put('lxd-project', project);
    else await this.meta.remove('lxd-project');
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
