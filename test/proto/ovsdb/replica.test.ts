// The replica applies monitor updates: update2 diffs (ovsdb-server(7) "update2 notification") and
// the RFC 7047 §4.1.6 update format. The real vswitch schema is used so column kinds are the real ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Replica } from '../../../proto/ovsdb/replica.js';
import { parseSchema, type DbSchema } from '../../../proto/ovsdb/schema.js';
import { OvsdbProtocolError } from '../../../proto/ovsdb/errors.js';

const vswitch = parseSchema(JSON.parse(readFileSync('/usr/share/openvswitch/vswitch.ovsschema', 'utf8')));

const U = (n: number): string => `00000000-0000-0000-0000-${n.toString().padStart(12, '0')}`;
const BR = U(100);
const P1 = U(1);
const P2 = U(2);
const P3 = U(3);
const IF1 = U(11);

function replica(schema: DbSchema = vswitch): Replica {
  return new Replica(schema, { Bridge: undefined, Port: undefined, Interface: ['name', 'ofport', 'error', 'external_ids', 'type'] });
}

function withBridge(
  ports: unknown = [
    'set',
    [
      ['uuid', P1],
      ['uuid', P2],
    ],
  ],
): Replica {
  const r = replica();
  r.applyUpdate2({
    Bridge: {
      [BR]: {
        initial: {
          name: 'br-int',
          ports,
          external_ids: [
            'map',
            [
              ['a', '1'],
              ['b', '2'],
            ],
          ],
        },
      },
    },
  });
  return r;
}

describe('Replica with update2 (monitor_cond)', () => {
  it('fills columns left out of initial/insert with their defaults', () => {
    const r = replica();
    const changes = r.applyUpdate2({
      Bridge: { [BR]: { initial: { name: 'br-int' } } },
      Interface: { [IF1]: { insert: { name: 'vf1' } } },
    });
    expect(changes.map((c) => [c.table, c.kind, c.uuid])).toEqual([
      ['Bridge', 'initial', BR],
      ['Interface', 'insert', IF1],
    ]);
    const br = r.get('Bridge', BR)!;
    expect(br).toMatchObject({ _uuid: BR, name: 'br-int', ports: [], datapath_type: '', fail_mode: null, stp_enable: false });
    expect(br.external_ids).toEqual(new Map());
    expect(br.flood_vlans).toEqual([]);
    // Only the monitored columns are filled for Interface.
    expect(Object.keys(r.get('Interface', IF1)!).sort()).toEqual(['_uuid', 'error', 'external_ids', 'name', 'ofport', 'type']);
    expect(r.get('Interface', IF1)).toMatchObject({ name: 'vf1', ofport: null, error: null, type: '' });
    expect(r.find('Bridge', 'name', 'br-int')?._uuid).toBe(BR);
    expect(r.count('Bridge')).toBe(1);
  });

  it('tracks rows by _uuid only for an empty column list, as ovsdb-server monitors no column then', () => {
    const r = new Replica(vswitch, { Bridge: [], Port: undefined });
    r.applyUpdate2({ Bridge: { [BR]: { initial: {} } }, Port: { [P1]: { initial: { name: 'p1' } } } });
    expect(r.get('Bridge', BR)).toEqual({ _uuid: BR });
    expect(r.get('Port', P1)).toMatchObject({ name: 'p1', tag: null, trunks: [] });
  });

  it('fills a left-out uuid column with the all-zero UUID, its RFC 7047 default', () => {
    // RFC 7047 §5.1 / ovsdb_atom_init_default: the default uuid is all zeros, not "".
    const schema = parseSchema({
      name: 'T',
      tables: { Link: { columns: { peer: { type: 'uuid' }, weight: { type: 'real' }, up: { type: 'boolean' } } } },
    });
    const r = new Replica(schema, { Link: undefined });
    r.applyUpdate2({ Link: { [P1]: { initial: {} } } });
    expect(r.get('Link', P1)).toEqual({ _uuid: P1, peer: '00000000-0000-0000-0000-000000000000', weight: 0, up: false });
  });

  it('decodes a bare single-element set in initial and in modify', () => {
    const r = withBridge(['uuid', P1]);
    expect(r.get('Bridge', BR)!.ports).toEqual([P1]);
    // Seen from OVS 3.1: adding a port sends only the added element, bare.
    r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['uuid', P2] } } } });
    expect(r.get('Bridge', BR)!.ports).toEqual([P1, P2]);
    r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['uuid', P1] } } } });
    expect(r.get('Bridge', BR)!.ports).toEqual([P2]);
  });

  it('applies a set modify as a symmetric difference: add, remove, both at once', () => {
    const r = withBridge();
    r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['set', [['uuid', P3]]] } } } });
    expect(r.get('Bridge', BR)!.ports).toEqual([P1, P2, P3]);
    r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['set', [['uuid', P2]]] } } } });
    expect(r.get('Bridge', BR)!.ports).toEqual([P1, P3]);
    const [change] = r.applyUpdate2({
      Bridge: {
        [BR]: {
          modify: {
            ports: [
              'set',
              [
                ['uuid', P1],
                ['uuid', P2],
              ],
            ],
          },
        },
      },
    });
    expect(r.get('Bridge', BR)!.ports).toEqual([P3, P2]);
    expect(change).toMatchObject({ table: 'Bridge', uuid: BR, kind: 'modify' });
    expect(change!.old!.ports).toEqual([P1, P3]);
    expect(change!.new!.ports).toEqual([P3, P2]);
  });

  it('keeps a large set column exact through many diffs, across the 64-element line both ways, leaving earlier rows as they were', () => {
    // Sets of 64 and more keep their membership beside the row (replica.ts SetMembership): this
    // checks it against a plain model through adds, removes, both at once and re-adds.
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 48271) % 2147483647) % n; // Park-Miller: exact in doubles
    const uuids = Array.from({ length: 400 }, (_, i) => U(1000 + i));
    let model = uuids.slice(0, 100);
    const r = withBridge(['set', model.map((u) => ['uuid', u])]);
    let previous = r.get('Bridge', BR)!;
    let smallest = model.length;
    for (let step = 0; step < 300; step++) {
      // Mostly single adds (an attach), sometimes removes and mixed diffs; shrink below 64 midway.
      const shrinking = step >= 100 && step < 160;
      const picks = new Set<string>();
      const size = Math.min(next(4) === 0 ? 1 + next(6) : 1, shrinking ? model.length : 400);
      while (picks.size < size) picks.add(shrinking ? (model[next(model.length)] ?? uuids[next(400)]!) : uuids[next(400)]!);
      const before = [...(previous['ports'] as string[])];
      const changes = r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['set', [...picks].map((u) => ['uuid', u])] } } } });
      const has = new Set(model);
      model = [...model.filter((u) => !picks.has(u)), ...[...picks].filter((u) => !has.has(u))];
      const row = r.get('Bridge', BR)!;
      expect(row['ports']).toEqual(model);
      expect(changes[0]!.old!['ports']).toEqual(before);
      expect(previous['ports']).toEqual(before);
      previous = row;
      smallest = Math.min(smallest, model.length);
    }
    expect(smallest).toBeLessThan(64);
    expect(model.length).toBeGreaterThan(64);
    r.clear();
    r.applyUpdate2({ Bridge: { [BR]: { initial: { name: 'br-int', ports: ['set', uuids.slice(0, 70).map((u) => ['uuid', u])] } } } });
    r.applyUpdate2({
      Bridge: {
        [BR]: {
          modify: {
            ports: [
              'set',
              [
                ['uuid', uuids[0]!],
                ['uuid', uuids[399]!],
              ],
            ],
          },
        },
      },
    });
    expect(r.get('Bridge', BR)!['ports']).toEqual([...uuids.slice(1, 70), uuids[399]]);
  });

  it('applies map diffs: new key added, same key and value removed, same key new value replaced', () => {
    const r = withBridge();
    r.applyUpdate2({ Bridge: { [BR]: { modify: { external_ids: ['map', [['c', '3']]] } } } });
    expect(r.get('Bridge', BR)!.external_ids).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]),
    );
    r.applyUpdate2({ Bridge: { [BR]: { modify: { external_ids: ['map', [['a', '1']]] } } } });
    expect(r.get('Bridge', BR)!.external_ids).toEqual(
      new Map([
        ['b', '2'],
        ['c', '3'],
      ]),
    );
    r.applyUpdate2({
      Bridge: {
        [BR]: {
          modify: {
            external_ids: [
              'map',
              [
                ['b', '20'],
                ['c', '3'],
                ['d', '4'],
              ],
            ],
          },
        },
      },
    });
    expect(r.get('Bridge', BR)!.external_ids).toEqual(
      new Map([
        ['b', '20'],
        ['d', '4'],
      ]),
    );
  });

  it('gives an optional scalar its new value on modify, and null when cleared with an empty set', () => {
    const r = replica();
    r.applyUpdate2({ Interface: { [IF1]: { initial: { name: 'vf1' } } } });
    expect(r.get('Interface', IF1)!.ofport).toBeNull();
    r.applyUpdate2({ Interface: { [IF1]: { modify: { ofport: 5 } } } });
    expect(r.get('Interface', IF1)!.ofport).toBe(5);
    // Not a toggle: the new value replaces the old one (ovsdb_datum_diff only diffs max > 1).
    r.applyUpdate2({ Interface: { [IF1]: { modify: { ofport: 7, error: 'could not open network device vf1' } } } });
    expect(r.get('Interface', IF1)).toMatchObject({ ofport: 7, error: 'could not open network device vf1' });
    const [c] = r.applyUpdate2({ Interface: { [IF1]: { modify: { ofport: ['set', []], error: ['set', []] } } } });
    expect(r.get('Interface', IF1)).toMatchObject({ ofport: null, error: null, name: 'vf1' });
    expect(c!.old).toMatchObject({ ofport: 7 });
    // Optional uuid reference (Port.qos), bare.
    r.applyUpdate2({ Port: { [P1]: { insert: { name: 'vf1', interfaces: ['uuid', IF1], qos: ['uuid', P3] } } } });
    expect(r.get('Port', P1)).toMatchObject({ interfaces: [IF1], qos: P3, tag: null });
    r.applyUpdate2({ Port: { [P1]: { modify: { qos: ['set', []], tag: 10 } } } });
    expect(r.get('Port', P1)).toMatchObject({ qos: null, tag: 10 });
  });

  it('deletes rows, reporting the old row; a delete of an unknown row changes nothing', () => {
    const r = withBridge();
    const old = r.get('Bridge', BR);
    const changes = r.applyUpdate2({ Bridge: { [BR]: { delete: null } } });
    expect(changes).toEqual([{ table: 'Bridge', uuid: BR, kind: 'delete', old, new: undefined }]);
    expect(r.get('Bridge', BR)).toBeUndefined();
    expect(r.count('Bridge')).toBe(0);
    expect(r.applyUpdate2({ Bridge: { [BR]: { delete: null } } })).toEqual([]);
  });

  it('leaves rows of earlier versions untouched (changes carry the old row as it was)', () => {
    const r = withBridge();
    const before = r.get('Bridge', BR)!;
    r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['uuid', P3], external_ids: ['map', [['a', '9']]] } } } });
    expect(before.ports).toEqual([P1, P2]);
    expect(before.external_ids).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    );
  });

  it('skips a modify that leaves the row as it was, and columns it does not monitor', () => {
    const r = replica();
    r.applyUpdate2({ Interface: { [IF1]: { initial: { name: 'vf1', ofport: 5 } } } });
    const before = r.get('Interface', IF1)!;
    // ofport sent again unchanged, mac_in_use not monitored (this replica monitors name, ofport,
    // error, external_ids and type): no new row and no change reported.
    expect(r.applyUpdate2({ Interface: { [IF1]: { modify: { ofport: 5, mac_in_use: 'aa:55:aa:55:00:01' } } } })).toEqual([]);
    expect(r.get('Interface', IF1)).toBe(before);
    expect(before).not.toHaveProperty('mac_in_use');
    const [c] = r.applyUpdate2({ Interface: { [IF1]: { modify: { ofport: 6, mac_in_use: 'aa:55:aa:55:00:02' } } } });
    expect(c!.new).toEqual({ ...before, ofport: 6 });
    expect(c!.new).not.toHaveProperty('mac_in_use');
  });

  it('ignores tables it does not monitor and rejects malformed updates', () => {
    const r = withBridge();
    expect(r.applyUpdate2({ Mirror: { [P1]: { insert: { name: 'm' } } } })).toEqual([]);
    expect(() => r.applyUpdate2({ Port: { [P3]: { modify: { name: 'x' } } } })).toThrow(OvsdbProtocolError);
    expect(() => r.applyUpdate2({ Port: { [P3]: { replace: {} } } })).toThrow(/no initial\/insert\/delete\/modify/);
    expect(() => r.applyUpdate2([])).toThrow(OvsdbProtocolError);
    expect(() => r.applyUpdate2({ Bridge: { [BR]: { modify: { ports: ['set', 'nope'] } } } })).toThrow(/set is malformed/);
  });

  it('empties every table on clear()', () => {
    const r = withBridge();
    r.clear();
    expect(r.count('Bridge')).toBe(0);
    expect([...r.rows('Bridge')]).toEqual([]);
  });
});

describe('Replica with the RFC 7047 update format (monitor)', () => {
  it('inserts new rows, modifies with the new whole values and deletes, reporting old and new', () => {
    const r = replica();
    const ins = r.applyUpdate({
      Bridge: {
        [BR]: { new: { name: 'br-int', ports: ['set', [['uuid', P1]]], external_ids: ['map', [['a', '1']]], fail_mode: ['set', []] } },
      },
    });
    expect(ins).toHaveLength(1);
    expect(ins[0]).toMatchObject({ table: 'Bridge', uuid: BR, kind: 'insert', old: undefined });
    expect(ins[0]!.new).toMatchObject({ name: 'br-int', ports: [P1], fail_mode: null, datapath_type: '' });

    // modify: "old" holds only the changed columns, "new" the whole new values (sets are not diffs).
    const mod = r.applyUpdate({
      Bridge: {
        [BR]: {
          old: { ports: ['uuid', P1], external_ids: ['map', [['a', '1']]], fail_mode: ['set', []] },
          new: {
            name: 'br-int',
            ports: [
              'set',
              [
                ['uuid', P1],
                ['uuid', P2],
              ],
            ],
            external_ids: ['map', [['b', '2']]],
            fail_mode: 'secure',
          },
        },
      },
    });
    expect(mod).toHaveLength(1);
    expect(mod[0]!.kind).toBe('modify');
    expect(mod[0]!.old).toMatchObject({ ports: [P1], external_ids: new Map([['a', '1']]) });
    expect(mod[0]!.new).toMatchObject({ ports: [P1, P2], external_ids: new Map([['b', '2']]), fail_mode: 'secure' });
    expect(r.get('Bridge', BR)).toBe(mod[0]!.new);

    const del = r.applyUpdate({ Bridge: { [BR]: { old: { name: 'br-int' } } } });
    expect(del).toEqual([{ table: 'Bridge', uuid: BR, kind: 'delete', old: mod[0]!.new, new: undefined }]);
    expect(r.count('Bridge')).toBe(0);
  });

  it('decodes a bare single-element set and an optional scalar in whole rows', () => {
    const r = replica();
    r.applyUpdate({ Interface: { [IF1]: { new: { name: 'vf1', ofport: 3 } } } });
    r.applyUpdate({ Port: { [P1]: { new: { name: 'vf1', interfaces: ['uuid', IF1], tag: ['set', []] } } } });
    expect(r.get('Port', P1)).toMatchObject({ interfaces: [IF1], tag: null });
    r.applyUpdate({ Interface: { [IF1]: { old: { ofport: 3 }, new: { name: 'vf1', ofport: ['set', []] } } } });
    expect(r.get('Interface', IF1)!.ofport).toBeNull();
  });
});
