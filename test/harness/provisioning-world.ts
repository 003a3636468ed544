// The coordinator's network domain as the provisioning tests use it, built from its real parts: an
// LMDB store in a data dir, the event log, tenant networks on a real OvnNorthbound, the port
// attachments and Provisioning (sequencer/provisioning.ts). The test process and the child it kills
// (provisioning-process.ts) build it the same way over the same data dir.
import { systemClock } from '../../coordinator/src/clock.js';
import { EventLog } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import type { Port } from '../../coordinator/src/machines/machine.js';
import { ensureProvisioningNetwork, type ProvisioningSettings } from '../../coordinator/src/networks/provisioning-network.js';
import { TenantNetworks } from '../../coordinator/src/networks/tenant-networks.js';
import { OvnNorthbound } from '../../coordinator/src/ovn/ovn-northbound.js';
import { PortAttachments } from '../../coordinator/src/sequencer/port-attachments.js';
import { Provisioning } from '../../coordinator/src/sequencer/provisioning.js';
import { Store } from '../../coordinator/src/store/store.js';
import { UserDirectory } from '../../coordinator/src/tenancy/user-directory.js';

export const OVN_OWNER = 'fleet-provisioning';

/** A machine as Provisioning needs it: one smartNIC port per MAC. */
export interface TestMachine {
  readonly id: string;
  readonly hostname: string;
  readonly ports: readonly Port[];
}

export function testMachine(id: string, hostname: string, mac: string): TestMachine {
  const port: Port = {
    mac,
    isSmartNic: true,
    smartNicAgentId: 'snic-1',
    smartNicPortId: `pf0vf-${hostname}`,
    sshPublicKey: null,
    ovsdbCaCert: null,
  };
  return { id, hostname, ports: [port] };
}

export interface ProvisioningWorld {
  readonly store: Store;
  readonly events: EventLog;
  readonly fabric: OvnNorthbound;
  readonly networks: TenantNetworks;
  readonly attachments: PortAttachments;
  readonly provisioning: Provisioning;
  close(): void;
}

export async function openProvisioningWorld(
  dataDir: string,
  nbRemote: string,
  settings: ProvisioningSettings,
  failpoint?: (point: 'stored') => void,
): Promise<ProvisioningWorld> {
  const logger = createLogger('silent');
  const store = Store.open(dataDir, logger);
  const events = new EventLog(store.tables, systemClock);
  const users = new UserDirectory({ store, events, clock: systemClock });
  const fabric = OvnNorthbound.create({ remote: nbRemote, owner: OVN_OWNER });
  await fabric.ready();
  await ensureProvisioningNetwork({ store, events, clock: systemClock, logger }, settings);
  const networks = new TenantNetworks({ store, events, users, fabric: { type: 'configured', fabric }, clock: systemClock, logger });
  const attachments = new PortAttachments({ store, events, networks });
  const provisioning = new Provisioning({ store, events, networks, attachments, settings, ...(failpoint ? { failpoint } : {}) });
  return {
    store,
    events,
    fabric,
    networks,
    attachments,
    provisioning,
    close: () => {
      fabric.close();
      void store.close();
    },
  };
}
