// The member index (store/member-index.ts) against the visibility rule it stands for
// (tenancy/access.ts canSeeMachine), on a real coordinator in this process with its LMDB store in a
// temp dir: a member's listing read through the index equals the straightforward filter over every
// machine on randomized fleets, filters and page sizes; the index stays equal to what the records
// imply across allocate, release, reserve, unreserve, group membership changes, pool moves,
// mark-broken and delete; pages stay in id order with no duplicates or gaps while machines change;
// and the schema 8 migration builds the index for a store written before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_CONSTRAINTS } from '../../coordinator/src/allocation/constraints.js';
import { loadConfig } from '../../coordinator/src/config.js';
import { Coordinator } from '../../coordinator/src/coordinator.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { MACHINE_STATUSES, type Holder, type Machine } from '../../coordinator/src/machines/machine.js';
import type { MachineFilter } from '../../coordinator/src/machines/machine-registry.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { memberIndexKeys, memberShares } from '../../coordinator/src/store/member-index.js';
import { Store } from '../../coordinator/src/store/store.js';
import { SCHEMA_VERSION } from '../../coordinator/src/store/schema.js';
import { canSeeMachine } from '../../coordinator/src/tenancy/access.js';
import type { Principal } from '../../coordinator/src/tenancy/user.js';
import { machineRecord } from '../harness/machine-record.js';

const ADMIN: Principal = { user: 'admin', role: 'admin', groups: [] };
const USERS = ['ann', 'ben', 'cat', 'dan', 'eve'];
const GROUPS = ['g0', 'g1', 'g2'];
const POOLS = ['default', 'p1', 'p2'];

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

const record = machineRecord;

function randomHolder(rnd: () => number): Holder | null {
  const r = rnd();
  if (r < 0.4) return null;
  if (r < 0.7) return { kind: 'user', name: pick(rnd, [...USERS, 'ghost']) };
  return { kind: 'group', name: pick(rnd, [...GROUPS, 'nobody-group']) };
}

/** The straightforward rule: every machine in id order, kept when visible and matching. */
function expected(all: readonly Machine[], principal: Principal, filter: MachineFilter): string[] {
  return all
    .filter((m) => canSeeMachine(principal, m))
    .filter((m) => filter.status === null || m.status === filter.status)
    .filter((m) => filter.pool === null || m.pool === filter.pool)
    .filter((m) => filter.owner === null || m.owner === filter.owner)
    .map((m) => m.id);
}

/** The index as the records imply it, and as stored, both sorted the same way. */
function indexState(store: Store): { implied: string[]; stored: string[] } {
  const implied: string[] = [];
  for (const { value } of store.tables.machines.getRange({})) {
    for (const key of memberIndexKeys(value as Machine)) implied.push(JSON.stringify(key));
  }
  const stored = [...store.tables.memberIndex.getKeys({})].map((key) => JSON.stringify(key));
  return { implied: implied.sort(), stored: stored.sort() };
}

describe('the member index on a running coordinator', () => {
  let coordinator: Coordinator;
  let dataDir: string;
  const all = (): Machine[] => [...coordinator.machines.table().list({ status: null, afterId: '' })];
  const principalOf = (user: string): Principal => {
    const u = coordinator.users.getUser(user)!;
    return { user: u.name, role: u.role, groups: u.groups };
  };
  const listAll = (principal: Principal, filter: MachineFilter, pageSize: number): string[] => {
    const ids: string[] = [];
    let token = '';
    for (;;) {
      const page = coordinator.machines.list(principal, filter, pageSize, token);
      expect(page.machines.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page.machines.map((m) => m.id));
      if (page.next === '') return ids;
      expect(page.next).toBe(page.machines.at(-1)!.id);
      token = page.next;
    }
  };
  const checkEverything = (): void => {
    const { implied, stored } = indexState(coordinator.store);
    expect(stored).toEqual(implied);
    const machines = all();
    for (const user of USERS) {
      const principal = principalOf(user);
      expect(listAll(principal, { status: null, pool: null, owner: null }, 7), user).toEqual(
        expected(machines, principal, { status: null, pool: null, owner: null }),
      );
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mooring-member-index-'));
    const config = loadConfig({ flags: { dataDir, listen: '127.0.0.1:0', metricsListen: 'off', logLevel: 'silent' }, env: {} });
    coordinator = await Coordinator.create(config, { logger: createLogger('silent') });
    for (const user of USERS) await coordinator.users.createUser(ADMIN, user, 'member');
    for (const group of GROUPS) await coordinator.users.createGroup(ADMIN, group);
    await coordinator.users.setMembership(ADMIN, 'g0', 'ann', true);
    await coordinator.users.setMembership(ADMIN, 'g1', 'ann', true);
    await coordinator.users.setMembership(ADMIN, 'g1', 'ben', true);
    await coordinator.pools.create(ADMIN, { name: 'p1', description: '', autoReserveFor: null });
    // Moving a machine into p2 reserves it for g2; moving it out again drops that reservation.
    await coordinator.pools.create(ADMIN, { name: 'p2', description: '', autoReserveFor: { kind: 'group', name: 'g2' } });
  });
  afterAll(async () => {
    await coordinator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists through the index exactly what the visibility rule shows, on randomized fleets, filters and pages', async () => {
    const rnd = random(16);
    const table = coordinator.machines.table();
    // Written straight into the store: every combination of status, owner, reservation and pool,
    // including owners and holders that are not (or no longer) users or groups.
    await coordinator.store.write(() => {
      for (let i = 0; i < 400; i++) {
        const id = `m-${Math.floor(rnd() * 0xffffffffffff)
          .toString(16)
          .padStart(12, '0')}`;
        table.save(
          null,
          record(id, {
            status: pick(rnd, MACHINE_STATUSES),
            owner: rnd() < 0.5 ? pick(rnd, [...USERS, 'gone']) : null,
            reservedFor: randomHolder(rnd),
            pool: pick(rnd, POOLS),
          }),
        );
      }
    });
    const machines = all();
    expect(machines.length).toBe(400);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const groups = GROUPS.filter(() => rnd() < 0.4);
      if (rnd() < 0.2) groups.push('nobody-group', groups[0] ?? 'g0'); // unknown and repeated groups
      const principal: Principal = { user: pick(rnd, [...USERS, 'zed']), role: 'member', groups };
      const owner = rnd() < 0.7 ? null : rnd() < 0.5 ? principal.user : pick(rnd, USERS);
      const filter: MachineFilter = {
        status: rnd() < 0.5 ? null : pick(rnd, MACHINE_STATUSES),
        pool: rnd() < 0.6 ? null : pick(rnd, [...POOLS, 'no-such-pool']),
        owner,
      };
      const want = expected(machines, principal, filter);
      compared += want.length;
      expect(listAll(principal, filter, 1 + Math.floor(rnd() * 40)), JSON.stringify({ principal, filter })).toEqual(want);
    }
    expect(compared).toBeGreaterThan(1000); // the rounds did compare real listings, not empty ones
    // Admins and observers still list everything, in the same order.
    const ids = machines.map((m) => m.id);
    expect(listAll(ADMIN, { status: null, pool: null, owner: null }, 33)).toEqual(ids);
    expect(listAll({ user: 'olga', role: 'observer', groups: [] }, { status: null, pool: null, owner: null }, 50)).toEqual(ids);
    const { implied, stored } = indexState(coordinator.store);
    expect(stored).toEqual(implied);
    // Clear them away for the tests below (through delete where the status allows, else directly).
    await coordinator.store.write(() => {
      for (const machine of all()) table.remove(machine);
    });
    expect(coordinator.store.tables.memberIndex.getKeysCount({})).toBe(0);
  });

  it('stays equal to the records across allocate, release, reserve, unreserve, membership, pool moves, broken and delete', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const machine = await coordinator.machines.enlist(ADMIN, {
        hostname: `life-${i}`,
        arch: 'amd64',
        cores: 4 + i,
        memoryMib: 8192,
        tags: [],
        pool: 'default',
        zone: 'default',
        power: {
          driver: 'manual',
          address: '',
          user: '',
          password: null,
          passwordFile: null,
          bootMode: 'uefi',
          ipmiCipherSuite: null,
          redfishTls: null,
        },
        ports: [],
      });
      await coordinator.commissioner.commission(ADMIN, machine.id);
      ids.push(machine.id);
    }
    checkEverything();
    const allocateAs = async (user: string): Promise<Machine> =>
      coordinator.allocator.allocate(principalOf(user), NO_CONSTRAINTS, noOptions());
    const visibleTo = (user: string): string[] => listAll(principalOf(user), { status: null, pool: null, owner: null }, 100);

    const annHas = await allocateAs('ann');
    checkEverything();
    expect(visibleTo('ben')).not.toContain(annHas.id);
    expect(listAll(principalOf('ann'), { status: 'ALLOCATED', pool: null, owner: 'ann' }, 5)).toEqual([annHas.id]);

    await coordinator.machines.release(principalOf('ann'), annHas.id, 'done');
    checkEverything();
    expect(visibleTo('ben')).toContain(annHas.id);

    const forBen = ids[3]!;
    await coordinator.machines.reserve(ADMIN, forBen, { kind: 'user', name: 'ben' });
    checkEverything();
    expect(visibleTo('ann')).not.toContain(forBen);
    expect(visibleTo('ben')).toContain(forBen);

    const forG0 = ids[4]!;
    await coordinator.machines.reserve(ADMIN, forG0, { kind: 'group', name: 'g0' });
    checkEverything();
    expect(visibleTo('ann')).toContain(forG0);
    expect(visibleTo('cat')).not.toContain(forG0);

    // Membership lives with the user: cat joins g0 and sees the group's machine at once.
    await coordinator.users.setMembership(ADMIN, 'g0', 'cat', true);
    checkEverything();
    expect(visibleTo('cat')).toContain(forG0);
    await coordinator.users.setMembership(ADMIN, 'g0', 'ann', false);
    checkEverything();
    expect(visibleTo('ann')).not.toContain(forG0);

    await coordinator.machines.reserve(ADMIN, forBen, null);
    checkEverything();
    expect(visibleTo('ann')).toContain(forBen);

    // Into p2 (reserved for g2 on the way), then into p1 (that reservation dropped again).
    const moved = ids[5]!;
    const move = async (pool: string): Promise<Machine> =>
      coordinator.machineEditor.update(ADMIN, moved, { tags: null, pool, zone: null, hostname: null, power: null });
    expect((await move('p2')).reservedFor).toEqual({ kind: 'group', name: 'g2' });
    checkEverything();
    expect(visibleTo('dan')).not.toContain(moved);
    expect(listAll(principalOf('dan'), { status: null, pool: 'p2', owner: null }, 5)).toEqual([]);
    await coordinator.users.setMembership(ADMIN, 'g2', 'dan', true);
    expect(listAll(principalOf('dan'), { status: null, pool: 'p2', owner: null }, 5)).toEqual([moved]);
    expect((await move('p1')).reservedFor).toBeNull();
    checkEverything();
    expect(listAll(principalOf('eve'), { status: 'READY', pool: 'p1', owner: null }, 5)).toEqual([moved]);

    await coordinator.machines.markBroken(ADMIN, ids[6]!, 'fan');
    checkEverything();
    expect(listAll(principalOf('eve'), { status: 'BROKEN', pool: null, owner: null }, 5)).toEqual([ids[6]]);

    await coordinator.machines.delete(ADMIN, ids[6]!);
    await coordinator.machines.delete(ADMIN, moved);
    checkEverything();
    expect(visibleTo('eve')).not.toContain(moved);
    expect(coordinator.store.tables.memberIndex.getKeysCount({})).toBe(3 * 8);
  });

  it('pages in id order with no duplicates, and misses no machine that stays visible, while machines change', async () => {
    const watcher = principalOf('eve');
    const filter: MachineFilter = { status: null, pool: null, owner: null };
    const before = new Set(listAll(watcher, filter, 100));
    const seen: string[] = [];
    let token = '';
    let step = 0;
    const taken: string[] = [];
    const everTaken = new Set<string>();
    do {
      const page = coordinator.machines.list(watcher, filter, 2, token);
      seen.push(...page.machines.map((m) => m.id));
      token = page.next;
      // Between pages other members take machines and give them back.
      if (step % 2 === 0) {
        const id = (await coordinator.allocator.allocate(principalOf('dan'), NO_CONSTRAINTS, noOptions())).id;
        taken.push(id);
        everTaken.add(id);
      } else await coordinator.machines.release(principalOf('dan'), taken.shift()!, '');
      step++;
    } while (token !== '');
    expect(step).toBeGreaterThan(2);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    const stayed = [...before].filter((id) => !everTaken.has(id));
    expect(stayed.length).toBeGreaterThan(0);
    for (const id of stayed) expect(seen).toContain(id);
    for (const id of taken) await coordinator.machines.release(principalOf('dan'), id, '');
    checkEverything();
  });
});

const noOptions = (): { dryRun: false; annotations: Record<string, string>; reason: string; cancelled: () => boolean } => ({
  dryRun: false,
  annotations: {},
  reason: '',
  cancelled: () => false,
});

describe('schema 8', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the member index for machines stored before it existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mooring-migrate-members-'));
    dirs.push(dir);
    const first = Store.open(dir, createLogger('silent'));
    const machines = [
      record('m-000001'),
      record('m-000002', { owner: 'ann', status: 'ALLOCATED' }),
      record('m-000003', { reservedFor: { kind: 'user', name: 'ann' } }),
      record('m-000004', { reservedFor: { kind: 'group', name: 'g1' }, pool: 'p1' }),
      record('m-000005', { owner: 'ben', status: 'DEPLOYED', reservedFor: { kind: 'user', name: 'ann' } }),
    ];
    // As a schema 7 coordinator left it: machine records, no member index.
    await first.write(() => {
      for (const machine of machines) first.tables.machines.putSync(machine.id, machine);
      first.tables.meta.putSync('schemaVersion', 7);
    });
    await first.close();

    const second = Store.open(dir, createLogger('silent'));
    try {
      expect(second.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
      const { implied, stored } = indexState(second);
      expect(stored.length).toBe(15);
      expect(stored).toEqual(implied);
      const table = new MachineTable(second.tables);
      const seen = (principal: Principal): string[] =>
        [...table.listShares(memberShares(principal), { status: null, pool: null, afterId: '' })].map((m) => m.id);
      expect(seen({ user: 'ann', role: 'member', groups: ['g1'] })).toEqual(['m-000001', 'm-000002', 'm-000003', 'm-000004']);
      expect(seen({ user: 'ben', role: 'member', groups: [] })).toEqual(['m-000001', 'm-000005']);
    } finally {
      await second.close();
    }
  });
});
