// The port editor (machines/port-editor.ts) against a real Store in a temp dir: who may read and
// change ports, in which machine states, the port rules on create and on the result of an update,
// and the event each change records in its own transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrollmentTokens } from '../../coordinator/src/agents/enrollment-tokens.js';
import { ManualClock } from '../../coordinator/src/clock.js';
import { InvalidArgumentError } from '../../coordinator/src/domain-error.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { IllegalTransitionError, MachineNotFoundError } from '../../coordinator/src/machines/errors.js';
import type { Machine, MachineStatus, Port } from '../../coordinator/src/machines/machine.js';
import { MachineRegistry, type EnlistSpec } from '../../coordinator/src/machines/machine-registry.js';
import { MachineWriter } from '../../coordinator/src/machines/machine-writer.js';
import { PortExistsError, PortNotFoundError } from '../../coordinator/src/machines/errors.js';
import { PortEditor, portProblem } from '../../coordinator/src/machines/port-editor.js';
import { MachineTable } from '../../coordinator/src/store/machine-table.js';
import { SecretTable } from '../../coordinator/src/store/secret-table.js';
import { Store } from '../../coordinator/src/store/store.js';
import { PermissionDeniedError } from '../../coordinator/src/tenancy/errors.js';
import { PoolRegistry } from '../../coordinator/src/tenancy/pool-registry.js';
import { SYSTEM_PRINCIPAL, type Principal } from '../../coordinator/src/tenancy/user.js';
import { UserDirectory } from '../../coordinator/src/tenancy/user-directory.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0Hq0mO1KgXlrtm0oJRGn4AaDbg4r0iNvbP7bJh3j9Q dpu@rack1';
const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Ffake0nlyForTests0123456789wCgYIKoZIzj0EAwIw\n' +
  'EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjAxMDEwMDAwMDBa\n-----END CERTIFICATE-----\n';

const admin: Principal = { user: 'admin', role: 'admin', groups: [] };
const member: Principal = { user: 'bob', role: 'member', groups: [] };
const observer: Principal = { user: 'olga', role: 'observer', groups: [] };

const plain = (mac: string): Port => ({
  mac,
  isSmartNic: false,
  smartNicAgentId: null,
  smartNicPortId: null,
  sshPublicKey: null,
  ovsdbCaCert: null,
});
const smart = (mac: string, agent = 'dpu-1', portId = 'pf0hpf'): Port => ({
  ...plain(mac),
  isSmartNic: true,
  smartNicAgentId: agent,
  smartNicPortId: portId,
});

function spec(hostname: string, ports: Port[] = []): EnlistSpec {
  return {
    hostname,
    arch: 'amd64',
    cores: 4,
    memoryMib: 4096,
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
    ports,
  };
}

async function rejects(promise: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error as Error;
  }
  throw new Error('unexpectedly succeeded');
}

describe('port rules', () => {
  it('accepts plain and smartNIC ports, with optional key and CA', () => {
    expect(portProblem(plain('52:54:00:00:00:01'))).toBeNull();
    expect(portProblem(smart('52:54:00:00:00:01'))).toBeNull();
    expect(portProblem({ ...smart('52:54:00:00:00:01'), sshPublicKey: SSH_KEY, ovsdbCaCert: CA_PEM })).toBeNull();
    expect(
      portProblem({ ...smart('52:54:00:00:00:01'), sshPublicKey: 'ecdsa-sha2-nistp256 AAAAE2VjZHNh', ovsdbCaCert: CA_PEM + CA_PEM }),
    ).toBeNull();
  });

  it('names the field of each broken rule', () => {
    expect(portProblem(plain('52:54:00:00:00'))).toMatchObject({ field: 'mac' });
    expect(portProblem(plain('52:54:00:00:00:0G'))).toMatchObject({ field: 'mac' });
    expect(portProblem({ ...smart('52:54:00:00:00:01'), smartNicAgentId: null })).toEqual({
      field: 'smartNicAgentId',
      problem: 'required for a smartNIC port',
    });
    expect(portProblem({ ...smart('52:54:00:00:00:01'), smartNicPortId: null })).toEqual({
      field: 'smartNicPortId',
      problem: 'required for a smartNIC port',
    });
    expect(portProblem({ ...smart('52:54:00:00:00:01'), isSmartNic: false })).toMatchObject({
      field: 'isSmartNic',
      problem: expect.stringContaining('a plain port carries neither') as string,
    });
    expect(portProblem({ ...plain('52:54:00:00:00:01'), sshPublicKey: 'rsa AAAA' })).toMatchObject({ field: 'sshPublicKey' });
    expect(portProblem({ ...plain('52:54:00:00:00:01'), sshPublicKey: 'ssh-rsa' })).toMatchObject({ field: 'sshPublicKey' });
    expect(portProblem({ ...plain('52:54:00:00:00:01'), ovsdbCaCert: 'not a certificate' })).toMatchObject({ field: 'ovsdbCaCert' });
    expect(portProblem({ ...plain('52:54:00:00:00:01'), ovsdbCaCert: `${CA_PEM}trailing junk` })).toMatchObject({ field: 'ovsdbCaCert' });
    expect(portProblem({ ...plain('52:54:00:00:00:01'), ovsdbCaCert: CA_PEM.replace('CERTIFICATE', 'PRIVATE KEY') })).toMatchObject({
      field: 'ovsdbCaCert',
    });
  });

  it('lets a plain port carry one stray id but not both (the issue refuses both)', () => {
    expect(portProblem({ ...plain('52:54:00:00:00:01'), smartNicAgentId: 'dpu-1' })).toBeNull();
  });
});

describe('port editor', () => {
  let dir: string;
  let store: Store;
  let events: EventLog;
  let registry: MachineRegistry;
  let writer: MachineWriter;
  let editor: PortEditor;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mooring-ports-'));
    const clock = new ManualClock();
    const logger = createLogger('silent');
    store = Store.open(dir, logger);
    events = new EventLog(store.tables, clock);
    const users = new UserDirectory({ store, events, clock });
    const pools = new PoolRegistry({ store, users, events, clock });
    await pools.ensureDefault(SYSTEM_PRINCIPAL);
    await users.createUser(SYSTEM_PRINCIPAL, 'bob', 'member');
    await users.createUser(SYSTEM_PRINCIPAL, 'carol', 'member');
    writer = new MachineWriter({ table: new MachineTable(store.tables), events, autoReservation: () => null, clock, logger });
    // No release here needs the BIOS-halt sequence (this file releases nothing): the route says so.
    const releases = { releaseThroughSequence: () => null };
    registry = new MachineRegistry({ store, writer, secrets: new SecretTable(store.tables, store.cipher), pools, clock, releases });
    editor = new PortEditor({ store, registry, writer, clock });
    // Ports may name only agents that exist or are announced by an enrollment token.
    const tokens = new EnrollmentTokens({ store, events, clock });
    for (const agent of ['dpu-1', 'dpu-9']) await tokens.create(admin, agent, 'smartnic', 3_600_000);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Moves a machine along the lifecycle through the writer (re-read inside the transaction; the guard applies). */
  async function walk(machine: Machine, path: MachineStatus[]): Promise<Machine> {
    return store.write((scope) => writer.transitionThrough(scope, 'test', registry.getVisible(admin, machine.id), path, 'test', ''));
  }

  function eventsOf(machineId: string): { kind: string; actor: string; why: string; details: Record<string, string> }[] {
    return [...events.since(0)]
      .filter((e) => e.machineId === machineId && e.kind.startsWith('machine.port-'))
      .map((e) => ({ kind: e.kind, actor: e.actor, why: e.why, details: { ...e.details } }));
  }

  it('creates, lists, gets, updates and deletes, recording an event for each change', async () => {
    const machine = await registry.enlist(admin, spec('p-crud'));
    const created = await editor.create(admin, 'p-crud', smart('52:54:00:0a:00:01'));
    expect(created.port).toEqual(smart('52:54:00:0a:00:01'));
    await editor.create(admin, machine.id, plain('52:54:00:0a:00:02'));
    expect(editor.list(observer, 'p-crud').ports.map((p) => p.mac)).toEqual(['52:54:00:0a:00:01', '52:54:00:0a:00:02']);
    expect(editor.get(member, 'p-crud', '52:54:00:0A:00:01').port.smartNicAgentId).toBe('dpu-1');

    const updated = await editor.update(admin, 'p-crud', '52:54:00:0a:00:01', { smartNicPortId: 'pf1hpf', sshPublicKey: SSH_KEY });
    expect(updated.port).toEqual({ ...smart('52:54:00:0a:00:01', 'dpu-1', 'pf1hpf'), sshPublicKey: SSH_KEY });
    expect(registry.getVisible(admin, 'p-crud').ports[0]).toEqual(updated.port);

    const deleted = await editor.delete(admin, 'p-crud', '52:54:00:0a:00:02');
    expect(deleted.ports.map((p) => p.mac)).toEqual(['52:54:00:0a:00:01']);
    expect(await rejects(() => editor.get(admin, 'p-crud', '52:54:00:0a:00:02'))).toBeInstanceOf(PortNotFoundError);

    expect(eventsOf(machine.id)).toEqual([
      {
        kind: 'machine.port-created',
        actor: 'admin',
        why: 'port 52:54:00:0a:00:01',
        details: { mac: '52:54:00:0a:00:01', smartNic: 'true', agent: 'dpu-1', portId: 'pf0hpf' },
      },
      {
        kind: 'machine.port-created',
        actor: 'admin',
        why: 'port 52:54:00:0a:00:02',
        details: { mac: '52:54:00:0a:00:02', smartNic: 'false' },
      },
      {
        kind: 'machine.port-updated',
        actor: 'admin',
        why: 'port 52:54:00:0a:00:01',
        details: {
          mac: '52:54:00:0a:00:01',
          smartNic: 'true',
          agent: 'dpu-1',
          portId: 'pf1hpf',
          changed: 'smart_nic_port_id,ssh_public_key',
        },
      },
      {
        kind: 'machine.port-deleted',
        actor: 'admin',
        why: 'port 52:54:00:0a:00:02',
        details: { mac: '52:54:00:0a:00:02', smartNic: 'false' },
      },
    ]);
  });

  it('lets only admins change ports; members and observers read what they can see', async () => {
    const machine = await registry.enlist(admin, spec('p-roles', [plain('52:54:00:0b:00:01')]));
    for (const who of [member, observer]) {
      expect(await rejects(editor.create(who, 'p-roles', plain('52:54:00:0b:00:02')))).toBeInstanceOf(PermissionDeniedError);
      expect(await rejects(editor.update(who, 'p-roles', '52:54:00:0b:00:01', { isSmartNic: false }))).toBeInstanceOf(
        PermissionDeniedError,
      );
      expect(await rejects(editor.delete(who, 'p-roles', '52:54:00:0b:00:01'))).toBeInstanceOf(PermissionDeniedError);
      expect(editor.list(who, 'p-roles').ports).toHaveLength(1);
    }
    // Reserved for carol: bob (a member) no longer sees it, so reads answer NOT_FOUND.
    await registry.reserve(admin, 'p-roles', { kind: 'user', name: 'carol' });
    expect(await rejects(() => editor.list(member, 'p-roles'))).toBeInstanceOf(MachineNotFoundError);
    expect(await rejects(() => editor.get(member, 'p-roles', '52:54:00:0b:00:01'))).toBeInstanceOf(MachineNotFoundError);
    expect(editor.list({ user: 'carol', role: 'member', groups: [] }, 'p-roles').ports).toHaveLength(1);
    expect(editor.list(observer, 'p-roles').ports).toHaveLength(1);
    expect(registry.getVisible(admin, machine.id).ports).toEqual([plain('52:54:00:0b:00:01')]);
    expect(eventsOf(machine.id)).toEqual([]);
  });

  it('changes ports only while NEW, COMMISSIONING or READY, naming the status otherwise', async () => {
    let machine = await registry.enlist(admin, spec('p-status', [plain('52:54:00:0c:00:01')]));
    await editor.create(admin, 'p-status', plain('52:54:00:0c:00:02'));
    machine = await walk(registry.getVisible(admin, machine.id), ['COMMISSIONING']);
    await editor.update(admin, 'p-status', '52:54:00:0c:00:02', { mac: '52:54:00:0c:00:03' });
    machine = await walk(machine, ['READY']);
    await editor.delete(admin, 'p-status', '52:54:00:0c:00:03');
    machine = await walk(machine, ['ALLOCATED']);
    for (const attempt of [
      editor.create(admin, 'p-status', plain('52:54:00:0c:00:04')),
      editor.update(admin, 'p-status', '52:54:00:0c:00:01', { isSmartNic: true, smartNicAgentId: 'a', smartNicPortId: 'p' }),
      editor.delete(admin, 'p-status', '52:54:00:0c:00:01'),
    ]) {
      const error = await rejects(attempt);
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error.message).toBe(`machine ${machine.id} is ALLOCATED: cannot change ports (only while NEW, COMMISSIONING or READY)`);
    }
    for (const status of ['DEPLOYING', 'DEPLOYED', 'RELEASING'] as const) {
      machine = await walk(machine, [status]);
      expect((await rejects(editor.delete(admin, 'p-status', '52:54:00:0c:00:01'))).message).toContain(`is ${status}:`);
    }
    machine = await walk(machine, ['BROKEN']);
    expect((await rejects(editor.create(admin, 'p-status', plain('52:54:00:0c:00:05')))).message).toContain('is BROKEN:');
    // Reads are allowed in every state.
    expect(editor.list(observer, 'p-status').ports.map((p) => p.mac)).toEqual(['52:54:00:0c:00:01']);
  });

  it('refuses a smartNIC port without ids, a plain port with both, bad keys and certificates', async () => {
    await registry.enlist(admin, spec('p-rules'));
    const field = async (port: Port): Promise<string> => {
      const error = await rejects(editor.create(admin, 'p-rules', port));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      return (error as InvalidArgumentError).field;
    };
    expect(await field({ ...smart('52:54:00:0d:00:01'), smartNicAgentId: null })).toBe('port.smart_nic_agent_id');
    expect(await field({ ...smart('52:54:00:0d:00:01'), smartNicPortId: null })).toBe('port.smart_nic_port_id');
    expect(await field({ ...smart('52:54:00:0d:00:01'), isSmartNic: false })).toBe('port.is_smart_nic');
    expect(await field({ ...plain('52:54:00:0d:00:01'), sshPublicKey: 'hello' })).toBe('port.ssh_public_key');
    expect(await field({ ...plain('52:54:00:0d:00:01'), ovsdbCaCert: 'hello' })).toBe('port.ovsdb_ca_cert');
    expect(await field(plain('not-a-mac'))).toBe('port.mac');
    expect(editor.list(admin, 'p-rules').ports).toEqual([]);
  });

  it('keeps MACs unique within a machine, on create and on a MAC change', async () => {
    const other = await registry.enlist(admin, spec('p-unique-2'));
    await registry.enlist(admin, spec('p-unique', [plain('52:54:00:0e:00:01'), plain('52:54:00:0e:00:02')]));
    const dup = await rejects(editor.create(admin, 'p-unique', plain('52:54:00:0e:00:01')));
    expect(dup).toBeInstanceOf(PortExistsError);
    expect(dup.message).toBe(`port.mac: machine ${registry.getVisible(admin, 'p-unique').id} already has a port 52:54:00:0e:00:01`);
    expect(await rejects(editor.update(admin, 'p-unique', '52:54:00:0e:00:02', { mac: '52:54:00:0e:00:01' }))).toBeInstanceOf(
      PortExistsError,
    );
    // Another machine may use the same MAC: uniqueness is per machine.
    await editor.create(admin, other.id, plain('52:54:00:0e:00:01'));
    expect(editor.list(admin, 'p-unique').ports.map((p) => p.mac)).toEqual(['52:54:00:0e:00:01', '52:54:00:0e:00:02']);
  });

  it('writes only the fields in the mask, and checks the merged result', async () => {
    const machine = await registry.enlist(admin, spec('p-mask', [{ ...smart('52:54:00:0f:00:01'), sshPublicKey: SSH_KEY }]));
    const mac = '52:54:00:0f:00:01';
    // Flipping to plain while the ids stay set is refused...
    const flip = await rejects(editor.update(admin, 'p-mask', mac, { isSmartNic: false }));
    expect(flip).toBeInstanceOf(InvalidArgumentError);
    expect((flip as InvalidArgumentError).field).toBe('port.is_smart_nic');
    // ...clearing one id of a smartNIC port is refused...
    expect(((await rejects(editor.update(admin, 'p-mask', mac, { smartNicPortId: null }))) as InvalidArgumentError).field).toBe(
      'port.smart_nic_port_id',
    );
    // ...and flipping with both ids cleared in the same mask is accepted; untouched fields stay.
    const flipped = await editor.update(admin, 'p-mask', mac, { isSmartNic: false, smartNicAgentId: null, smartNicPortId: null });
    expect(flipped.port).toEqual({ ...plain(mac), sshPublicKey: SSH_KEY });
    const back = await editor.update(admin, 'p-mask', mac, {
      isSmartNic: true,
      smartNicAgentId: 'dpu-9',
      smartNicPortId: 'pf0hpf',
      ovsdbCaCert: CA_PEM,
    });
    expect(back.port).toEqual({ ...smart(mac, 'dpu-9'), sshPublicKey: SSH_KEY, ovsdbCaCert: CA_PEM });
    // A mask whose values equal the stored ones changes nothing and records nothing.
    const before = eventsOf(machine.id).length;
    await editor.update(admin, 'p-mask', mac, { smartNicAgentId: 'dpu-9' });
    expect(eventsOf(machine.id)).toHaveLength(before);
    // A MAC change moves the port in place.
    const moved = await editor.update(admin, 'p-mask', mac, { mac: '52:54:00:0f:00:99' });
    expect(moved.machine.ports.map((p) => p.mac)).toEqual(['52:54:00:0f:00:99']);
    expect(eventsOf(machine.id).at(-1)).toMatchObject({
      kind: 'machine.port-updated',
      details: { mac: '52:54:00:0f:00:99', previousMac: mac, changed: 'mac' },
    });
    expect(await rejects(editor.update(admin, 'p-mask', mac, { isSmartNic: true }))).toBeInstanceOf(PortNotFoundError);
  });

  it('keeps the READY index in step: a smartNIC port added to a READY machine counts for allocation', async () => {
    let machine = await registry.enlist(admin, spec('p-ready'));
    machine = await walk(machine, ['COMMISSIONING', 'READY']);
    const summary = (): boolean | undefined => [...registry.table().ready('', null)].find((s) => s.id === machine.id)?.smartNic;
    expect(summary()).toBe(false);
    await editor.create(admin, 'p-ready', smart('52:54:00:10:00:01'));
    expect(summary()).toBe(true);
    await editor.delete(admin, 'p-ready', '52:54:00:10:00:01');
    expect(summary()).toBe(false);
  });
});
