// The tenant-network area as the coordinator holds it: networks, security groups, the fabric
// they are carried on, and what reconcile is told should exist. start() reconciles once with the
// store's records (after a crash between a stored change and its fabric call, this finishes it).
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import { FabricGate, type FabricSource } from './fabric-gate.js';
import type { DesiredFabric, PortAttachment, ReconcileReport } from './fabric.js';
import type { NetworkAttachment } from './network-records.js';
import { networkSpec, NetworkRegistry } from './network-registry.js';
import { SecurityGroupRegistry, securityGroupSpec } from './security-group-registry.js';

export interface TenantNetworksDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly users: UserDirectory;
  readonly fabric: FabricSource;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function portAttachment(attachment: NetworkAttachment): PortAttachment {
  const { lspName, networkId, machineId, portId, mac, ip, securityGroupIds } = attachment;
  return { lspName, networkId, machineId, portId, mac, securityGroupIds: [...securityGroupIds], ...(ip !== null ? { ip } : {}) };
}

export class TenantNetworks {
  readonly networks: NetworkRegistry;
  readonly securityGroups: SecurityGroupRegistry;
  readonly fabric: FabricGate;
  private readonly logger: Logger;
  /** The start-up reconcile: its report, or null when there is no fabric or it failed (logged). */
  reconciled: Promise<ReconcileReport | null> = Promise.resolve(null);

  constructor(private readonly deps: TenantNetworksDeps) {
    this.logger = deps.logger.child({ component: 'networks' });
    this.fabric = new FabricGate(deps.fabric, deps.clock, this.logger);
    const shared = { store: deps.store, events: deps.events, users: deps.users, fabric: this.fabric, clock: deps.clock, logger: this.logger };
    this.networks = new NetworkRegistry(shared);
    this.securityGroups = new SecurityGroupRegistry(shared);
  }

  /** Everything the store says should exist in the fabric. */
  desiredFabric(): DesiredFabric {
    const attachments: PortAttachment[] = [];
    for (const { value } of this.deps.store.tables.networkAttachments.getRange({})) attachments.push(portAttachment(value as NetworkAttachment));
    return {
      networks: this.networks.all().map(networkSpec),
      securityGroups: this.securityGroups.all().map(securityGroupSpec),
      attachments,
    };
  }

  /**
   * Reconciles the fabric with the store, in the background: a slow or unreachable OVN does not
   * hold up the coordinator's start. A failure is logged; network calls then fail on their own.
   */
  start(): void {
    if (!this.fabric.configured) return;
    this.reconciled = this.fabric.call('reconcile with the stored networks', (fabric) => fabric.reconcile(this.desiredFabric())).then(
      (report) => {
        this.logger.info({ created: report.created.length, removed: report.removed.length }, 'fabric reconciled');
        return report;
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'reconciling the fabric at start failed');
        return null;
      },
    );
  }
}
