// Fencing of a sequence owner's writes, on a real 3-member etcd cluster: two stores on one prefix
// (two coordinators), each under its own lease (TTL 2 s). A writes inside its claim's fence and
// commits; once its lease is revoked (as etcd expires it) B takes the claim, and A's next fenced
// write is refused by etcd itself (the claim's create revision moved) with OwnershipLostError,
// storing nothing; an unfenced write of A still commits. A lease this coordinator counts as run
// out (no keepalive answered within the TTL) refuses before anything is sent. Beside it, each
// store's write batches learn from the coordinator registry how many coordinators share the prefix.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdClaimBoard } from '../../coordinator/src/ha/claim-board.js';
import { ActDeadline } from '../../coordinator/src/ha/act-deadline.js';
import { EtcdCoordinatorLease } from '../../coordinator/src/ha/coordinator-lease.js';
import { OwnershipLostError } from '../../coordinator/src/ha/errors.js';
import { presenceParts } from '../../coordinator/src/ha/presence-parts.js';
import { SequenceOwners } from '../../coordinator/src/ha/sequence-owners.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdStore } from '../../coordinator/src/store/etcd-store.js';
import { SecretCipher } from '../../coordinator/src/store/secrets-key.js';
import { runFenced } from '../../coordinator/src/store/write-fence.js';
import { EtcdCluster } from '../harness/etcd.js';
import { waitFor } from '../harness/ovs.js';

const logger = createLogger('silent');
const cipher = new SecretCipher(randomBytes(32));

describe('a sequence owner whose lease ended', () => {
  let cluster: EtcdCluster;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
  }, 90_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await cluster?.stop();
  });

  async function coordinator(prefix: string, id: string, now?: () => number) {
    const store = await EtcdStore.open({ endpoints: cluster.endpoints, tls: null, prefix, cipher, logger });
    const lease = await EtcdCoordinatorLease.grant({
      client: store.client,
      coordinatorId: id,
      ttlSeconds: 2,
      logger,
      ...(now ? { now } : {}),
    });
    const board = new EtcdClaimBoard(store, lease, 'seq', logger);
    await board.start();
    closers.push(
      () => store.close(),
      () => lease.close(),
      () => board.close(),
    );
    return { store, lease, board, owners: new SequenceOwners({ board, lease, logger }) };
  }

  it('cannot write once another coordinator took its sequence; what it wrote before stays', async () => {
    const prefix = `/fence-${process.pid}-a`;
    const a = await coordinator(prefix, 'coord-a');
    const b = await coordinator(prefix, 'coord-b');
    const owned = await a.owners.take('m-1');
    expect(owned).not.toBeNull();
    expect(await b.owners.take('m-1')).toBeNull(); // one owner at a time
    await runFenced(owned!, () => a.store.write(() => a.store.tables.meta.putSync('step', 'power-on')));
    await b.store.awaitRevision(a.store.revision);
    expect(b.store.tables.meta.get('step')).toBe('power-on');

    await a.lease.etcdLease.revoke(); // as etcd expires a lease not kept alive: its keys go with it
    const taken = await b.owners.take('m-1');
    expect(taken).not.toBeNull();
    const refused = runFenced(owned!, () => a.store.write(() => a.store.tables.meta.putSync('step', 'stale')));
    await expect(refused).rejects.toBeInstanceOf(OwnershipLostError);
    await expect(refused).rejects.toThrow(/ownership lost \(sequence m-1\).*taken anew by another coordinator/);
    await runFenced(taken!, () => b.store.write(() => b.store.tables.meta.putSync('step', 'wait-agents')));
    await a.store.awaitRevision(b.store.revision);
    expect(a.store.tables.meta.get('step')).toBe('wait-agents');
    // Unfenced work of A (not a sequence's) is not held back.
    await a.store.write(() => a.store.tables.meta.putSync('other', 'ok'));
    expect(a.store.tables.meta.get('other')).toBe('ok');
  }, 60_000);

  it('refuses before sending when its own count says the lease ran out (a paused process that woke)', async () => {
    let offset = 0;
    const a = await coordinator(`/fence-${process.pid}-b`, 'coord-a', () => performance.now() + offset);
    const owned = await a.owners.take('m-2');
    expect(owned).not.toBeNull();
    const lost: string[] = [];
    a.lease.onLost((why) => lost.push(why));
    const revision = a.store.revision;
    // What the ipmitool sessions read (ha/act-deadline.ts): they may act while the lease holds.
    const deadline = ActDeadline.open(a.lease.actDeadline.buffer);
    expect(deadline.allows()).toBe(true);
    offset = 2500; // as if the process had been stopped for 2.5 s, past the 2 s TTL
    expect(a.lease.holds()).toBe(false);
    expect(deadline.allows()).toBe(false);
    expect(lost).toEqual([expect.stringMatching(/no keepalive answered for \d+\.\d s, past the 2 s TTL/)]);
    await expect(runFenced(owned!, () => a.store.write(() => a.store.tables.meta.putSync('step', 'stale')))).rejects.toBeInstanceOf(
      OwnershipLostError,
    );
    expect(a.store.revision).toBe(revision);
    expect(a.store.tables.meta.get('step')).toBeUndefined();
  }, 60_000);

  it('tells each store how many coordinators share its prefix, as they register and go', async () => {
    const prefix = `/fence-${process.pid}-c`;
    const present = async (id: string) => {
      const c = await coordinator(prefix, id);
      const { registry } = presenceParts(c.store, c.lease, { host: '127.0.0.1', port: 7443 }, Date.now(), logger);
      closers.push(() => registry.close());
      await registry.start();
      return c;
    };
    const a = await present('coord-a');
    expect(a.store.coordinatorsWriting).toBe(1);
    const b = await present('coord-b');
    expect(b.store.coordinatorsWriting).toBe(2);
    await waitFor(() => Promise.resolve(a.store.coordinatorsWriting === 2), 10_000, 'a to see b registered');
    await b.lease.etcdLease.revoke(); // b's entry goes with its lease
    await waitFor(() => Promise.resolve(a.store.coordinatorsWriting === 1), 10_000, 'a to see b gone');
  }, 60_000);
});
