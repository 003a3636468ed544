// The replica against a real ovsdb-server (no ovs-vswitchd: ovs-vsctl runs --no-wait): an update
// costs what it changes. A modify shares every value it does not change with the row it replaces,
// and after a reconnect the new snapshot is reconciled with the replica instead of replacing it,
// so rows that did not change keep their objects and only real differences are reported.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsInstance } from '../../harness/ovs.js';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import type { Monitor, MonitorMethod } from '../../../proto/ovsdb/monitor.js';
import type { Row, RowChange } from '../../../proto/ovsdb/replica.js';
import { OVS_DB } from '../../../proto/ovsdb/rows.js';
import { nextEvent, untilReplica } from './events.js';

const run = promisify(execFile);
const SPEC = { Bridge: { columns: ['name', 'ports', 'external_ids'] }, Port: { columns: ['name'] } };
let ovs: OvsInstance;
const clients: OvsdbClient[] = [];

const vsctl = (...args: string[]): Promise<string> => ovs.vsctl('--no-wait', ...args);

async function monitor(method: MonitorMethod): Promise<Monitor> {
  const c = await OvsdbClient.connect({ remote: ovs.unixRemote, reconnect: { initialMs: 50, maxMs: 400 } });
  clients.push(c);
  return c.monitor(OVS_DB, SPEC, method);
}

function bridge(m: Monitor, name: string): Row | undefined {
  return m.replica.find('Bridge', 'name', name);
}

/** The Bridge changes as "kind name", sorted. */
function bridgeChanges(changes: RowChange[]): string[] {
  return changes
    .filter((c) => c.table === 'Bridge')
    .map((c) => `${c.kind} ${(c.new ?? c.old)!.name as string}`)
    .sort();
}

beforeAll(async () => {
  ovs = await OvsInstance.start({ vswitchd: false });
  for (const br of ['br-keep', 'br-edit', 'br-gone']) await vsctl('add-br', br);
  await vsctl('add-port', 'br-keep', 'k1', '--', 'add-port', 'br-keep', 'k2', '--', 'br-set-external-id', 'br-keep', 'owner', 'ops');
});

afterAll(async () => {
  for (const c of clients) c.close();
  await ovs?.stop();
});

describe('Replica against a real ovsdb-server', () => {
  it.each<MonitorMethod>(['monitor_cond', 'monitor'])('%s: a modify decodes only what changed and shares the rest', async (method) => {
    const m = await monitor(method);
    const before = bridge(m, 'br-keep')!;
    expect(before.ports).toHaveLength(3); // br-keep's own port, k1, k2
    const seen: RowChange[] = [];
    m.on('update', (cs) => seen.push(...cs));
    await vsctl('br-set-external-id', 'br-keep', 'rack', `r-${method}`);
    await untilReplica(m, () => (bridge(m, 'br-keep')!.external_ids as Map<string, string>).get('rack') === `r-${method}`, 'rack set');
    const after = bridge(m, 'br-keep')!;
    // A new row for the new version (the old one is left as it was), holding the very same ports
    // array: with the RFC 7047 monitor the server sends every monitored column again, and only the
    // columns its "old" names are decoded.
    expect(after).not.toBe(before);
    expect(after.ports).toBe(before.ports);
    expect(before.external_ids).toEqual(new Map([['owner', 'ops']]));
    expect(seen.map((c) => `${c.table} ${c.kind}`)).toEqual(['Bridge modify']);
    await vsctl('br-set-external-id', 'br-keep', 'rack');
    await untilReplica(m, () => !(bridge(m, 'br-keep')!.external_ids as Map<string, string>).has('rack'), 'rack removed');
  });

  it.each<MonitorMethod>(['monitor_cond', 'monitor'])(
    '%s: after a reconnect, reports only what changed while away and keeps unchanged rows as they were',
    async (method) => {
      const m = await monitor(method);
      const keep = bridge(m, 'br-keep')!;
      const keepPorts = [...m.replica.rows('Port')].filter((p) => (keep.ports as string[]).includes(p._uuid));
      const gone = bridge(m, 'br-gone')!;
      const changes: RowChange[] = [];
      let rebuiltAt = -1;
      m.on('rebuilt', () => (rebuiltAt = changes.length));
      m.on('update', (cs) => changes.push(...cs));
      const rebuilt = nextEvent(m, 'rebuilt', () => true, 20_000);

      // While the server is down: a bridge added, one edited, one deleted, straight in the file.
      await ovs.killServer('SIGKILL');
      await run('ovsdb-tool', [
        'transact',
        path.join(ovs.dir, 'conf.db'),
        JSON.stringify([
          OVS_DB,
          { op: 'insert', table: 'Interface', 'uuid-name': 'i', row: { name: 'br-new', type: 'internal' } },
          { op: 'insert', table: 'Port', 'uuid-name': 'p', row: { name: 'br-new', interfaces: ['named-uuid', 'i'] } },
          { op: 'insert', table: 'Bridge', 'uuid-name': 'b', row: { name: 'br-new', ports: ['named-uuid', 'p'] } },
          { op: 'update', table: 'Bridge', where: [['name', '==', 'br-edit']], row: { external_ids: ['map', [['edited', 'yes']]] } },
          {
            op: 'mutate',
            table: 'Open_vSwitch',
            where: [],
            mutations: [
              ['bridges', 'insert', ['named-uuid', 'b']],
              ['bridges', 'delete', ['uuid', gone._uuid]],
            ],
          },
        ]),
      ]);
      await ovs.startServer();
      await rebuilt;

      expect(rebuiltAt).toBe(0);
      expect(bridgeChanges(changes)).toEqual(['delete br-gone', 'insert br-new', 'modify br-edit']);
      const edit = changes.find((c) => c.table === 'Bridge' && c.kind === 'modify')!;
      expect(edit.old!.external_ids).toEqual(new Map());
      expect(edit.new!.external_ids).toEqual(new Map([['edited', 'yes']]));
      // br-keep and its ports did not change: the same objects, not reported, still found by name.
      expect(bridge(m, 'br-keep')).toBe(keep);
      expect(changes.some((c) => c.uuid === keep._uuid || keepPorts.some((p) => p._uuid === c.uuid))).toBe(false);
      for (const p of keepPorts) expect(m.replica.find('Port', 'name', p.name as string)).toBe(p);
      expect(bridge(m, 'br-gone')).toBeUndefined();
      expect([...m.replica.rows('Bridge')].map((b) => b.name).sort()).toEqual(['br-edit', 'br-keep', 'br-new']);

      // Restore the starting bridges for the next run of this test.
      await vsctl('del-br', 'br-new', '--', 'add-br', 'br-gone', '--', 'br-set-external-id', 'br-edit', 'edited');
      await untilReplica(m, () => bridge(m, 'br-gone') !== undefined && !bridge(m, 'br-new'), 'bridges restored');
    },
  );
});
