// Changes made through one coordinator reach another's caches and watchers through the etcd
// watch, on a real 3-member cluster: two stores on one prefix, each with its own event log, user
// directory and token service, as two coordinators have. A token revoked on A is refused on B
// (which had it cached) and B's stream opened with it ends; a role changed on A is B's at once;
// B's event subscribers see what A appends. A watch that falls behind etcd's compaction (its
// member down while the others write and compact) reloads the replica, its machine indexes derived
// afresh, and says so.
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../coordinator/src/clock.js';
import { EventLog, type CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore, type EtcdStoreOptions } from '../../coordinator/src/store/etcd-store.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { ApiTokens } from '../../coordinator/src/tenancy/api-tokens.js';
import { UnauthenticatedError } from '../../coordinator/src/tenancy/errors.js';
import { UserDirectory } from '../../coordinator/src/tenancy/user-directory.js';
import { EtcdCluster } from '../harness/etcd.js';
import { indexesImplied, indexesRead } from '../harness/machine-indexes.js';
import { machineRecord } from '../harness/machine-record.js';

const logger = createLogger('silent');
const cipher = new SecretCipher(randomBytes(32));
const root = { user: 'root', role: 'admin' as const, groups: [] };

/** What one coordinator builds over its store for tenancy. */
function coordinatorOn(store: EtcdStore): { events: EventLog; users: UserDirectory; tokens: ApiTokens } {
  const events = new EventLog(store.tables, systemClock);
  if (store.changes) events.follow(store.changes);
  const users = new UserDirectory({ store, events, clock: systemClock });
  const tokens = new ApiTokens({ store, users, events, clock: systemClock });
  tokens.start();
  return { events, users, tokens };
}

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('coordinators following each other through the etcd watch', () => {
  let cluster: EtcdCluster;
  const stores: EtcdStore[] = [];
  let n = 0;
  const open = async (prefix: string, options: Partial<EtcdStoreOptions> = {}): Promise<EtcdStore> => {
    const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger, ...options });
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
  }, 90_000);
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  });
  afterAll(async () => cluster?.stop());

  it("refuses on B a token revoked on A at once, ends B's stream, and follows A's role changes and events", async () => {
    const prefix = `/watch-${process.pid}-${n++}`;
    const a = await open(prefix);
    const b = await open(prefix);
    const onA = coordinatorOn(a);
    const onB = coordinatorOn(b);
    await onA.users.createUser(root, 'alice', 'member');
    const { token, secret } = await onA.tokens.create(root, { user: 'alice', description: 'ci', expiresInSeconds: 0 });
    await until('B to see the token', () => b.revision >= a.revision);

    // B verifies (and caches) the token, and opens a stream with it.
    expect(onB.tokens.authenticate(secret)).toEqual({ user: 'alice', role: 'member', groups: [] });
    const ended: UnauthenticatedError[] = [];
    onB.tokens.watch(secret, (error) => ended.push(error));
    const seenOnB: CoordinatorEvent[] = [];
    onB.events.subscribe((event) => seenOnB.push(event));

    // A role change on A: B's cached principal is dropped once B's replica shows it.
    await onA.users.setRole(root, 'alice', 'admin');
    await until('B to follow A', () => b.revision >= a.revision);
    expect(onB.tokens.authenticate(secret).role).toBe('admin');

    await onA.tokens.revoke(root, token.id);
    await until('B to follow A', () => b.revision >= a.revision);
    expect(() => onB.tokens.authenticate(secret)).toThrow('token revoked');
    expect(ended.map((e) => e.message)).toEqual(['token revoked']);
    // B's subscribers saw A's events, in order, each once.
    expect(seenOnB.map((e) => e.kind)).toEqual(['user.role-set', 'token.revoked']);
    expect(seenOnB.map((e) => e.seq)).toEqual([...onA.events.since(seenOnB[0]!.seq - 1)].map((e) => e.seq));
    expect(seenOnB[1]!.details['token']).toBe(token.id);
    // A's own subscribers see its events once (its commit and its watch do not both publish).
    const seenOnA: CoordinatorEvent[] = [];
    onA.events.subscribe((event) => seenOnA.push(event));
    await onA.users.createUser(root, 'bob', 'member');
    expect(seenOnA.map((e) => e.kind)).toEqual(['user.created']);
  }, 120_000);

  it('reloads a replica whose watch fell behind compaction, and reports it', async () => {
    const prefix = `/watch-${process.pid}-${n++}`;
    const a = await open(prefix);
    // B talks to member 0 only: stopping that member stops B's watch.
    const leader = await cluster.leader();
    const lone = leader === 0 ? 1 : 0;
    const b = await open(prefix, { endpoints: [cluster.endpoints[lone]!] });
    const onA = coordinatorOn(a);
    const onB = coordinatorOn(b);
    const seenOnB: CoordinatorEvent[] = [];
    onB.events.subscribe((event) => seenOnB.push(event));
    await onA.users.createUser(root, 'before', 'member');
    await until('B to follow A', () => b.revision >= a.revision);
    expect(b.replicaReloads).toBe(0);

    await cluster.kill(lone);
    for (const name of ['during-1', 'during-2', 'during-3']) await onA.users.createUser(root, name, 'member');
    await a.write(() => a.tables.meta.putSync('during', 'written while B was cut off'));
    const machinesOnA = new MachineTable(a.tables);
    await a.write(() => machinesOnA.save(null, machineRecord('m-during')));
    const client = new Etcd3({ hosts: cluster.endpoints.filter((_, i) => i !== lone) });
    try {
      await client.kv.compact({ revision: String(a.revision), physical: true });
    } finally {
      client.close();
    }
    await cluster.restart(lone);

    await until('B to reload its replica', () => b.replicaReloads >= 1 && b.revision >= a.revision, 90_000);
    expect(b.replicaState).toEqual({ type: 'following' });
    expect(b.tables.meta.get('during')).toBe('written while B was cut off');
    expect(onB.users.getUser('during-3')?.name).toBe('during-3');
    // The machine indexes derived afresh from the reloaded records (store/etcd-derived-indexes.ts).
    expect([...new MachineTable(b.tables).ready('', null)].map((m) => m.id)).toEqual(['m-during']);
    expect(indexesRead(b.tables)).toEqual(indexesImplied(b.tables));
    // What B missed reached its subscribers, in order.
    expect(seenOnB.map((e) => e.details['user'])).toEqual(['before', 'during-1', 'during-2', 'during-3']);
    // And B follows live changes again.
    await onA.users.createUser(root, 'after', 'member');
    await until('B to follow A again', () => b.revision >= a.revision);
    expect(seenOnB.at(-1)?.details['user']).toBe('after');
  }, 180_000);
});
