// A coordinator's provisioning step in a process of its own, for the kill test: it stores the
// port's provisioning record and is killed with SIGKILL (as kill -9 would) before the fabric call,
// printing `stored` first. Usage: node dist/test/harness/provisioning-process.js DATA_DIR NB_REMOTE SETTINGS_JSON MACHINE_JSON SCRIPT_URL
import { writeSync } from 'node:fs';
import type { ProvisioningSettings } from '../../coordinator/src/networks/provisioning-network.js';
import { openProvisioningWorld, type TestMachine } from './provisioning-world.js';

const [dataDir, nbRemote, settings, machine, scriptUrl] = process.argv.slice(2);
if (!dataDir || !nbRemote || !settings || !machine || !scriptUrl)
  throw new Error('usage: provisioning-process DATA_DIR NB_REMOTE SETTINGS_JSON MACHINE_JSON SCRIPT_URL');
const world = await openProvisioningWorld(dataDir, nbRemote, JSON.parse(settings) as ProvisioningSettings, () => {
  writeSync(1, 'stored\n');
  process.kill(process.pid, 'SIGKILL');
});
await world.provisioning.attachProvisioning('admin', JSON.parse(machine) as TestMachine, scriptUrl);
process.stdout.write('not killed\n');
world.close();
