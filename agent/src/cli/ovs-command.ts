// `mooring-agent ovs list|bind|unbind`: the operator's direct handle on the ports the agent owns.

import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { OvsdbClient } from '../../../proto/ovsdb/client.js';
import type { TlsMaterial } from '../../../proto/ovsdb/transport.js';
import { PortBinder } from '../ovs/port-binder.js';
import { checkPortName, normalisePortSpec, type PortStatus } from '../ovs/port-spec.js';
import { formatTable } from '../common/table.js';
import { createLogger } from '../common/logger.js';
import { parseDuration } from '../common/duration.js';

interface CommonOptions {
  db: string;
  bridge: string;
  json: boolean;
  timeout: string;
  privateKey?: string;
  certificate?: string;
  caCert?: string;
  createBridge: boolean;
  datapathType: string;
  logLevel: string;
}

export const DEFAULT_OVSDB_REMOTE = 'unix:/run/openvswitch/db.sock';

function withCommon(cmd: Command): Command {
  return cmd
    .addOption(new Option('--db <remote>', 'OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT').default(DEFAULT_OVSDB_REMOTE))
    .option('--bridge <name>', 'integration bridge', 'br-int')
    .option('--json', 'print one JSON document instead of a table', false)
    .option('--timeout <duration>', 'bound on connecting and on waiting for ovs-vswitchd (e.g. 10s, 500ms)', '10s')
    .option('--private-key <file>', 'client key for ssl: remotes')
    .option('--certificate <file>', 'client certificate for ssl: remotes')
    .option('--ca-cert <file>', 'CA certificate for ssl: remotes')
    .option('--create-bridge', 'create the bridge if it is missing', false)
    .option('--datapath-type <type>', 'datapath_type for a bridge created here (e.g. netdev)', '')
    .option('--log-level <level>', 'log level on stderr', 'warn');
}

async function tlsFrom(o: CommonOptions): Promise<TlsMaterial | undefined> {
  if (!o.db.startsWith('ssl:')) return undefined;
  if (!o.privateKey || !o.certificate || !o.caCert) {
    throw new Error('an ssl: remote needs --private-key, --certificate and --ca-cert (OVS requires mutual TLS)');
  }
  const [key, cert, ca] = await Promise.all([o.privateKey, o.certificate, o.caCert].map((f) => readFile(f, 'utf8')));
  return { key: key!, cert: cert!, ca: ca! };
}

async function withBinder<T>(o: CommonOptions, fn: (binder: PortBinder) => Promise<T>): Promise<T> {
  const timeoutMs = parseDuration(o.timeout, '--timeout');
  const log = createLogger(o.logLevel as 'warn', 'stderr');
  const client = await OvsdbClient.connect(
    { remote: o.db, tls: await tlsFrom(o), reconnect: false, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs },
    log.child({ component: 'ovsdb' }),
  );
  try {
    const binder = await PortBinder.create(
      client,
      { bridge: o.bridge, datapathType: o.datapathType, applyTimeoutMs: timeoutMs },
      log.child({ component: 'ovs' }),
    );
    if (o.createBridge) await binder.ensureBridge();
    return await fn(binder);
  } finally {
    client.close();
  }
}

function printPorts(ports: PortStatus[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
    return;
  }
  const rows = ports.map((p) => [p.name, p.owned ? 'yes' : 'no', p.state, p.ofport, p.ifaceId, p.mac, p.vmUuid, p.error]);
  process.stdout.write(`${formatTable(['PORT', 'OWNED', 'STATE', 'OFPORT', 'IFACE-ID', 'MAC', 'VM-UUID', 'ERROR'], rows)}\n`);
}

export function ovsCommand(): Command {
  const ovs = new Command('ovs').description('list, bind and unbind ports on the integration bridge over OVSDB');

  withCommon(ovs.command('list').description('list the ports on the bridge and whether Mooring owns them'))
    .option('--owned', 'only ports Mooring owns', false)
    .action(async (o: CommonOptions & { owned: boolean }) => {
      const ports = await withBinder(o, (b) => Promise.resolve(b.list()));
      printPorts(o.owned ? ports.filter((p) => p.owned) : ports, o.json);
    });

  withCommon(ovs.command('bind').description('ensure a port exists with these external_ids and wait until it is active'))
    .requiredOption('--port <name>', 'port and interface name (e.g. a representor such as pf0vf3)')
    .requiredOption('--iface-id <id>', 'external_ids:iface-id')
    .requiredOption('--mac <mac>', 'external_ids:attached-mac')
    .requiredOption('--vm-uuid <id>', 'external_ids:vm-uuid')
    .action(async (o: CommonOptions & { port: string; ifaceId: string; mac: string; vmUuid: string }) => {
      // Checked before connecting: the same rules the agent applies to the coordinator's commands.
      const spec = normalisePortSpec({ name: o.port, ifaceId: o.ifaceId, mac: o.mac, vmUuid: o.vmUuid });
      const status = await withBinder(o, (b) => b.bind(spec));
      printPorts([status], o.json);
    });

  withCommon(ovs.command('unbind').description('remove a port Mooring owns and wait until ovs-vswitchd applied it'))
    .requiredOption('--port <name>', 'port name')
    .action(async (o: CommonOptions & { port: string }) => {
      const name = checkPortName(o.port);
      const r = await withBinder(o, (b) => b.unbindMany([name]));
      if (o.json) process.stdout.write(`${JSON.stringify({ port: o.port, removed: r.removed.length === 1 }, null, 2)}\n`);
      else process.stdout.write(r.removed.length === 1 ? `removed ${o.port}\n` : `${o.port} was not on ${o.bridge}; nothing to do\n`);
    });

  return ovs;
}
