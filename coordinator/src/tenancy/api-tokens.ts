// API tokens: random, shown once, stored hashed, revocable, optionally expiring. A token reads
// `mrt_<id>_<secret>`; the id finds the record, the secret's SHA-256 is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from './access.js';
import { NotFoundError, UnauthenticatedError } from './errors.js';
import { TokenWatchers } from './token-watchers.js';
import type { Principal } from './user.js';
import type { UserDirectory } from './user-directory.js';

export interface TokenRecord {
  readonly id: string;
  readonly user: string;
  readonly description: string;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

export type TokenInfo = Omit<TokenRecord, 'secretHash'>;

const TOKEN_PATTERN = /^mrt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function info(record: TokenRecord): TokenInfo {
  const { secretHash: _secretHash, ...rest } = record;
  return rest;
}

const CACHE_LIMIT = 10_000;

export interface ApiTokensDeps {
  readonly store: Store;
  readonly users: UserDirectory;
  readonly events: EventLog;
  readonly clock: Clock;
}

export class ApiTokens {
  /**
   * Verified tokens -> who they stand for, so a busy client does not pay for hashing and two
   * lookups on every call. Any change to users, groups or tokens clears it (on commit, before the
   * changing call answers), so a revocation takes effect at once; expiry is checked on every use.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number | null }>();
  /** Bumped whenever a change to users, groups or tokens clears `verified`. */
  private generation = 0;
  /**
   * Per call (keyed by its headers object), what its token was found to stand for: the call guard
   * authenticates a call's headers as they arrive and the handler asks again for the same headers;
   * the second ask is answered from here unless anything changed since (generation, expiry).
   */
  private readonly calls = new WeakMap<object, { principal: Principal; expiresAt: number | null; generation: number }>();
  /** Streams opened with a token, ended when it is revoked or expires (token-watchers.ts). */
  private readonly watchers: TokenWatchers;

  /** Ends the event subscription start() made; null while not started. */
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ApiTokensDeps) {
    this.watchers = new TokenWatchers(deps.clock, (id) => this.problem(id));
  }

  /** Follows changes to users, groups and tokens from now on (clears the cache, ends watched streams). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.deps.events.subscribe((event) => {
      if (/^(user|group|token)\./.test(event.kind)) {
        this.verified.clear();
        this.generation++;
      }
      this.watchers.onEvent(event);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Creates a token for `user` (admins: anyone; others: themselves) and returns its only copy. */
  async create(
    actor: Principal,
    request: { user: string; description: string; expiresInSeconds: number },
  ): Promise<{ token: TokenInfo; secret: string }> {
    if (request.user !== actor.user) requireAdmin(actor, `create tokens for ${request.user}`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    return this.deps.store.write((scope) => {
      if (!this.deps.users.getUser(request.user)) throw new NotFoundError('user', request.user);
      const now = this.deps.clock.now();
      const record: TokenRecord = {
        id,
        user: request.user,
        description: request.description,
        secretHash: hashSecret(secret),
        createdAt: now,
        expiresAt: request.expiresInSeconds > 0 ? now + request.expiresInSeconds * 1000 : null,
        revokedAt: null,
      };
      this.deps.store.tables.tokens.putSync(id, record);
      this.deps.events.append(scope, {
        actor: actor.user,
        kind: 'token.created',
        why: request.description,
        details: { user: request.user, token: id },
      });
      return { token: info(record), secret: `mrt_${id}_${secret}` };
    });
  }

  list(actor: Principal, user: string): TokenInfo[] {
    if (user !== actor.user) requireAdmin(actor, `list tokens of ${user}`);
    const tokens: TokenInfo[] = [];
    for (const { value } of this.deps.store.tables.tokens.getRange({})) {
      const record = value as TokenRecord;
      if (record.user === user) tokens.push(info(record));
    }
    return tokens;
  }

  async revoke(actor: Principal, id: string): Promise<TokenInfo> {
    return this.deps.store.write((scope) => {
      const record = this.deps.store.tables.tokens.get(id) as TokenRecord | undefined;
      // Someone else's token answers NOT_FOUND to a non-admin, as if it did not exist.
      if (!record || (record.user !== actor.user && actor.role !== 'admin')) throw new NotFoundError('token', id);
      if (record.revokedAt !== null) return info(record);
      const revoked: TokenRecord = { ...record, revokedAt: this.deps.clock.now() };
      this.deps.store.tables.tokens.putSync(id, revoked);
      this.deps.events.append(scope, { actor: actor.user, kind: 'token.revoked', why: '', details: { user: record.user, token: id } });
      return info(revoked);
    });
  }

  /**
   * Calls `onInvalid` once, when `token` (already authenticated) is revoked, expires or loses its
   * user; the returned function stops watching. Streams use it to end with UNAUTHENTICATED.
   */
  watch(token: string, onInvalid: (error: UnauthenticatedError) => void): () => void {
    const id = TOKEN_PATTERN.exec(token)?.[1];
    const record = id === undefined ? undefined : (this.deps.store.tables.tokens.get(id) as TokenRecord | undefined);
    if (!record) throw new UnauthenticatedError('unknown token');
    const problem = this.problem(record.id);
    if (problem) throw problem;
    return this.watchers.add({ id: record.id, user: record.user, expiresAt: record.expiresAt }, onInvalid);
  }

  /** How many streams are being watched for their token's end. */
  watchCount(): number {
    return this.watchers.size();
  }

  /** Why the stored token `id` no longer admits its holder, or null while it does. */
  private problem(id: string): UnauthenticatedError | null {
    const record = this.deps.store.tables.tokens.get(id) as TokenRecord | undefined;
    if (!record) return new UnauthenticatedError('unknown token');
    if (record.revokedAt !== null) return new UnauthenticatedError('token revoked');
    if (record.expiresAt !== null && record.expiresAt <= this.deps.clock.now()) return new UnauthenticatedError('token expired');
    if (!this.deps.users.getUser(record.user)) return new UnauthenticatedError('token user no longer exists');
    return null;
  }

  /**
   * The principal of the call whose headers are `headers`, its bearer token read by `token`:
   * authenticated once per call however often asked, while nothing changes in between.
   */
  authenticateCall(headers: object, token: () => string): Principal {
    const known = this.calls.get(headers);
    if (known && known.generation === this.generation && (known.expiresAt === null || known.expiresAt > this.deps.clock.now()))
      return known.principal;
    const bearer = token();
    const principal = this.authenticate(bearer);
    const expiresAt = this.verified.get(bearer)?.expiresAt ?? null;
    this.calls.set(headers, { principal, expiresAt, generation: this.generation });
    return principal;
  }

  /** The principal a bearer token stands for; throws UnauthenticatedError otherwise. */
  authenticate(token: string): Principal {
    const known = this.verified.get(token);
    if (known && (known.expiresAt === null || known.expiresAt > this.deps.clock.now())) return known.principal;
    const match = TOKEN_PATTERN.exec(token);
    if (!match) throw new UnauthenticatedError('malformed token');
    const [, id, secret] = match as unknown as [string, string, string];
    const record = this.deps.store.tables.tokens.get(id) as TokenRecord | undefined;
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (!record || !timingSafeEqual(given, Buffer.from(record.secretHash, 'hex'))) {
      throw new UnauthenticatedError('unknown token');
    }
    if (record.revokedAt !== null) throw new UnauthenticatedError('token revoked');
    if (record.expiresAt !== null && record.expiresAt <= this.deps.clock.now()) throw new UnauthenticatedError('token expired');
    const user = this.deps.users.getUser(record.user);
    if (!user) throw new UnauthenticatedError('token user no longer exists');
    const principal: Principal = { user: user.name, role: user.role, groups: user.groups };
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, { principal, expiresAt: record.expiresAt });
    return principal;
  }
}
