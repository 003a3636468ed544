// The coordinator's memory for many attached ports, in a process of its own so its RSS is its own:
// an OvnNorthbound (NB and SB monitors, as the coordinator runs it) attaches N LSPs to one network,
// one call each; RSS is read after a full GC before and after. Prints one JSON line on stdout:
// {"ports":N,"rssBeforeMB":..,"rssAfterMB":..,"growthMB":..,"attachMs":..}
//
//   node --expose-gc rss-child.js --nb unix:PATH --sb unix:PATH --ports N

import { parseArgs } from 'node:util';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { NETWORK_ID, benchPort } from './ports.js';

function settledRssMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().rss / (1024 * 1024);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nb: { type: 'string' }, sb: { type: 'string' }, ports: { type: 'string' } } });
  const ports = Number(values.ports);
  if (!values.nb || !values.sb || !Number.isInteger(ports) || ports < 1)
    throw new Error('usage: rss-child --nb REMOTE --sb REMOTE --ports N');
  const fabric = OvnNorthbound.create({ remote: values.nb, southbound: { remote: values.sb }, owner: 'bench-rss' });
  try {
    await fabric.ready();
    await fabric.ensureNetwork({ id: NETWORK_ID, name: 'bench-rss' });
    const before = settledRssMB();
    const began = performance.now();
    for (let i = 0; i < ports; i++) {
      const p = benchPort(i);
      await fabric.attachPort({
        lspName: p.lspName,
        networkId: NETWORK_ID,
        machineId: p.machineId,
        portId: p.portId,
        mac: p.mac,
        securityGroupIds: [],
      });
    }
    const attachMs = performance.now() - began;
    const state = await fabric.portState(benchPort(ports - 1).lspName);
    if (!state.exists) throw new Error('the last port is not in NB');
    const after = settledRssMB();
    const heapMB = process.memoryUsage().heapUsed / (1024 * 1024);
    process.stdout.write(
      `${JSON.stringify({ ports, rssBeforeMB: before, rssAfterMB: after, growthMB: after - before, heapUsedMB: heapMB, attachMs })}\n`,
    );
  } finally {
    fabric.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`rss-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
