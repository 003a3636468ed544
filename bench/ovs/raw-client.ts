// The reference client: the least a program can do to bind ports and know ovs-vswitchd applied
// them. No library: a raw unix socket, transaction strings built by hand with the same operations
// the agent sends (agent/src/ovs/port-plan.ts: wait on the bridge, insert Interface with its
// external_ids, insert Port with the mooring-owned marker, mutate Bridge.ports insert, mutate
// next_cfg += 1, select next_cfg), one RFC 7047 monitor on Open_vSwitch.cur_cfg and
// Interface.ofport/error, and framing by counting braces outside strings. Whatever time is left
// per port is ovsdb-server's and ovs-vswitchd's: this is the limit.
//
//   node raw-client.js --remote unix:PATH     then commands on stdin (child-protocol.ts)

import net from 'node:net';
import { BRIDGE, portSpecs } from './ports.js';
import { childArgs, serveCommands } from './child-protocol.js';
import type { PortSpec } from '../../agent/src/ovs/port-spec.js';

interface Reply {
  id: number;
  result: unknown;
  error: unknown;
}

const args = childArgs(process.argv.slice(2), ['remote']);
const sockPath = args.remote!.replace(/^unix:/, '');

let curCfg = 0;
/** Interface uuid -> [ofport, error], from the monitor. */
const ifaces = new Map<string, [number, string]>();
let onReply: ((r: Reply) => void) | undefined;
let onUpdate: (() => void) | undefined;

const sock = net.connect(sockPath);
sock.setEncoding('utf8');

// Framing (RFC 7047 §4: JSON values back to back, no delimiter): a message ends where the braces
// opened outside strings are closed again.
let buf = '';
let scanned = 0;
let depth = 0;
let inString = false;
let escaped = false;
sock.on('data', (chunk: string) => {
  buf += chunk;
  let start = 0;
  for (let i = scanned; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
      handle(JSON.parse(buf.slice(start, i + 1)) as Record<string, unknown>);
      start = i + 1;
    }
  }
  buf = buf.slice(start);
  scanned = buf.length;
});
sock.on('error', (err) => fail(err.message));
sock.on('close', () => fail('ovsdb-server closed the connection'));

function handle(msg: Record<string, unknown>): void {
  if (msg.method === 'update') {
    applyUpdate((msg.params as unknown[])[1] as Record<string, Record<string, { new?: Record<string, unknown> }>>);
    onUpdate?.();
  } else if (msg.method === 'echo') {
    sock.write(`{"id":${JSON.stringify(msg.id)},"result":${JSON.stringify(msg.params)},"error":null}`);
  } else if (typeof msg.id === 'number') {
    onReply?.(msg as unknown as Reply);
  }
}

function applyUpdate(tables: Record<string, Record<string, { new?: Record<string, unknown> }>>): void {
  for (const row of Object.values(tables.Open_vSwitch ?? {})) if (row.new) curCfg = row.new.cur_cfg as number;
  for (const [uuid, row] of Object.entries(tables.Interface ?? {})) {
    if (!row.new) {
      ifaces.delete(uuid);
      continue;
    }
    // Optional columns: a bare value, or ["set", []] when empty.
    const ofport = typeof row.new.ofport === 'number' ? row.new.ofport : 0;
    const error = typeof row.new.error === 'string' ? row.new.error : '';
    ifaces.set(uuid, [ofport, error]);
  }
}

let nextId = 1;
function request(json: (id: number) => string): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    onReply = (r) => {
      if (r.id !== id) return;
      onReply = undefined;
      if (r.error !== null) reject(new Error(`ovsdb-server: ${JSON.stringify(r.error)}`));
      else resolve(r.result);
    };
    sock.write(json(id));
  });
}

/** Resolves once cur_cfg >= nextCfg and every interface has ofport > 0 and no error. */
function waitApplied(nextCfg: number, ifaceUuids: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (curCfg < nextCfg) return;
      for (const u of ifaceUuids) {
        const s = ifaces.get(u);
        if (!s || s[0] === 0) return;
        if (s[0] < 0 || s[1] !== '') {
          onUpdate = undefined;
          reject(new Error(`interface ${u}: ofport ${s[0]} ${s[1]}`));
          return;
        }
      }
      onUpdate = undefined;
      resolve();
    };
    onUpdate = check;
    check();
  });
}

function portOps(s: PortSpec, i: number): string {
  return (
    `{"op":"insert","table":"Interface","uuid-name":"iface${i}","row":{"name":"${s.name}","external_ids":["map",[` +
    `["iface-id","${s.ifaceId}"],["iface-status","active"],["attached-mac","${s.mac}"],` +
    `["vm-uuid","${s.vmUuid}"],["mooring-owned","true"]]]}},` +
    `{"op":"insert","table":"Port","uuid-name":"port${i}","row":{"name":"${s.name}","interfaces":["named-uuid","iface${i}"],` +
    `"external_ids":["map",[["mooring-owned","true"]]]}}`
  );
}

/** One transaction binding `batch`; resolves once applied and active. */
async function bind(batch: readonly PortSpec[]): Promise<void> {
  const ports = batch.map((_, i) => `["named-uuid","port${i}"]`).join(',');
  const result = (await request(
    (id) =>
      `{"id":${id},"method":"transact","params":["Open_vSwitch",` +
      `{"op":"wait","table":"Bridge","where":[["name","==","${BRIDGE}"]],"columns":["name"],` +
      `"until":"==","rows":[{"name":"${BRIDGE}"}],"timeout":0},` +
      batch.map(portOps).join(',') +
      `,{"op":"mutate","table":"Bridge","where":[["name","==","${BRIDGE}"]],"mutations":[["ports","insert",["set",[${ports}]]]]},` +
      `{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["next_cfg","+=",1]]},` +
      `{"op":"select","table":"Open_vSwitch","where":[],"columns":["next_cfg"]}]}`,
  )) as ({ error?: string; uuid?: [string, string]; rows?: { next_cfg: number }[] } | null)[];
  const ops = 1 + 2 * batch.length + 3;
  // RFC 7047 §4.1.3: errors sit in the result array (one extra slot for a commit error).
  const bad = result.find((r) => r === null || r.error !== undefined);
  if (bad !== undefined || result.length !== ops) throw new Error(`transaction failed: ${JSON.stringify(bad ?? result.length)}`);
  const nextCfg = result[ops - 1]!.rows![0]!.next_cfg;
  const ifaceUuids = batch.map((_, i) => result[1 + 2 * i]!.uuid![1]);
  await waitApplied(nextCfg, ifaceUuids);
}

function fail(why: string): never {
  process.stderr.write(`raw-client: ${why}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  await new Promise<void>((resolve) => sock.once('connect', resolve));
  await request(
    (id) =>
      `{"id":${id},"method":"monitor","params":["Open_vSwitch","bench",` +
      `{"Open_vSwitch":{"columns":["cur_cfg"]},"Interface":{"columns":["ofport","error"]}}]}`,
  ).then((initial) => applyUpdate(initial as Parameters<typeof applyUpdate>[0]));

  let next = 0;
  await serveCommands(async ({ kind, count }) => {
    const specs = portSpecs(next, count);
    next += count;
    if (kind === 'batch') await bind(specs);
    else for (const s of specs) await bind([s]);
  });
  sock.removeAllListeners('close');
  sock.destroy();
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
