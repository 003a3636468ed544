// Machine operations other than allocation and commissioning: enlist, show, list, reserve,
// annotate, release, mark broken/fixed, delete. Reads check visibility (invisible answers
// NOT_FOUND); writes re-read the record inside their transaction and go through MachineWriter.
import { randomBytes } from 'node:crypto';
import { readSecretFile, SecretFileError } from '../../../proto/shared/secret-file.js';
import { smartNicAgentProblem } from '../agents/smartnic-agents.js';
import type { Clock } from '../clock.js';
import { InvalidArgumentError } from '../domain-error.js';
import type { MachineTable } from '../store/machine-table.js';
import { memberShares, ownedShare } from '../store/member-index.js';
import type { Store, WriteScope } from '../store/store.js';
import type { SecretTable } from '../store/secret-table.js';
import { canSeeMachine, requireAdmin, requireWriter, seesAll } from '../tenancy/access.js';
import type { PoolRegistry } from '../tenancy/pool-registry.js';
import { NotFoundError } from '../tenancy/errors.js';
import type { Principal } from '../tenancy/user.js';
import { HostnameTakenError, MachineNotFoundError, NotMachineOwnerError } from './errors.js';
import { fixedStatus, requireStatus } from './lifecycle.js';
import { collectPage } from './list-page.js';
import {
  describeHolder,
  MACHINE_STATUSES,
  type Holder,
  type Machine,
  type MachineStatus,
  type Port,
  type PowerSettings,
} from './machine.js';
import type { MachineWriter } from './machine-writer.js';

export interface EnlistSpec {
  readonly hostname: string;
  readonly arch: string;
  readonly cores: number;
  readonly memoryMib: number;
  readonly tags: readonly string[];
  readonly pool: string;
  readonly zone: string;
  readonly power: PowerSettingsSpec;
  readonly ports: readonly Port[];
}

/**
 * The password file is read whenever the driver needs it; one it could never read (a FIFO,
 * /dev/zero, a huge file) is refused when it is given (enlist, power-settings edits) rather than
 * at commissioning.
 */
export async function checkPasswordFile(passwordFile: string | null): Promise<void> {
  if (passwordFile === null) return;
  await readSecretFile(passwordFile).catch((err: unknown) => {
    throw new InvalidArgumentError('power.password_file', err instanceof SecretFileError ? err.reason : 'cannot be read');
  });
}
/** Power settings as a request gives them: the password itself instead of hasPassword. */
export type PowerSettingsSpec = Omit<PowerSettings, 'hasPassword'> & { readonly password: string | null };

/** A reservation filter: one holder, a user or group of one name ('either'), or no reservation. */
export type ReservedForFilter = { readonly kind: 'user' | 'group' | 'either'; readonly name: string } | 'unreserved';

export interface MachineFilter {
  readonly status: MachineStatus | null;
  readonly pool: string | null;
  readonly owner: string | null;
  // Left out (older callers) means no filter, as null and [] do.
  readonly zone?: string | null;
  /** Every one of these tags (none: no tag filter). */
  readonly tags?: readonly string[];
  readonly reservedFor?: ReservedForFilter | null;
}

function reservedForMatches(filter: ReservedForFilter, holder: Holder | null): boolean {
  if (filter === 'unreserved') return holder === null;
  if (holder === null || holder.name !== filter.name) return false;
  return filter.kind === 'either' || filter.kind === holder.kind;
}

/** Whether `machine` passes the filters the indexes do not narrow (all but status and pool). */
function passes(machine: Machine, filter: MachineFilter): boolean {
  if (filter.pool !== null && machine.pool !== filter.pool) return false;
  if (filter.owner !== null && machine.owner !== filter.owner) return false;
  if (filter.zone != null && machine.zone !== filter.zone) return false;
  if ((filter.tags ?? []).some((tag) => !machine.tags.includes(tag))) return false;
  return filter.reservedFor == null || reservedForMatches(filter.reservedFor, machine.reservedFor);
}

const ANNOTATABLE: readonly MachineStatus[] = ['ALLOCATED', 'DEPLOYING', 'DEPLOYED'];
const RELEASABLE: readonly MachineStatus[] = ['ALLOCATED', 'DEPLOYED', 'FAILED_DEPLOYMENT'];
const DELETABLE: readonly MachineStatus[] = ['NEW', 'READY', 'BROKEN', 'FAILED_COMMISSIONING', 'FAILED_DEPLOYMENT'];

/**
 * Decides, inside the release transaction, whether a release goes through the BIOS-halt unbind
 * sequence (sequencer/sequenced-releases.ts). It is built from the sequencer alone, so the registry
 * takes it at construction: Deployments, which needs the registry, is built after both.
 */
export interface ReleaseRoute {
  /** The machine after (RELEASING, its sequence stored), or null when the release needs no sequence. */
  releaseThroughSequence(scope: WriteScope, actor: string, machine: Machine, reason: string): Machine | null;
}

export interface MachineRegistryDeps {
  readonly store: Store;
  readonly writer: MachineWriter;
  readonly secrets: SecretTable;
  readonly pools: PoolRegistry;
  readonly clock: Clock;
  readonly releases: ReleaseRoute;
}

export class MachineRegistry {
  constructor(private readonly deps: MachineRegistryDeps) {}

  table(): MachineTable {
    return this.deps.writer.table;
  }

  /** The machine `ref` (id or hostname) if `principal` may see it; NOT_FOUND otherwise. */
  getVisible(principal: Principal, ref: string): Machine {
    const machine = this.deps.writer.table.resolve(ref);
    if (!machine || !canSeeMachine(principal, machine)) throw new MachineNotFoundError(ref);
    return machine;
  }

  /**
   * One page of visible machines in id order, and the token of the next page ('' at the end). A
   * page reads at most LIST_READ_BUDGET machines (list-page.ts), so a filter matching few of them
   * gives a short page before the end.
   */
  list(principal: Principal, filter: MachineFilter, pageSize: number, pageToken: string): { machines: Machine[]; next: string } {
    const accept = (machine: Machine): boolean => canSeeMachine(principal, machine) && passes(machine, filter);
    const { items, next } = collectPage(this.candidates(principal, filter, pageToken), accept, pageSize);
    return { machines: items, next };
  }

  /**
   * How many machines of each status `principal` may see (statuses with none left out). Index
   * counts only, no record is read: for admins and observers the status index, for a member the
   * status entries of its shares in the member index (shares are disjoint, so their counts add).
   */
  countVisible(principal: Principal): Map<MachineStatus, number> {
    const table = this.deps.writer.table;
    const shares = seesAll(principal) ? null : memberShares(principal);
    const counts = new Map<MachineStatus, number>();
    for (const status of MACHINE_STATUSES) {
      const n = shares === null ? table.countByStatus(status) : shares.reduce((sum, share) => sum + table.countShare(share, status), 0);
      if (n > 0) counts.set(status, n);
    }
    return counts;
  }

  /**
   * Machines in id order after `afterId` that may pass `filter`: for admins and observers every
   * machine (of the status), for a member only the shares it sees, read from the member index
   * (store/member-index.ts) so that its page costs the same at any fleet size.
   */
  private candidates(principal: Principal, filter: MachineFilter, afterId: string): Iterable<Machine> {
    const table = this.deps.writer.table;
    if (seesAll(principal)) return table.list({ status: filter.status, afterId });
    // A member sees only its own machines among those anybody owns.
    if (filter.owner !== null && filter.owner !== principal.user) return [];
    const shares = filter.owner !== null ? [ownedShare(principal.user)] : memberShares(principal);
    return table.listShares(shares, { status: filter.status, pool: filter.pool, afterId });
  }

  async enlist(actor: Principal, spec: EnlistSpec): Promise<Machine> {
    requireAdmin(actor, 'enlist machines');
    const id = `m-${randomBytes(6).toString('hex')}`;
    await checkPasswordFile(spec.power.passwordFile);
    return this.deps.store.write((scope) => {
      if (this.deps.writer.table.hostnameTaken(spec.hostname)) throw new HostnameTakenError(spec.hostname);
      if (!this.deps.pools.get(spec.pool)) throw new NotFoundError('pool', spec.pool);
      spec.ports.forEach((port, i) => {
        const problem = port.smartNicAgentId
          ? smartNicAgentProblem(this.deps.store.tables, port.smartNicAgentId, this.deps.clock.now())
          : null;
        if (problem) throw new InvalidArgumentError(`ports[${i}].smart_nic_agent_id`, problem);
      });
      const now = this.deps.clock.now();
      const { password, ...power } = spec.power;
      const machine: Machine = {
        id,
        hostname: spec.hostname,
        arch: spec.arch,
        cores: spec.cores,
        memoryMib: spec.memoryMib,
        tags: [...new Set(spec.tags)].sort(),
        pool: spec.pool,
        zone: spec.zone,
        status: 'NEW',
        statusReason: '',
        owner: null,
        reservedFor: null,
        power: { ...power, hasPassword: password !== null },
        powerState: 'unknown',
        ports: spec.ports,
        annotations: {},
        brokenFrom: null,
        commissioned: false,
        createdAt: now,
        updatedAt: now,
      };
      this.deps.secrets.setPassword(id, password);
      return this.deps.writer.update(scope, actor.user, null, machine, 'machine.enlisted', `enlisted ${spec.hostname}`, {
        pool: spec.pool,
      });
    });
  }

  async reserve(actor: Principal, ref: string, holder: Holder | null): Promise<Machine> {
    requireAdmin(actor, holder ? 'reserve machines' : 'unreserve machines');
    return this.deps.store.write((scope) => {
      const machine = this.getVisible(actor, ref);
      if (holder) this.deps.pools.checkHolder(holder);
      const kind = holder ? 'machine.reserved' : 'machine.unreserved';
      return this.deps.writer.update(
        scope,
        actor.user,
        machine,
        { ...machine, reservedFor: holder },
        kind,
        `for ${describeHolder(holder)}`,
        {
          previous: describeHolder(machine.reservedFor),
        },
      );
    });
  }

  async annotate(actor: Principal, ref: string, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<Machine> {
    requireWriter(actor, 'annotate machines');
    return this.deps.store.write((scope) => {
      const machine = this.ownedBy(actor, ref);
      requireStatus(machine, ANNOTATABLE, 'annotate (annotations are for allocated machines)');
      const annotations: Record<string, string> = { ...machine.annotations, ...set };
      for (const key of remove) delete annotations[key];
      return this.deps.writer.update(scope, actor.user, machine, { ...machine, annotations }, 'machine.annotated', '', {
        set: Object.keys(set).join(','),
        removed: remove.join(','),
      });
    });
  }

  /** Returns the machine to READY, keeping its reservation; owner and annotations are cleared. */
  async release(actor: Principal, ref: string, reason: string): Promise<Machine> {
    requireWriter(actor, 'release machines');
    return this.deps.store.write((scope) => {
      const machine = this.ownedBy(actor, ref);
      requireStatus(machine, RELEASABLE, 'release');
      const sequenced = this.deps.releases.releaseThroughSequence(scope, actor.user, machine, reason);
      if (sequenced) return sequenced;
      return this.deps.writer.transitionThrough(scope, actor.user, machine, ['RELEASING', 'READY'], 'release', reason, {
        owner: null,
        annotations: {},
        statusReason: '',
      });
    });
  }

  async markBroken(actor: Principal, ref: string, reason: string): Promise<Machine> {
    requireAdmin(actor, 'mark machines broken');
    return this.deps.store.write((scope) => {
      const machine = this.getVisible(actor, ref);
      return this.deps.writer.transition(scope, actor.user, machine, 'BROKEN', 'mark broken', reason, {
        brokenFrom: machine.status,
        statusReason: reason,
      });
    });
  }

  async markFixed(actor: Principal, ref: string, reason: string): Promise<Machine> {
    requireAdmin(actor, 'mark machines fixed');
    return this.deps.store.write((scope) => {
      const machine = this.getVisible(actor, ref);
      requireStatus(machine, ['BROKEN'], 'mark fixed');
      return this.deps.writer.transition(scope, actor.user, machine, fixedStatus(machine), 'mark fixed', reason, {
        brokenFrom: null,
        statusReason: '',
      });
    });
  }

  async delete(actor: Principal, ref: string): Promise<void> {
    requireAdmin(actor, 'delete machines');
    await this.deps.store.write((scope) => {
      const machine = this.getVisible(actor, ref);
      requireStatus(machine, DELETABLE, 'delete');
      this.deps.writer.remove(scope, actor.user, machine);
    });
  }

  /** A visible machine the actor owns (admins act on any machine). */
  private ownedBy(actor: Principal, ref: string): Machine {
    const machine = this.getVisible(actor, ref);
    if (actor.role !== 'admin' && machine.owner !== actor.user) throw new NotMachineOwnerError(machine.id, actor.user);
    return machine;
  }
}
