// The agents the coordinator knows: enrolled identities, their revocation, their session epochs
// and ONLINE/OFFLINE state (durable, with an event for every change), plus the last hello's
// inventory. Heartbeat times and reports change too often to be worth a disk write each: they
// live in the session hub and are merged into what `agent list|show` returns.
import type { Inventory__Output } from '../../../proto/generated/index.js';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { AgentRole } from './enrollment-tokens.js';
import { normaliseSerial } from '../pki/certificate-serial.js';
import { AgentNotFoundError, AgentRevokedError, CertificateSupersededError } from './errors.js';

export type AgentState = 'NEVER_CONNECTED' | 'ONLINE' | 'OFFLINE';

export interface AgentRecord {
  readonly id: string;
  readonly role: AgentRole;
  readonly enrolledAt: number;
  readonly revokedAt: number | null;
  /**
   * Serial of the agent's current certificate (certificate-serial.ts spelling): the only one
   * admitted, but for `previousCert` after a renewal. Enrolling again replaces it and drops
   * `previousCert`, so no earlier certificate of the agent works again.
   */
  readonly certSerial: string;
  readonly certNotAfter: number;
  /**
   * After a renewal: the certificate it replaced, still admitted until `until` (RENEWAL_OVERLAP_MS
   * after the renewal) or until the renewed certificate is first presented, whichever is first.
   * Absent in records written before this field existed (read as null).
   */
  readonly previousCert?: { readonly serial: string; readonly until: number } | null;
  readonly epoch: number;
  readonly state: AgentState;
  readonly stateChangedAt: number;
  readonly stateReason: string;
  readonly version: string;
  readonly inventory: Inventory__Output | null;
  /**
   * ovn-controller on the agent's smartNIC as it last reported it (agent-ovn.ts): kept while the
   * agent is away (a smartNIC powered by its host is off with it). Absent: never reported.
   */
  readonly ovn?: AgentOvn | null;
  /**
   * The coordinator holding the agent's session (set when a session opens): its id and the lease
   * it lives under. Kept after the session ends; absent in records written before it existed.
   */
  readonly owner?: SessionOwner | null;
}

/** A coordinator incarnation: its stable id and the lease ('local' on LMDB) it registered under. */
export interface SessionOwner {
  readonly coordinator: string;
  readonly lease: string;
}

/** Agents marked OFFLINE in one write: each is a put and an event, inside etcd's 128 operations a Txn. */
const OFFLINE_BATCH = 25;

/** Open_vSwitch external_ids ovn-remote and system-id (ovn-controller's chassis name); "" when unset. */
export interface AgentOvn {
  readonly remote: string;
  readonly chassis: string;
}

export const SYSTEM_ACTOR = 'system';

/**
 * How long the certificate a renewal replaced is still admitted. The agent renews over one
 * connection and stores the new files afterwards; if it crashes in between, it comes back with the
 * old certificate and renews again within this window. Using the new certificate ends it at once.
 */
export const RENEWAL_OVERLAP_MS = 10 * 60 * 1000;

/** An admitted certificate: `until` is null for the current one, else when the overlap ends. */
export interface CertificateAdmission {
  readonly record: AgentRecord;
  readonly until: number | null;
}

export interface AgentRegistryDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
}

export class AgentRegistry {
  constructor(private readonly deps: AgentRegistryDeps) {}

  get(id: string): AgentRecord | undefined {
    return this.deps.store.tables.agents.get(id) as AgentRecord | undefined;
  }

  require(id: string): AgentRecord {
    const a = this.get(id);
    if (!a) throw new AgentNotFoundError(id);
    return a;
  }

  list(): AgentRecord[] {
    return [...this.deps.store.tables.agents.getRange()].map((e) => e.value as AgentRecord);
  }

  /** Agents in name order after `afterId` ('' for the first), read lazily (one page need not load them all). */
  *after(afterId: string): Generator<AgentRecord> {
    for (const { key, value } of this.deps.store.tables.agents.getRange({ start: afterId, snapshot: false })) {
      if (key !== afterId) yield value as AgentRecord;
    }
  }

  /** Inside the enrollment transaction: creates or readmits the agent with its new certificate. */
  enrolled(scope: WriteScope, id: string, role: AgentRole, certSerial: string, certNotAfter: number, actor: string): AgentRecord {
    const now = this.deps.clock.now();
    const prev = this.get(id);
    const record: AgentRecord = prev
      ? { ...prev, role, revokedAt: null, certSerial, certNotAfter, previousCert: null }
      : {
          id,
          role,
          enrolledAt: now,
          revokedAt: null,
          certSerial,
          certNotAfter,
          previousCert: null,
          epoch: 0,
          state: 'NEVER_CONNECTED',
          stateChangedAt: now,
          stateReason: 'enrolled',
          version: '',
          inventory: null,
        };
    this.deps.store.tables.agents.putSync(id, record);
    this.deps.events.append(scope, {
      actor,
      kind: 'agent.enrolled',
      why: prev ? `agent ${id} enrolled again` : `agent ${id} enrolled`,
      details: { agent: id, role, certNotAfter: new Date(certNotAfter).toISOString() },
    });
    return record;
  }

  /**
   * A renewal presented `presentedSerial` (admitted: current, or previous within its overlap) and
   * got `certSerial`. The presented certificate becomes the previous one; if it already was (a
   * second renewal after the first one's result was lost), its overlap keeps its original end.
   */
  async renewed(id: string, presentedSerial: string, certSerial: string, certNotAfter: number): Promise<void> {
    await this.deps.store.write((scope) => {
      const { record: a, until } = this.admitCertificate(id, presentedSerial);
      const now = this.deps.clock.now();
      const previousCert = { serial: normaliseSerial(presentedSerial), until: until ?? now + RENEWAL_OVERLAP_MS };
      this.deps.store.tables.agents.putSync(id, { ...a, certSerial, certNotAfter, previousCert });
      this.deps.events.append(scope, {
        actor: id,
        kind: 'agent.renewed',
        why: `agent ${id} renewed its certificate`,
        details: {
          agent: id,
          certNotAfter: new Date(certNotAfter).toISOString(),
          previousAdmittedUntil: new Date(previousCert.until).toISOString(),
        },
      });
    });
  }

  async revoke(actor: Principal, id: string): Promise<AgentRecord> {
    requireAdmin(actor, 'revoke agents');
    return this.deps.store.write((scope) => {
      const a = this.require(id);
      const now = this.deps.clock.now();
      const next: AgentRecord = { ...a, revokedAt: now };
      this.deps.store.tables.agents.putSync(id, next);
      this.deps.events.append(scope, { actor: actor.user, kind: 'agent.revoked', why: `agent ${id} revoked`, details: { agent: id } });
      return next;
    });
  }

  /** The agent exists and is not revoked (for commands addressed to it by name). */
  admit(id: string): AgentRecord {
    const a = this.require(id);
    if (a.revokedAt !== null) throw new AgentRevokedError(id);
    return a;
  }

  /**
   * Admits an agent presenting the certificate with serial `serial` (already verified against the
   * CA): it must not be revoked, and the certificate must be its current one, or the one its last
   * renewal replaced while that overlap lasts.
   */
  admitCertificate(id: string, serial: string): CertificateAdmission {
    const a = this.admit(id);
    const presented = normaliseSerial(serial);
    if (presented === normaliseSerial(a.certSerial)) return { record: a, until: null };
    const previous = a.previousCert ?? null;
    if (previous && previous.serial === presented) {
      if (this.deps.clock.now() < previous.until) return { record: a, until: previous.until };
      throw new CertificateSupersededError(
        id,
        presented,
        `a renewal replaced it and its overlap ended at ${new Date(previous.until).toISOString()}`,
      );
    }
    throw new CertificateSupersededError(id, presented, 'a renewal or a new enrollment replaced it');
  }

  /**
   * A new session on the certificate `serial`: epoch one higher than the last, ONLINE, with an
   * event. The renewed certificate's first use ends the previous one's overlap.
   */
  async sessionStarted(
    id: string,
    serial: string,
    version: string,
    inventory: Inventory__Output | null,
    owner: SessionOwner,
  ): Promise<CertificateAdmission> {
    return this.deps.store.write((scope) => {
      const { record: a, until } = this.admitCertificate(id, serial);
      const now = this.deps.clock.now();
      const next: AgentRecord = {
        ...a,
        ...(until === null ? { previousCert: null } : {}),
        epoch: a.epoch + 1,
        state: 'ONLINE',
        stateChangedAt: now,
        stateReason: 'session opened',
        version,
        inventory: inventory ?? a.inventory,
        owner,
      };
      this.deps.store.tables.agents.putSync(id, next);
      this.deps.events.append(scope, {
        actor: id,
        kind: 'agent.online',
        fromStatus: a.state,
        toStatus: 'ONLINE',
        why: `session ${next.epoch} opened`,
        details: { agent: id, epoch: String(next.epoch), version },
      });
      return { record: next, until };
    });
  }

  /** OFFLINE, unless a newer session has already replaced the one that ended. */
  async sessionEnded(id: string, epoch: number, why: string): Promise<void> {
    await this.deps.store.write((scope) => {
      const a = this.get(id);
      if (!a || a.epoch !== epoch || a.state !== 'ONLINE') return;
      this.putOffline(scope, a, why);
    });
  }

  /**
   * Stores what the agent reports of ovn-controller when it changed, with an event; false when
   * unchanged. An agent reports at every hello and status change and ovn-controller rarely changes:
   * an unchanged report is told apart by a read, without a write transaction (checked again inside
   * one when it did change).
   */
  async ovnReported(id: string, ovn: AgentOvn): Promise<boolean> {
    const unchanged = (a: AgentRecord | undefined): boolean =>
      !a || (!!a.ovn && a.ovn.remote === ovn.remote && a.ovn.chassis === ovn.chassis);
    if (unchanged(this.get(id))) return false;
    return this.deps.store.write((scope) => {
      const a = this.get(id);
      if (!a || unchanged(a)) return false;
      this.deps.store.tables.agents.putSync(id, { ...a, ovn });
      const why = ovn.remote
        ? `ovn-controller configured: chassis ${ovn.chassis || '-'}, remote ${ovn.remote}`
        : 'ovn-controller not configured (no ovn-remote)';
      this.deps.events.append(scope, {
        actor: id,
        kind: 'agent.ovn-changed',
        why,
        details: { agent: id, ovnRemote: ovn.remote, ovnChassis: ovn.chassis },
      });
      return true;
    });
  }

  /**
   * Marks OFFLINE every ONLINE agent whose session's owner `gone` says is gone (an absent owner is
   * one from before owners were recorded): at start, the sessions of this coordinator's earlier
   * run and of coordinators whose lease ended; later, those of a coordinator whose lease just
   * ended. Every coordinator that notices may run it: each agent is re-read and checked inside the
   * write, so one that reconnected elsewhere meanwhile is left alone and each change is made (and
   * its event appended) once, whoever commits first. Resolves with the agents it marked.
   */
  async markOrphansOffline(gone: (owner: SessionOwner | null) => boolean, why: string): Promise<string[]> {
    const orphaned = (a: AgentRecord | undefined): a is AgentRecord => a !== undefined && a.state === 'ONLINE' && gone(a.owner ?? null);
    const candidates = this.list()
      .filter(orphaned)
      .map((a) => a.id);
    const marked: string[] = [];
    for (let i = 0; i < candidates.length; i += OFFLINE_BATCH) {
      const batch = candidates.slice(i, i + OFFLINE_BATCH);
      const done = await this.deps.store.write((scope) => {
        const changed: string[] = [];
        for (const id of batch) {
          const a = this.get(id);
          if (!orphaned(a)) continue;
          this.putOffline(scope, a, why);
          changed.push(id);
        }
        return changed;
      });
      marked.push(...done);
    }
    return marked;
  }

  /** `a` goes OFFLINE for `why`, with its agent.offline event, in the caller's write. */
  private putOffline(scope: WriteScope, a: AgentRecord, why: string): void {
    this.deps.store.tables.agents.putSync(a.id, { ...a, state: 'OFFLINE', stateChangedAt: this.deps.clock.now(), stateReason: why });
    this.deps.events.append(scope, {
      actor: SYSTEM_ACTOR,
      kind: 'agent.offline',
      fromStatus: 'ONLINE',
      toStatus: 'OFFLINE',
      why,
      details: { agent: a.id, epoch: String(a.epoch) },
    });
  }
}
