// Binds and unbinds the ports Mooring owns on the integration bridge, one transaction per call,
// and reports a port active only when ovs-vswitchd has applied it: cur_cfg >= the next_cfg of
// our transaction, Interface.ofport > 0 and Interface.error empty (the checks ovs-vsctl makes).

import type { Logger } from 'pino';
import type { OvsdbClient } from '../../../proto/ovsdb/client.js';
import type { Monitor } from '../../../proto/ovsdb/monitor.js';
import { OVS_DB, OVS_MONITOR_SPEC, type BridgeRow, type InterfaceRow, type PortRow } from '../../../proto/ovsdb/rows.js';
import { map, namedUuid } from '../../../proto/ovsdb/encoding.js';
import { PortFailedError, PortStillPresentError } from './errors.js';
import { curCfg, waitApplied } from './apply-waiter.js';
import { planPorts, type OvsView } from './port-plan.js';
import { normalisePortSpec, statusOf, type PortSpec, type PortStatus } from './port-spec.js';

export interface PortBinderOptions {
  /** Integration bridge (default br-int). */
  bridge: string;
  /** Bridge datapath_type when the bridge is created ("" = system, "netdev" = userspace). */
  datapathType: string;
  /** Bound on every wait for ovs-vswitchd (default 10 s). */
  applyTimeoutMs: number;
}

export interface ChangeResult {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Status of every port bound by the call, all active. */
  ports: PortStatus[];
  /** next_cfg of the transaction, when one was sent. */
  nextCfg: number | undefined;
}

export class PortBinder implements OvsView {
  private constructor(
    private readonly client: OvsdbClient,
    private readonly monitor: Monitor,
    readonly options: PortBinderOptions,
    private readonly log: Logger | undefined,
  ) {}

  /** Starts monitoring the Open_vSwitch database (the client must be connected). */
  static async create(client: OvsdbClient, options: Partial<PortBinderOptions> = {}, log?: Logger): Promise<PortBinder> {
    const monitor = await client.monitor(OVS_DB, OVS_MONITOR_SPEC);
    const full: PortBinderOptions = { bridge: 'br-int', datapathType: '', applyTimeoutMs: 10_000, ...options };
    return new PortBinder(client, monitor, Object.freeze(full), log);
  }

  get replicaMonitor(): Monitor {
    return this.monitor;
  }

  bridge(name: string): BridgeRow | undefined {
    return this.monitor.replica.find('Bridge', 'name', name) as BridgeRow | undefined;
  }

  port(name: string): PortRow | undefined {
    return this.monitor.replica.find('Port', 'name', name) as PortRow | undefined;
  }

  iface(uuid: string): InterfaceRow | undefined {
    return this.monitor.replica.get('Interface', uuid) as InterfaceRow | undefined;
  }

  get curCfg(): number {
    return curCfg(this.monitor);
  }

  /** Creates the integration bridge (with its internal port, as ovs-vsctl add-br does) if missing. */
  async ensureBridge(): Promise<boolean> {
    const name = this.options.bridge;
    if (this.bridge(name)) return false;
    const ops = [
      { op: 'wait', table: 'Bridge', where: [['name', '==', name]], columns: ['name'], until: '!=', rows: [{ name }], timeout: 0 },
      { op: 'insert', table: 'Interface', 'uuid-name': 'iface', row: { name, type: 'internal' } },
      { op: 'insert', table: 'Port', 'uuid-name': 'port', row: { name, interfaces: namedUuid('iface') } },
      {
        op: 'insert',
        table: 'Bridge',
        'uuid-name': 'bridge',
        row: { name, ports: namedUuid('port'), datapath_type: this.options.datapathType, external_ids: map({ 'mooring-owned': 'true' }) },
      },
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [],
        mutations: [
          ['bridges', 'insert', namedUuid('bridge')],
          ['next_cfg', '+=', 1],
        ],
      },
      { op: 'select', table: 'Open_vSwitch', where: [], columns: ['next_cfg'] },
    ];
    const results = await this.client.transact(OVS_DB, ops);
    const nextCfg = readNextCfg(results[ops.length - 1]);
    this.log?.info({ bridge: name, nextCfg }, 'created integration bridge');
    await waitApplied(
      this.monitor,
      nextCfg,
      () => (this.bridge(name) ? true : undefined),
      this.options.applyTimeoutMs,
      () => [`bridge ${name}`],
    );
    return true;
  }

  async bind(spec: PortSpec): Promise<PortStatus> {
    const r = await this.change([spec], []);
    return r.ports[0]!;
  }

  async unbind(name: string): Promise<void> {
    await this.change([], [name]);
  }

  /** Binds many ports in one transaction. */
  bindMany(specs: readonly PortSpec[]): Promise<ChangeResult> {
    return this.change(specs, []);
  }

  unbindMany(names: readonly string[]): Promise<ChangeResult> {
    return this.change([], names);
  }

  /** Makes the owned ports on the bridge exactly `desired`: adds, updates and removes only what differs. */
  reconcile(desired: readonly PortSpec[]): Promise<ChangeResult> {
    const want = new Set(desired.map((d) => d.name));
    const stale = this.list()
      .filter((p) => p.owned && !want.has(p.name))
      .map((p) => p.name);
    return this.change(desired, stale);
  }

  /** Every port on the bridge (owned or not) except the bridge's own internal port. */
  list(): PortStatus[] {
    const bridge = this.bridge(this.options.bridge);
    if (!bridge) return [];
    const out: PortStatus[] = [];
    for (const uuid of bridge.ports) {
      const port = this.monitor.replica.get('Port', uuid) as PortRow | undefined;
      if (!port || port.name === bridge.name) continue;
      out.push(statusOf(port, port.interfaces[0] ? this.iface(port.interfaces[0]) : undefined));
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The current status of one port on the bridge, if present. */
  status(name: string): PortStatus | undefined {
    const port = this.port(name);
    return port ? statusOf(port, port.interfaces[0] ? this.iface(port.interfaces[0]) : undefined) : undefined;
  }

  private async change(bindSpecs: readonly PortSpec[], unbindNames: readonly string[]): Promise<ChangeResult> {
    const specs = bindSpecs.map(normalisePortSpec);
    const plan = planPorts(this, this.options.bridge, specs, unbindNames);
    let nextCfg: number | undefined;
    const started = Date.now();
    if (plan.nextCfgIndex >= 0) {
      const results = await this.client.transact(OVS_DB, plan.ops);
      nextCfg = readNextCfg(results[plan.nextCfgIndex]);
    }
    const bound = specs.map((s) => s.name);
    const ports = await waitApplied(
      this.monitor,
      nextCfg,
      () => this.settled(bound, plan.removed),
      this.options.applyTimeoutMs,
      () => [
        ...bound.filter((n) => this.status(n)?.state !== 'active').map((n) => `port ${n} to become active`),
        ...plan.removed.filter((n) => this.port(n)).map((n) => `port ${n} to disappear`),
      ],
    );
    this.log?.info(
      {
        bridge: this.options.bridge,
        added: plan.added.length,
        updated: plan.updated.length,
        removed: plan.removed.length,
        nextCfg,
        ms: Date.now() - started,
      },
      'ports applied',
    );
    return { added: plan.added, updated: plan.updated, removed: plan.removed, unchanged: plan.unchanged, ports, nextCfg };
  }

  /** All bound ports active and all removed ones gone, or undefined to keep waiting; throws on ofport -1. */
  private settled(bound: readonly string[], removed: readonly string[]): PortStatus[] | undefined {
    // Our own transaction's update arrives before its reply, so once cur_cfg has caught up a removed
    // port still present means something put it back.
    for (const name of removed) if (this.port(name)) throw new PortStillPresentError(name);
    const out: PortStatus[] = [];
    for (const name of bound) {
      const s = this.status(name);
      if (!s) throw new PortFailedError(name, 'the port disappeared from OVSDB');
      if (s.state === 'error') throw new PortFailedError(name, s.error ?? `ofport ${s.ofport}`);
      if (s.state !== 'active') return undefined;
      out.push(s);
    }
    return out;
  }
}

function readNextCfg(result: Record<string, unknown> | undefined): number {
  const rows = (result as { rows?: { next_cfg?: unknown }[] } | undefined)?.rows;
  const v = rows?.[0]?.next_cfg;
  if (typeof v !== 'number') throw new Error('OVSDB did not return Open_vSwitch.next_cfg');
  return v;
}
