// Single-use, expiring enrollment tokens. A token reads `mre_<id>_<secret>`: the id finds the
// record, the secret's SHA-256 is compared in constant time; only the hash is stored, and the
// token is shown once. Consuming one marks it used in the same transaction that enrolls the agent.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Store, WriteScope } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { EnrollmentTokenError } from './errors.js';

export const AGENT_ROLES = ['smartnic', 'vmhost'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface EnrollmentTokenRecord {
  readonly id: string;
  readonly agentName: string;
  readonly role: AgentRole;
  readonly secretHash: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

const TOKEN_PATTERN = /^mre_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function hash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export interface EnrollmentTokensDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
}

export class EnrollmentTokens {
  constructor(private readonly deps: EnrollmentTokensDeps) {}

  /** Creates a token for agent `agentName`; the returned secret is the only copy. */
  async create(actor: Principal, agentName: string, role: AgentRole, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
    requireAdmin(actor, 'create agent enrollment tokens');
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    return this.deps.store.write((scope) => {
      const now = this.deps.clock.now();
      const record: EnrollmentTokenRecord = {
        id,
        agentName,
        role,
        secretHash: hash(secret).toString('hex'),
        createdBy: actor.user,
        createdAt: now,
        expiresAt: now + ttlMs,
        usedAt: null,
      };
      this.deps.store.tables.enrollmentTokens.putSync(id, record);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'agent.token-created',
        why: `enrollment token for agent ${agentName}`,
        details: { agent: agentName, role, expiresAt: new Date(record.expiresAt).toISOString() },
      });
      return { token: `mre_${id}_${secret}`, expiresAt: record.expiresAt };
    });
  }

  /**
   * Checks a token without using it up: format, id, secret, use and expiry. Reads one record and
   * hashes 43 characters, so it runs before anything costly in the request (the CSR) is looked at.
   * Throws EnrollmentTokenError saying whether it is malformed, unknown, used or expired.
   */
  check(token: string): EnrollmentTokenRecord {
    const match = TOKEN_PATTERN.exec(token);
    if (!match)
      throw new EnrollmentTokenError(
        `token: malformed enrollment token (expected mre_<16 hex digits>_<43 base64url characters>, got ${token.length} characters)`,
      );
    const record = this.deps.store.tables.enrollmentTokens.get(match[1]!) as EnrollmentTokenRecord | undefined;
    if (!record || !timingSafeEqual(hash(match[2]!), Buffer.from(record.secretHash, 'hex'))) {
      throw new EnrollmentTokenError('token: unknown enrollment token');
    }
    if (record.usedAt !== null)
      throw new EnrollmentTokenError(`token: this enrollment token was already used (at ${new Date(record.usedAt).toISOString()})`);
    if (record.expiresAt <= this.deps.clock.now())
      throw new EnrollmentTokenError(`token: this enrollment token expired at ${new Date(record.expiresAt).toISOString()}`);
    return record;
  }

  /**
   * Inside a write transaction: checks the token again (another enrollment may have used it since
   * check()) and marks it used. The caller's transaction rolls back if anything after this throws.
   */
  consume(scope: WriteScope, token: string): EnrollmentTokenRecord {
    void scope;
    const record = this.check(token);
    this.deps.store.tables.enrollmentTokens.putSync(record.id, { ...record, usedAt: this.deps.clock.now() });
    return record;
  }
}
