// The agent as a contender, in a process of its own so its RSS is its own: the real OvsdbClient and
// PortBinder, configured as the agent CLI configures them (a pino logger at warn). Each bind() is
// one transaction and resolves only once cur_cfg has reached its next_cfg and the interface is
// active (ofport > 0, no error); bindMany() sends all its ports in one transaction.
//
//   node agent-bind.js --remote unix:PATH     then commands on stdin (child-protocol.ts)

import { OvsdbClient } from '../../proto/ovsdb/client.js';
import { PortBinder } from '../../agent/src/ovs/port-binder.js';
import { createLogger } from '../../agent/src/common/logger.js';
import { BRIDGE, portSpecs } from './ports.js';
import { childArgs, serveCommands } from './child-protocol.js';

async function main(): Promise<void> {
  const args = childArgs(process.argv.slice(2), ['remote']);
  const log = createLogger('warn', 'stderr');
  const client = await OvsdbClient.connect({ remote: args.remote!, reconnect: false }, log.child({ component: 'ovsdb' }));
  try {
    const binder = await PortBinder.create(
      client,
      { bridge: BRIDGE, datapathType: 'netdev', applyTimeoutMs: 60_000 },
      log.child({ component: 'ovs' }),
    );
    let next = 0;
    await serveCommands(async ({ kind, count }) => {
      const specs = portSpecs(next, count);
      next += count;
      let active = 0;
      if (kind === 'batch') {
        active = (await binder.bindMany(specs)).ports.filter((p) => p.state === 'active').length;
      } else {
        for (const s of specs) if ((await binder.bind(s)).state === 'active') active++;
      }
      if (active !== count) throw new Error(`only ${active} of ${count} ports reported active`);
    });
  } finally {
    client.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`agent-bind: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
