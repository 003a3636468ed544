// The tenant-network area as the coordinator holds it: networks, security groups, the fabric
// they are carried on, and what reconcile is told should exist. start() reconciles once with the
// store's records (after a crash between a stored change and its fabric call, this finishes it),
// and again whenever the fabric's connection comes back after an outage (rows may have been
// changed or removed by others while Mooring could not see them).
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
  const { lspName, networkId, machineId, portId, mac, ip, securityGroupIds, dhcp } = attachment;
  return {
    lspName,
    networkId,
    machineId,
    portId,
    mac,
    securityGroupIds: [...securityGroupIds],
    ...(ip !== null ? { ip } : {}),
    ...(dhcp !== undefined ? { dhcp } : {}),
  };
}

export class TenantNetworks {
  readonly networks: NetworkRegistry;
  readonly securityGroups: SecurityGroupRegistry;
  readonly fabric: FabricGate;
  private readonly logger: Logger;
  /** The latest reconcile: its report, or null when there is no fabric or it failed (logged). */
  reconciled: Promise<ReconcileReport | null> = Promise.resolve(null);
  /** How the latest reconcile went: a first connection after a failed one reconciles again. */
  private lastReconcile: 'none' | 'running' | 'succeeded' | 'failed' = 'none';

  constructor(private readonly deps: TenantNetworksDeps) {
    this.logger = deps.logger.child({ component: 'networks' });
    this.fabric = new FabricGate(deps.fabric, deps.clock, this.logger);
    const shared = {
      store: deps.store,
      events: deps.events,
      users: deps.users,
      fabric: this.fabric,
      clock: deps.clock,
      logger: this.logger,
    };
    this.networks = new NetworkRegistry(shared);
    this.securityGroups = new SecurityGroupRegistry(shared);
  }

  /** Everything the store says should exist in the fabric. */
  desiredFabric(): DesiredFabric {
    const attachments: PortAttachment[] = [];
    for (const { value } of this.deps.store.tables.networkAttachments.getRange({}))
      attachments.push(portAttachment(value as NetworkAttachment));
    return {
      networks: this.networks.all().map(networkSpec),
      securityGroups: this.securityGroups.all().map(securityGroupSpec),
      attachments,
    };
  }

  /**
   * Reconciles the fabric with the store, in the background: a slow or unreachable OVN does not
   * hold up the coordinator's start. A failure is logged; network calls then fail on their own.
   * Then again after every reconnect of the fabric, and on a first connection that comes after the
   * start-up reconcile already gave up waiting for it.
   */
  start(): void {
    if (!this.fabric.configured) return;
    this.fabric.onConnected((event) => {
      if (event.reconnect || this.lastReconcile === 'failed')
        this.reconcile(event.reconnect ? 'after the fabric reconnected' : 'once the fabric connected');
    });
    this.reconcile('at start');
  }

  /** Ends the fabric's connections (when the coordinator built the fabric). */
  close(): void {
    this.fabric.close();
  }

  private reconcile(when: string): void {
    this.lastReconcile = 'running';
    this.reconciled = this.fabric
      .call('reconcile with the stored networks', (fabric) => fabric.reconcile(this.desiredFabric()))
      .then(
        (report) => {
          this.lastReconcile = 'succeeded';
          this.logger.info({ when, created: report.created.length, removed: report.removed.length }, 'fabric reconciled');
          return report;
        },
        (error: unknown) => {
          this.lastReconcile = 'failed';
          this.logger.error({ when, err: error }, 'reconciling the fabric failed');
          return null;
        },
      );
  }
}
