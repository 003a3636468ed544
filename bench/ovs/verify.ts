// Checks, after a contender has finished and outside its timing, that it really did the work: the
// bridge holds exactly the N ports, every one active with its external_ids, and next_cfg advanced
// by exactly the number of transactions the contender claims (N one per port, or 1 for a batch),
// with cur_cfg caught up. Read through ovs-vsctl, not through any contender's code.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { OvsInstance } from '../../test/harness/ovs.js';
import { BRIDGE, portSpec } from './ports.js';

const run = promisify(execFile);

export interface VerifyOptions {
  ports: number;
  /** next_cfg before the contender started. */
  baseNextCfg: number;
  /** How many transactions the contender should have committed. */
  transactions: number;
  /** Whether the contender sets Mooring's ownership marker (the agent and the reference client do). */
  owned: boolean;
}

async function vsctl(ovs: OvsInstance, ...args: string[]): Promise<string> {
  const { stdout } = await run('ovs-vsctl', [`--db=${ovs.unixRemote}`, '--timeout=30', ...args], {
    env: ovs.env,
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.trim();
}

export async function readCfg(ovs: OvsInstance): Promise<{ next: number; cur: number }> {
  const [next, cur] = (await vsctl(ovs, 'get', 'Open_vSwitch', '.', 'next_cfg', 'cur_cfg')).split('\n').map(Number);
  return { next: next!, cur: cur! };
}

type Cell = string | number | ['set', unknown[]] | ['map', [string, string][]] | ['uuid', string];

async function table(ovs: OvsInstance, name: string, columns: string[]): Promise<Record<string, Cell>[]> {
  const json = JSON.parse(await vsctl(ovs, '--format=json', `--columns=${columns.join(',')}`, 'list', name)) as {
    headings: string[];
    data: Cell[][];
  };
  return json.data.map((row) => Object.fromEntries(json.headings.map((h, i) => [h, row[i]!])));
}

function mapOf(cell: Cell | undefined): Record<string, string> {
  return Array.isArray(cell) && cell[0] === 'map' ? Object.fromEntries(cell[1]) : {};
}

/** Throws naming the first thing that is not as it must be. */
export async function verifyPorts(ovs: OvsInstance, who: string, o: VerifyOptions): Promise<void> {
  const problems: string[] = [];
  const listed = (await vsctl(ovs, 'list-ports', BRIDGE)).split('\n').filter(Boolean);
  if (listed.length !== o.ports) problems.push(`${listed.length} ports on ${BRIDGE}, expected ${o.ports}`);
  const onBridge = new Set(listed);

  const ifaces = new Map((await table(ovs, 'Interface', ['name', 'ofport', 'error', 'external_ids'])).map((r) => [r.name as string, r]));
  const ports = new Map((await table(ovs, 'Port', ['name', 'external_ids'])).map((r) => [r.name as string, r]));
  for (let i = 0; i < o.ports && problems.length < 5; i++) {
    const spec = portSpec(i);
    const iface = ifaces.get(spec.name);
    if (!iface || !onBridge.has(spec.name)) {
      problems.push(`${spec.name} is missing`);
      continue;
    }
    if (typeof iface.ofport !== 'number' || iface.ofport <= 0) problems.push(`${spec.name} has ofport ${JSON.stringify(iface.ofport)}`);
    if (typeof iface.error === 'string' && iface.error !== '') problems.push(`${spec.name} has error ${iface.error}`);
    const ids = mapOf(iface.external_ids);
    const want: Record<string, string> = {
      'iface-id': spec.ifaceId,
      'iface-status': 'active',
      'attached-mac': spec.mac,
      'vm-uuid': spec.vmUuid,
    };
    if (o.owned) want['mooring-owned'] = 'true';
    for (const [k, v] of Object.entries(want))
      if (ids[k] !== v) problems.push(`${spec.name} external_ids:${k}=${ids[k] ?? '(none)'}, expected ${v}`);
    if (o.owned && mapOf(ports.get(spec.name)?.external_ids)['mooring-owned'] !== 'true')
      problems.push(`Port ${spec.name} lacks mooring-owned=true`);
  }

  const cfg = await readCfg(ovs);
  if (cfg.next - o.baseNextCfg !== o.transactions) {
    problems.push(`next_cfg advanced by ${cfg.next - o.baseNextCfg}, expected ${o.transactions} transaction(s)`);
  }
  if (cfg.cur < cfg.next) problems.push(`cur_cfg ${cfg.cur} < next_cfg ${cfg.next}: not applied`);
  if (problems.length > 0) throw new Error(`${who} failed verification: ${problems.join('; ')}`);
}
