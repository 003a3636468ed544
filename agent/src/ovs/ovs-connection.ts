// The agent's long-lived hold on the local ovsdb-server: connects in the background, keeps
// reconnecting, creates the port binder on the first connection (its monitor is re-established
// by the client after each reconnect), mirrors OVSDB state and owned ports into the status board,
// and tells its owner each time OVSDB is (re)connected so the desired state can be reconciled.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { OvsdbClient, type Lifecycle } from '../../../proto/ovsdb/client.js';
import type { OvsdbClientOptions } from '../../../proto/ovsdb/options.js';
import { NotConnectedError } from '../../../proto/ovsdb/errors.js';
import type { Replica } from '../../../proto/ovsdb/replica.js';
import type { StatusBoard } from '../status/status-board.js';
import { PortBinder, type PortBinderOptions } from './port-binder.js';

export interface OvsConnectionEvents {
  /** OVSDB is connected and the binder's replica is current (first time and after every reconnect). */
  ready: [binder: PortBinder];
}

export class OvsConnection extends EventEmitter<OvsConnectionEvents> {
  readonly client: OvsdbClient;
  private current: PortBinder | undefined;
  private creating: Promise<void> | undefined;

  constructor(
    clientOptions: OvsdbClientOptions,
    private readonly binderOptions: PortBinderOptions,
    private readonly board: StatusBoard,
    private readonly log: Logger,
  ) {
    super();
    this.client = new OvsdbClient(clientOptions, log.child({ component: 'ovsdb' }));
    this.client.on('lifecycle', (e) => this.onLifecycle(e));
  }

  start(): void {
    this.client.start();
  }

  close(): void {
    this.client.close();
  }

  /** The binder once OVSDB is connected; waits at most timeoutMs. */
  async binder(timeoutMs: number): Promise<PortBinder> {
    if (this.current && this.client.state === 'connected') return this.current;
    await this.client.waitConnected(timeoutMs).catch((err: unknown) => {
      throw new NotConnectedError('port change', `${this.client.state} (${(err as Error).message})`);
    });
    await this.creating;
    if (!this.current) throw new NotConnectedError('port change', this.client.state);
    return this.current;
  }

  /** The OVSDB replica once monitoring started (for the inventory). */
  replica(): Replica | undefined {
    return this.current?.replicaMonitor.replica;
  }

  bridgeNames(): string[] {
    const replica = this.replica();
    return replica
      ? [...replica.rows('Bridge')]
          .map((b) => b.name)
          .filter((n): n is string => typeof n === 'string')
          .sort()
      : [];
  }

  private onLifecycle(e: Lifecycle): void {
    if (e.type === 'connected') {
      this.board.update((s) => ({ ...s, ovsdb: { ...s.ovsdb, state: 'connected', reason: null } }));
      this.creating = this.whenConnected().catch((err: unknown) => {
        this.log.error({ err: (err as Error).message }, 'could not start monitoring OVSDB');
      });
      return;
    }
    const reason = e.type === 'closed' ? 'closed' : (e.cause?.message ?? null);
    const state = e.type === 'closed' ? 'closed' : e.type === 'reconnecting' ? 'backoff' : 'connecting';
    this.board.update((s) => ({ ...s, ovsdb: { ...s.ovsdb, state, reason } }));
  }

  private async whenConnected(): Promise<void> {
    if (!this.current) {
      const binder = await PortBinder.create(this.client, this.binderOptions, this.log.child({ component: 'ovs' }));
      binder.replicaMonitor.on('update', () => this.publish(binder));
      binder.replicaMonitor.on('rebuilt', () => this.publish(binder));
      this.current = binder;
    }
    this.publish(this.current);
    this.emit('ready', this.current);
  }

  private publish(binder: PortBinder): void {
    let ovsVersion: string | null = null;
    let ids: ReadonlyMap<string, string> = new Map();
    for (const row of binder.replicaMonitor.replica.rows('Open_vSwitch')) {
      ovsVersion = (row.ovs_version as string | null) ?? null;
      if (row.external_ids instanceof Map) ids = row.external_ids as ReadonlyMap<string, string>;
    }
    // ovn-controller reads its southbound remote and chassis name from these keys (ovn-controller(8)).
    const ovnRemote = ids.get('ovn-remote') ?? '';
    const ovnChassis = ids.get('system-id') ?? '';
    const ports = binder.list().filter((p) => p.owned);
    this.board.update((s) => ({ ...s, ovsdb: { ...s.ovsdb, ovsVersion, ovnRemote, ovnChassis }, ports }));
  }
}
