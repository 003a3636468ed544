// The coordinator's tenant-network fabric on OVN: OVN_Northbound over the shared RFC 7047 client
// (proto/ovsdb/), optionally OVN_Southbound for the chassis that claimed a port. Each call is
// validated first, planned from the replica of the rows Mooring owns (nb-planner.ts), and written in
// one transaction; calls are applied one at a time, so each plans from the state the last one left.
//
// NB outages: the client reconnects with backoff and re-monitors (the replica is rebuilt before it
// reports "connected"). A call made while NB is away waits for the connection, at most
// `unavailableWaitMs`, then fails with NorthboundUnavailableError having written nothing; a
// transaction whose connection drops before the answer is planned again from the rebuilt replica
// and resent within the same bound (so a change that did commit is not made twice). The `connected`
// event (with reconnect: true after an outage) tells the domain when to reconcile.

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { OvsdbClient, type Lifecycle } from '../../../proto/ovsdb/client.js';
import { ConnectionClosedError, NotConnectedError, RequestTimeoutError, TransactionError } from '../../../proto/ovsdb/errors.js';
import type { Monitor } from '../../../proto/ovsdb/monitor.js';
import { set, uuid } from '../../../proto/ovsdb/encoding.js';
import { InvalidArgumentError } from '../domain-error.js';
import type {
  DesiredFabric,
  LogicalPortState,
  NetworkFabric,
  NetworkSpec,
  PortAttachment,
  ReconcileReport,
  SecurityGroupSpec,
} from '../networks/fabric.js';
import {
  ForeignRowError,
  GroupInUseError,
  NorthboundContendedError,
  NorthboundUnavailableError,
  PortUpTimeoutError,
  PortWaitAbortedError,
  SwitchHoldsForeignPortsError,
  FabricRowMissingError,
} from './errors.js';
import { NB_DB, SB_DB, nbMonitorSpec, sbMonitorSpec } from './nb-rows.js';
import { NbPlanner } from './nb-planner.js';
import { NbTransaction } from './nb-transaction.js';
import { NETWORK_KEY, REMOTE_SG_KEY, SG_KEY } from './names.js';
import { isSettledUp, readPortState } from './port-state.js';
import { checkAttachment, checkId, checkLspName, checkNetwork, checkSecurityGroup } from './validation.js';
import { checkDesired } from './desired-check.js';
import { type OvnNorthboundOptions, type ResolvedOvnOptions, resolveOvnOptions } from './ovn-options.js';

export type { OvnNorthboundOptions } from './ovn-options.js';

export interface OvnNorthboundEvents {
  /** NB is connected and its replica current: first time, and after every outage (reconcile then). */
  connected: [event: { reconnect: boolean }];
}

/** Plans of one write that another client's changes may invalidate (a column guard failing) before it gives up. */
const MAX_REPLANS = 5;

interface WriteOptions {
  /** Plan only after the replica has caught up with every commit made before this call's turn. */
  caughtUp?: boolean;
}

export class OvnNorthbound extends EventEmitter<OvnNorthboundEvents> implements NetworkFabric {
  private nbMonitor: Monitor | undefined;
  private sbMonitor: Monitor | undefined;
  private monitorSetup: Promise<void> | undefined;
  /** Fires on every replica change of either database (waitPortUp listens). */
  private readonly changes = new EventEmitter<{ changed: [] }>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly nb: OvsdbClient,
    private readonly sb: OvsdbClient | undefined,
    private readonly opts: ResolvedOvnOptions,
    private readonly log: Logger | undefined,
  ) {
    super();
    this.changes.setMaxListeners(0);
    nb.on('lifecycle', (e) => this.onNbLifecycle(e));
    sb?.on('lifecycle', (e) => this.onSbLifecycle(e));
  }

  /** Starts connecting (in the background; calls wait for the connection, bounded). */
  static create(options: OvnNorthboundOptions, log?: Logger): OvnNorthbound {
    const opts = resolveOvnOptions(options);
    const nb = new OvsdbClient(opts.nb, log?.child({ component: 'ovn-nb' }));
    const sb = opts.sb ? new OvsdbClient(opts.sb, log?.child({ component: 'ovn-sb' })) : undefined;
    const fabric = new OvnNorthbound(nb, sb, opts, log?.child({ component: 'ovn' }));
    nb.start();
    sb?.start();
    return fabric;
  }

  /** Resolves once NB is connected and monitored; rejects with NorthboundUnavailableError after timeoutMs. */
  async ready(timeoutMs = this.opts.unavailableWaitMs): Promise<void> {
    await this.session(timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.nb.close();
    this.sb?.close();
    this.changes.emit('changed');
  }

  // ---- NetworkFabric ----

  async ensureNetwork(network: NetworkSpec): Promise<void> {
    checkNetwork(network);
    await this.write('ensure network', (p) => p.network(network));
  }

  async deleteNetwork(networkId: string): Promise<void> {
    checkId('networkId', networkId);
    // Planned on a replica caught up with every commit made before this call: a port another
    // client (ovn-nbctl, another CMS) added just before is seen and keeps the switch, instead of
    // going with it (a deleted switch takes its ports along). Seen in CI without it.
    const plan = (p: NbPlanner): void => {
      const row = p.switchRow(networkId);
      if (!row) return;
      const ours = new Set(p.lspRows().map((l) => l._uuid));
      const foreign = row.ports.filter((u) => !ours.has(u)).length;
      if (foreign > 0) throw new SwitchHoldsForeignPortsError(networkId, row.name, foreign);
      // And a port added between this plan and the commit fails the commit at this guard; the
      // delete is then planned again, and refused on the port it now sees.
      p.tx.guardColumn('Logical_Switch', row._uuid, 'ports', set(row.ports.map((u) => uuid(u))), `Logical_Switch ${row.name} ports`);
      p.removeNetwork(row);
    };
    await this.write('delete network', plan, { caughtUp: true });
  }

  async ensureSecurityGroup(group: SecurityGroupSpec): Promise<void> {
    checkSecurityGroup(group);
    await this.write('ensure security group', (p) => {
      group.rules.forEach((r, i) => {
        if (r.remoteGroupId !== undefined && r.remoteGroupId !== group.id && !p.groupRow(r.remoteGroupId)) {
          throw new FabricRowMissingError('security group', r.remoteGroupId, `group.rules[${i}].remoteGroupId`);
        }
      });
      p.group(group);
    });
  }

  async deleteSecurityGroup(groupId: string): Promise<void> {
    checkId('groupId', groupId);
    await this.write('delete security group', (p) => {
      const row = p.groupRow(groupId);
      if (!row) return;
      const users = p
        .groupRows()
        .filter((g) => g._uuid !== row._uuid && g.acls.some((a) => p.aclRow(a)?.external_ids.get(REMOTE_SG_KEY) === groupId))
        .map((g) => String(g.external_ids.get(SG_KEY)));
      if (users.length > 0) throw new GroupInUseError(groupId, users);
      // A port left in no security group leaves the default-drop group too.
      const drop = p.dropRow();
      const others = p.groupRows().filter((g) => g._uuid !== row._uuid);
      for (const port of row.ports) {
        if (drop?.ports.includes(port) && !others.some((g) => g.ports.includes(port))) {
          p.tx.removeFromSet('Port_Group', ['uuid', drop._uuid], 'ports', ['uuid', port]);
        }
      }
      p.removeGroup(row);
    });
  }

  async attachPort(attachment: PortAttachment): Promise<void> {
    checkAttachment(attachment);
    await this.write('attach port', (p) => p.attach(attachment));
  }

  async detachPort(lspName: string): Promise<void> {
    checkLspName('lspName', lspName);
    await this.write('detach port', (p) => {
      const row = p.lspRow(lspName);
      if (row) p.detach(row);
      else p.dropDhcp(lspName);
    });
  }

  async portState(lspName: string): Promise<LogicalPortState> {
    checkLspName('lspName', lspName);
    const nb = await this.session(this.opts.unavailableWaitMs);
    return readPortState(nb.replica, this.sbMonitor?.replica, lspName);
  }

  waitPortUp(lspName: string, timeoutMs: number, signal?: AbortSignal): Promise<LogicalPortState> {
    checkLspName('lspName', lspName);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new InvalidArgumentError('timeoutMs', `${timeoutMs} is not a positive number of milliseconds`);
    const watchingSb = this.sb !== undefined;
    const current = (): LogicalPortState =>
      this.nbMonitor ? readPortState(this.nbMonitor.replica, this.sbMonitor?.replica, lspName) : { lspName, exists: false, up: false };
    return new Promise<LogicalPortState>((resolve, reject) => {
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        this.changes.off('changed', check);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const check = (): void => {
        if (this.closed) return finish(() => reject(new PortWaitAbortedError(lspName, { cause: new Error('the OVN fabric was closed') })));
        const state = current();
        if (isSettledUp(state, watchingSb)) finish(() => resolve(state));
      };
      const onAbort = (): void => finish(() => reject(new PortWaitAbortedError(lspName, { cause: signal?.reason })));
      const timer = setTimeout(() => {
        const state = current();
        finish(() => reject(new PortUpTimeoutError(lspName, timeoutMs, state.chassis, state.exists)));
      }, timeoutMs);
      timer.unref();
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.changes.on('changed', check);
      check();
    });
  }

  async reconcile(desired: DesiredFabric): Promise<ReconcileReport> {
    checkDesired(desired);
    // Reconcile repairs what others changed: plan from a replica that has seen their commits.
    const tx = await this.write('reconcile', (p) => this.planReconcile(p, desired), { caughtUp: true });
    return { created: tx.created, removed: tx.removed };
  }

  private planReconcile(p: NbPlanner, desired: DesiredFabric): void {
    const networks = new Set(desired.networks.map((n) => n.id));
    const groups = new Set(desired.securityGroups.map((g) => g.id));
    const ports = new Set(desired.attachments.map((a) => a.lspName));
    for (const n of desired.networks) p.network(n);
    for (const g of desired.securityGroups) p.group(g);
    // The default-drop group and its ACLs, repaired even when no port is new.
    if (desired.attachments.some((a) => a.securityGroupIds.length > 0)) p.defaultDrop();
    for (const a of desired.attachments) p.attach(a);
    for (const lsp of p.lspRows()) if (!ports.has(lsp.name)) p.detach(lsp);
    p.removeStrayDhcp(new Set(desired.attachments.filter((a) => a.dhcp !== undefined).map((a) => a.lspName)));
    for (const g of p.groupRows()) if (!groups.has(String(g.external_ids.get(SG_KEY)))) p.removeGroup(g);
    const drop = p.dropRow();
    if (drop && groups.size === 0) p.removeGroup(drop);
    const ours = new Set(p.lspRows().map((l) => l._uuid));
    for (const s of p.switchRows()) {
      if (networks.has(String(s.external_ids.get(NETWORK_KEY)))) continue;
      // A switch holding ports that are not ours stays (deleting it would delete them).
      if (s.ports.some((u) => !ours.has(u))) {
        this.log?.warn({ switch: s.name }, 'orphan switch holds ports Mooring does not own; leaving it');
        continue;
      }
      p.removeNetwork(s);
    }
  }

  // ---- internals ----

  /** Runs one planned write at a time; see the header for the outage behaviour. */
  private write(what: string, plan: (p: NbPlanner) => void, opts: WriteOptions = {}): Promise<NbTransaction> {
    // The bound counts from the call, not from its turn: queued calls do not wait longer.
    const deadline = Date.now() + this.opts.unavailableWaitMs;
    const run = this.queue.then(() => this.writeNow(what, opts, plan, deadline));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(what: string, opts: WriteOptions, plan: (p: NbPlanner) => void, deadline: number): Promise<NbTransaction> {
    let replans = 0;
    for (;;) {
      const nb = await this.session(Math.max(1, deadline - Date.now()));
      // ovsdb-server flushes a session's monitor updates before it answers that session's next
      // request, so once an echo returns, every commit made before it is in the replica.
      if (opts.caughtUp) await this.nb.echo(['caught-up']).catch(() => undefined);
      const planner = new NbPlanner(nb.replica, this.opts.owner, new NbTransaction());
      plan(planner);
      const tx = planner.tx;
      if (tx.isEmpty) return tx;
      const started = Date.now();
      try {
        await this.nb.transact(NB_DB, tx.ops());
      } catch (err) {
        if (err instanceof TransactionError && err.index < tx.guards.length && err.error === 'timed out') {
          const g = tx.guards[err.index]!;
          throw new ForeignRowError(g.table, g.name);
        }
        const timedOut = err instanceof TransactionError && err.error === 'timed out';
        const changed = timedOut ? tx.columnGuards[err.index - tx.guards.length] : undefined;
        if (changed && ++replans <= MAX_REPLANS) {
          this.log?.info({ what, row: changed.label }, 'OVN northbound changed since the write was planned; planning it again');
          opts = { ...opts, caughtUp: true };
          continue;
        }
        if (changed) throw new NorthboundContendedError(what, changed.label, MAX_REPLANS);
        const lost = err instanceof ConnectionClosedError || err instanceof NotConnectedError || err instanceof RequestTimeoutError;
        if (!lost || this.closed) throw err;
        if (Date.now() >= deadline)
          throw new NorthboundUnavailableError(this.nb.remoteText, this.opts.unavailableWaitMs, this.nb.state, { cause: err });
        this.log?.warn(
          { what, err: (err as Error).message },
          'OVN northbound went away during a write; planning it again after reconnecting',
        );
        continue;
      }
      this.log?.info({ what, created: tx.created, removed: tx.removed, ms: Date.now() - started }, 'OVN northbound updated');
      return tx;
    }
  }

  /** The NB monitor once connected and monitored, waiting at most timeoutMs. */
  private async session(timeoutMs: number): Promise<Monitor> {
    if (this.nb.state !== 'connected' || !this.nbMonitor) {
      try {
        await this.nb.waitConnected(timeoutMs);
        await this.monitorSetup;
      } catch (err) {
        throw new NorthboundUnavailableError(this.nb.remoteText, timeoutMs, this.nb.state, { cause: err });
      }
    }
    if (this.nb.state !== 'connected' || !this.nbMonitor)
      throw new NorthboundUnavailableError(this.nb.remoteText, timeoutMs, this.nb.state);
    return this.nbMonitor;
  }

  private onNbLifecycle(e: Lifecycle): void {
    if (e.type !== 'connected') return;
    if (this.nbMonitor) {
      // The client re-subscribed the monitor before saying so: the replica is current.
      this.log?.info({ remote: e.remote }, 'OVN northbound reconnected');
      this.emit('connected', { reconnect: true });
      return;
    }
    this.monitorSetup = this.nb.monitor(NB_DB, nbMonitorSpec(this.opts.owner)).then(
      (m) => {
        this.watch(m);
        this.nbMonitor = m;
        this.changes.emit('changed');
        this.log?.info({ remote: e.remote }, 'OVN northbound connected');
        this.emit('connected', { reconnect: e.reconnect });
      },
      (err: unknown) => this.log?.error({ err: (err as Error).message }, 'could not monitor OVN northbound'),
    );
  }

  private onSbLifecycle(e: Lifecycle): void {
    if (e.type !== 'connected' || this.sbMonitor || !this.sb) return;
    this.sb.monitor(SB_DB, sbMonitorSpec(this.opts.owner)).then(
      (m) => {
        this.watch(m);
        this.sbMonitor = m;
        this.changes.emit('changed');
      },
      (err: unknown) => this.log?.error({ err: (err as Error).message }, 'could not monitor OVN southbound'),
    );
  }

  private watch(m: Monitor): void {
    m.on('update', () => this.changes.emit('changed'));
    m.on('rebuilt', () => this.changes.emit('changed'));
  }
}
