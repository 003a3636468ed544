// The agents the coordinator knows: enrolled identities, their revocation, their session epochs
// and ONLINE/OFFLINE state (durable, with an event for every change), plus the last hello's
// inventory. Heartbeat times and reports change too often to be worth a disk write each: they
// live in the session hub and are merged into what `agent list|show` returns.
import type { InventoryMessage } from '../../../proto/mooring/v1/agent-types.js';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { AgentRole } from './enrollment-tokens.js';
import { AgentNotFoundError, AgentRevokedError } from './errors.js';

export type AgentState = 'NEVER_CONNECTED' | 'ONLINE' | 'OFFLINE';

export interface AgentRecord {
  readonly id: string;
  readonly role: AgentRole;
  readonly enrolledAt: number;
  readonly revokedAt: number | null;
  /** Serial of the newest certificate issued; older ones stay valid until they expire. */
  readonly certSerial: string;
  readonly certNotAfter: number;
  readonly epoch: number;
  readonly state: AgentState;
  readonly stateChangedAt: number;
  readonly stateReason: string;
  readonly version: string;
  readonly inventory: InventoryMessage | null;
}

export const SYSTEM_ACTOR = 'system';

export class AgentRegistry {
  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  get(id: string): AgentRecord | undefined {
    return this.store.tables.agents.get(id) as AgentRecord | undefined;
  }

  require(id: string): AgentRecord {
    const a = this.get(id);
    if (!a) throw new AgentNotFoundError(id);
    return a;
  }

  list(): AgentRecord[] {
    return [...this.store.tables.agents.getRange()].map((e) => e.value as AgentRecord);
  }

  /** Inside the enrollment transaction: creates or readmits the agent with its new certificate. */
  enrolled(scope: WriteScope, id: string, role: AgentRole, certSerial: string, certNotAfter: number, actor: string): AgentRecord {
    const now = this.clock.now();
    const prev = this.get(id);
    const record: AgentRecord = prev
      ? { ...prev, role, revokedAt: null, certSerial, certNotAfter }
      : { id, role, enrolledAt: now, revokedAt: null, certSerial, certNotAfter, epoch: 0, state: 'NEVER_CONNECTED', stateChangedAt: now, stateReason: 'enrolled', version: '', inventory: null };
    this.store.tables.agents.putSync(id, record);
    this.events.append(scope, { actor, kind: 'agent.enrolled', why: prev ? `agent ${id} enrolled again` : `agent ${id} enrolled`, details: { agent: id, role, certNotAfter: new Date(certNotAfter).toISOString() } });
    return record;
  }

  async renewed(id: string, certSerial: string, certNotAfter: number): Promise<void> {
    await this.store.write((scope) => {
      const a = this.require(id);
      if (a.revokedAt !== null) throw new AgentRevokedError(id);
      this.store.tables.agents.putSync(id, { ...a, certSerial, certNotAfter });
      this.events.append(scope, { actor: id, kind: 'agent.renewed', why: `agent ${id} renewed its certificate`, details: { agent: id, certNotAfter: new Date(certNotAfter).toISOString() } });
    });
  }

  async revoke(actor: Principal, id: string): Promise<AgentRecord> {
    requireAdmin(actor, 'revoke agents');
    return this.store.write((scope) => {
      const a = this.require(id);
      const now = this.clock.now();
      const next: AgentRecord = { ...a, revokedAt: now };
      this.store.tables.agents.putSync(id, next);
      this.events.append(scope, { actor: actor.user, kind: 'agent.revoked', why: `agent ${id} revoked`, details: { agent: id } });
      return next;
    });
  }

  /** Admits an agent presenting a certificate: it must be enrolled and not revoked. */
  admit(id: string): AgentRecord {
    const a = this.require(id);
    if (a.revokedAt !== null) throw new AgentRevokedError(id);
    return a;
  }

  /** A new session: epoch one higher than the last, ONLINE, with an event. */
  async sessionStarted(id: string, version: string, inventory: InventoryMessage | null): Promise<AgentRecord> {
    return this.store.write((scope) => {
      const a = this.admit(id);
      const now = this.clock.now();
      const next: AgentRecord = { ...a, epoch: a.epoch + 1, state: 'ONLINE', stateChangedAt: now, stateReason: 'session opened', version, inventory: inventory ?? a.inventory };
      this.store.tables.agents.putSync(id, next);
      this.events.append(scope, { actor: id, kind: 'agent.online', fromStatus: a.state, toStatus: 'ONLINE', why: `session ${next.epoch} opened`, details: { agent: id, epoch: String(next.epoch), version } });
      return next;
    });
  }

  /** OFFLINE, unless a newer session has already replaced the one that ended. */
  async sessionEnded(id: string, epoch: number, why: string): Promise<void> {
    await this.store.write((scope) => {
      const a = this.get(id);
      if (!a || a.epoch !== epoch || a.state !== 'ONLINE') return;
      this.store.tables.agents.putSync(id, { ...a, state: 'OFFLINE', stateChangedAt: this.clock.now(), stateReason: why });
      this.events.append(scope, { actor: SYSTEM_ACTOR, kind: 'agent.offline', fromStatus: 'ONLINE', toStatus: 'OFFLINE', why, details: { agent: id, epoch: String(epoch) } });
    });
  }

  /** On coordinator start: no session survives a restart, so every ONLINE agent is OFFLINE until it reconnects. */
  async markAllOffline(): Promise<number> {
    return this.store.write((scope) => {
      let n = 0;
      for (const a of this.list()) {
        if (a.state !== 'ONLINE') continue;
        this.store.tables.agents.putSync(a.id, { ...a, state: 'OFFLINE', stateChangedAt: this.clock.now(), stateReason: 'coordinator restarted' });
        this.events.append(scope, { actor: SYSTEM_ACTOR, kind: 'agent.offline', fromStatus: 'ONLINE', toStatus: 'OFFLINE', why: 'coordinator restarted', details: { agent: a.id, epoch: String(a.epoch) } });
        n++;
      }
      return n;
    });
  }
}
