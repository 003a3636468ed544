// `agent list` and `events list` at fleet size, over real gRPC and through the built moorctl: the
// store is filled directly (12,000 agents with inventories, ~25,000 events) in the coordinator's
// own LMDB, since enrolling that many agents through the API would take the test's whole budget.
// One ListAgents reply with every agent passed gRPC's 4 MiB limit; pages do not, and moorctl
// follows them to print every agent (or --limit of them). Events page the same way, and a member
// who sees few events among many still reaches all of its own through pages the server bounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../coordinator/src/agents/agent-registry.js';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import { invalid } from '../harness/call-outcome.js';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { machineRecord } from '../harness/machine-record.js';

const AGENTS = 12_000;
const EVENTS = 25_000;
const agentName = (i: number): string => `dpu-${String(i).padStart(5, '0')}`;
// Agents whose inventories list 3,000 interfaces each (~500 KiB of JSON): a few of them fill a page.
const HEAVY = 12;
const heavyName = (i: number): string => `vmh-${String(i).padStart(3, '0')}`;

function agentRecord(i: number): AgentRecord {
  return {
    id: agentName(i),
    role: 'smartnic',
    enrolledAt: 1_700_000_000_000,
    revokedAt: null,
    certSerial: `0${i.toString(16).padStart(15, '0')}`,
    certNotAfter: 1_800_000_000_000,
    previousCert: null,
    epoch: 3,
    state: 'OFFLINE',
    stateChangedAt: 1_700_000_100_000,
    stateReason: 'heartbeat missed',
    version: '0.1.0',
    inventory: {
      cpuModel: 'ARM Cortex-A78AE',
      coresPhysical: 16,
      coresLogical: 16,
      memoryBytes: 32 * 2 ** 30,
      os: 'Ubuntu 24.04 LTS',
      kernel: '6.8.0-1008-bluefield',
      interfaces: ['p0', 'p1', 'pf0hpf', 'pf1hpf'].map((name, n) => ({
        name,
        mac: `02:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:00:0${n}`,
        speedMbps: 100_000,
        driver: 'mlx5_core',
        pciAddress: `0000:03:00.${n}`,
        state: 'up',
      })),
      ovsVersion: '3.3.0',
      bridges: ['br-int', 'br-ex'],
      role: 'smartnic',
      hostname: `${agentName(i)}.rack${i % 40}.example`,
      errors: [],
    },
    ovn: null,
  };
}

function ownedMachine(id: string, owner: string, agent: string): Machine {
  return machineRecord(id, {
    status: 'DEPLOYED',
    owner,
    powerState: 'on',
    ports: [
      {
        mac: '02:aa:00:00:00:01',
        isSmartNic: true,
        smartNicAgentId: agent,
        smartNicPortId: 'pf0hpf',
        sshPublicKey: null,
        ovsdbCaCert: null,
      },
    ],
  });
}

describe('paged agent and event lists', () => {
  let f: CoordinatorFixture;
  let bob: CoordinatorClient;
  let env: Record<string, string>;
  const adminTokenFile = (): string => join(f.dataDir, 'admin.token');
  const bobTokenFile = (): string => join(f.dataDir, 'bob.token');

  beforeAll(async () => {
    f = await startCoordinator();
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    bob = await f.user('bob', 'member');
    const { secret } = await f.admin.call('TenancyService', 'CreateToken', { user: 'bob', description: 'cli' });
    writeFileSync(bobTokenFile(), `${secret}\n`, { mode: 0o600 });
    const { store, events, machines } = f.coordinator;
    await store.write(() => {
      for (let i = 0; i < AGENTS; i++) store.tables.agents.putSync(agentName(i), agentRecord(i));
      for (let i = 0; i < HEAVY; i++) {
        const record = agentRecord(i);
        const one = record.inventory!.interfaces[0]!;
        const interfaces = Array.from({ length: 3000 }, (_, n) => ({ ...one, name: `veth${n}`, pciAddress: `0000:81:${n}` }));
        store.tables.agents.putSync(heavyName(i), { ...record, id: heavyName(i), inventory: { ...record.inventory!, interfaces } });
      }
      // bob owns two machines behind agents far apart in name order.
      machines.table().save(null, ownedMachine('m-bob-1', 'bob', agentName(17)));
      machines.table().save(null, ownedMachine('m-bob-2', 'bob', agentName(11_017)));
    });
    await store.write((scope) => {
      for (let i = 0; i < EVENTS; i++) {
        // Most events are the admin's pool work, which bob does not see; every 5,000th is bob's own.
        const actor = i % 5000 === 4999 ? 'bob' : 'admin';
        events.append(scope, { actor, kind: 'pool.created', why: `event ${i}`, details: { n: String(i) } });
      }
    });
  }, 120_000);
  afterAll(async () => f.close());

  it('pages ListAgents: an old client gets the first page, each page fits in a reply, and the pages hold every agent once', async () => {
    // An old client sends no page_size: the default page, and a token to read on.
    const first = await f.admin.call('AgentAdminService', 'ListAgents', {});
    expect(first.agents).toHaveLength(500);
    expect(first.agents[0]!.id).toBe(agentName(0));
    expect(first.nextPageToken).toBe(agentName(499));
    // A page size past the cap is cut to the cap.
    const capped = await f.admin.call('AgentAdminService', 'ListAgents', { pageSize: 50_000, pageToken: first.nextPageToken });
    expect(capped.agents).toHaveLength(1000);
    expect(capped.agents[0]!.id).toBe(agentName(500));
    expect(capped.nextPageToken).toBe(agentName(1499));
    // Agents with huge inventories: a page ends once the reply would pass its byte budget.
    const heavy = await f.admin.call('AgentAdminService', 'ListAgents', { pageSize: 1000, pageToken: agentName(AGENTS - 1) });
    expect(heavy.agents.length).toBeGreaterThan(0);
    expect(heavy.agents.length).toBeLessThan(HEAVY);
    expect(heavy.nextPageToken).toBe(heavy.agents.at(-1)!.id);
    expect(await invalid(f.admin.call('AgentAdminService', 'ListAgents', { pageToken: 'not a name!' }))).toMatch(/page_token/);

    const all = await expectJson(moorctl(['--token-file', adminTokenFile(), '--json', 'agent', 'list'], env));
    const ids = (all['agents'] as { id: string }[]).map((a) => a.id);
    const names = [...Array.from({ length: AGENTS }, (_, i) => agentName(i)), ...Array.from({ length: HEAVY }, (_, i) => heavyName(i))];
    expect(ids).toEqual(names);
    const some = await expectJson(moorctl(['--token-file', adminTokenFile(), '--json', 'agent', 'list', '--limit', '1234'], env));
    expect((some['agents'] as { id: string }[]).map((a) => a.id)).toEqual(ids.slice(0, 1234));
    const table = await moorctl(['--token-file', adminTokenFile(), 'agent', 'list', '--limit', '2'], env);
    expect(table.stdout).toMatch(/^NAME\s+ROLE\s+STATE[^\n]*\ndpu-00000\s+smartnic\s+OFFLINE[^\n]*\ndpu-00001\s[^\n]*\n$/);
  }, 60_000);

  it("pages a member's agents: only those behind its own machines, across pages", async () => {
    const page1 = await bob.call('AgentAdminService', 'ListAgents', { pageSize: 1 });
    expect(page1.agents.map((a) => a.id)).toEqual([agentName(17)]);
    const page2 = await bob.call('AgentAdminService', 'ListAgents', { pageSize: 1, pageToken: page1.nextPageToken });
    expect(page2.agents.map((a) => a.id)).toEqual([agentName(11_017)]);
    expect(page2.nextPageToken).toBe('');
    const listed = await expectJson(moorctl(['--token-file', bobTokenFile(), '--json', 'agent', 'list'], env));
    expect((listed['agents'] as { id: string }[]).map((a) => a.id)).toEqual([agentName(17), agentName(11_017)]);
  });

  it('pages ListEvents and moorctl prints every page, or --limit of them', async () => {
    const { lastSeq } = await f.admin.call('EventService', 'ListEvents', { limit: 1 });
    // The last 2,600 (the whole log would pass the harness's 1 MiB stdout buffer): three pages.
    const tail = lastSeq - 2600;
    const listed = await expectJson(moorctl(['--token-file', adminTokenFile(), '--json', 'events', 'list', '--since', String(tail)], env));
    const seqs = (listed['events'] as { seq: number }[]).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 2600 }, (_, i) => tail + i + 1));
    const since = lastSeq - 2100;
    const limited = await expectJson(
      moorctl(['--token-file', adminTokenFile(), '--json', 'events', 'list', '--since', String(since), '--limit', '1500'], env),
    );
    expect((limited['events'] as { seq: number }[]).map((e) => e.seq)).toEqual(Array.from({ length: 1500 }, (_, i) => since + i + 1));

    const page = await f.admin.call('EventService', 'ListEvents', { sinceSeq: lastSeq - 3, limit: 2 });
    expect(page.events.map((e) => e.seq)).toEqual([lastSeq - 2, lastSeq - 1]);
    expect(page.nextSinceSeq).toBe(lastSeq - 1);
    const end = await f.admin.call('EventService', 'ListEvents', { sinceSeq: page.nextSinceSeq, limit: 2 });
    expect(end.events.map((e) => e.seq)).toEqual([lastSeq]);
    expect(end.nextSinceSeq).toBe(0);
  }, 60_000);

  it("bounds what one page reads for a member who sees few events, and moorctl still finds all of the member's", async () => {
    // The first page reads at most 20,000 events of the log: it ends early, with a seq to read on.
    const first = await bob.call('EventService', 'ListEvents', { limit: 100 });
    expect(first.nextSinceSeq).toBeGreaterThan(0);
    expect(first.nextSinceSeq).toBeLessThan(first.lastSeq);
    const listed = await expectJson(moorctl(['--token-file', bobTokenFile(), '--json', 'events', 'list'], env));
    const whys = (listed['events'] as { why: string; actor: string }[]).filter((e) => e.actor === 'bob').map((e) => e.why);
    expect(whys).toEqual(['event 4999', 'event 9999', 'event 14999', 'event 19999', 'event 24999']);
  }, 60_000);
});

describe('a fleet whose agent list is larger than a gRPC reply may be', () => {
  let f: CoordinatorFixture;
  // 180 VM hosts listing 6,000 interfaces each: ~70 MiB of agents, past the client's 64 MiB reply
  // limit (coordinator-client.ts), which one unpaged ListAgents reply hit.
  const HOSTS = 180;

  beforeAll(async () => {
    f = await startCoordinator();
    const { store } = f.coordinator;
    await store.write(() => {
      for (let i = 0; i < HOSTS; i++) {
        const record = agentRecord(i);
        const one = record.inventory!.interfaces[0]!;
        const interfaces = Array.from({ length: 6000 }, (_, n) => ({ ...one, name: `tap${n}`, pciAddress: `0000:81:${n}` }));
        const inventory = { ...record.inventory!, interfaces };
        store.tables.agents.putSync(heavyName(i), { ...record, id: heavyName(i), role: 'vmhost', inventory });
      }
    });
  }, 120_000);
  afterAll(async () => f.close());

  it('pages through every agent without a reply-size error', async () => {
    const ids: string[] = [];
    let interfaces = 0;
    let pageToken = '';
    let pages = 0;
    do {
      const page = await f.admin.call('AgentAdminService', 'ListAgents', { pageToken });
      ids.push(...page.agents.map((a) => a.id));
      interfaces += page.agents.reduce((n, a) => n + (a.inventory?.interfaces.length ?? 0), 0);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    expect(ids).toEqual(Array.from({ length: HOSTS }, (_, i) => heavyName(i)));
    expect(interfaces).toBe(HOSTS * 6000);
    expect(pages).toBeGreaterThan(30);
  }, 240_000);
});
