// A simulation of the NetworkFabric (coordinator/src/networks/fabric.ts) for tests of the network
// domain while no real OVN is wired to the coordinator. It follows the contract's documented
// behaviour: every call is idempotent and applies whole or not at all, reconcile makes the held
// state match what it is given (and reports the names it created or removed), a port is up once a
// chassis claims it. It records every call, and fails a chosen call on demand (then changes nothing).
import type {
  DesiredFabric,
  LogicalPortState,
  NetworkFabric,
  NetworkSpec,
  PortAttachment,
  ReconcileReport,
  SecurityGroupSpec,
} from '../../coordinator/src/networks/fabric.js';

export type FabricMethod = keyof NetworkFabric;

export interface FabricCall {
  readonly method: FabricMethod;
  /** The arguments as given, deep-copied when the call was made. */
  readonly args: readonly unknown[];
}

/** Why a simulated call failed: what the real client would report for an unreachable NB. */
export class SimulatedFabricError extends Error {
  constructor(method: FabricMethod, why: string) {
    super(`simulated ${method} failure: ${why}`);
    this.name = 'SimulatedFabricError';
  }
}

export class SimulatedFabric implements NetworkFabric {
  readonly calls: FabricCall[] = [];
  readonly networks = new Map<string, NetworkSpec>();
  readonly securityGroups = new Map<string, SecurityGroupSpec>();
  readonly ports = new Map<string, PortAttachment>();
  private readonly claims = new Map<string, string>();
  private readonly failures = new Map<FabricMethod, string[]>();
  private readonly claimWaiters = new Set<() => void>();
  private readonly holds = new Set<FabricMethod>();

  /** The next `times` calls of `method` fail (with nothing changed). */
  failNext(method: FabricMethod, why = 'OVN northbound unreachable', times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<string>(times).fill(why)]);
  }

  /** The next call of `method` is recorded, changes nothing and never answers (a northbound gone mid-call). */
  holdNext(method: FabricMethod): void {
    this.holds.add(method);
  }

  /** The calls of one method, in order. */
  callsOf(method: FabricMethod): FabricCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** A chassis claims the LSP (what ovn-controller does when a smartNIC binds its iface-id). */
  claim(lspName: string, chassis: string): void {
    this.claims.set(lspName, chassis);
    for (const wake of this.claimWaiters) wake();
  }

  ensureNetwork(network: NetworkSpec): Promise<void> {
    return this.act('ensureNetwork', [network], () => void this.networks.set(network.id, network));
  }

  deleteNetwork(networkId: string): Promise<void> {
    return this.act('deleteNetwork', [networkId], () => void this.networks.delete(networkId));
  }

  ensureSecurityGroup(group: SecurityGroupSpec): Promise<void> {
    return this.act('ensureSecurityGroup', [group], () => void this.securityGroups.set(group.id, group));
  }

  deleteSecurityGroup(groupId: string): Promise<void> {
    return this.act('deleteSecurityGroup', [groupId], () => void this.securityGroups.delete(groupId));
  }

  attachPort(attachment: PortAttachment): Promise<void> {
    return this.act('attachPort', [attachment], () => {
      if (!this.networks.has(attachment.networkId))
        throw new SimulatedFabricError('attachPort', `no switch for network ${attachment.networkId}`);
      this.ports.set(attachment.lspName, attachment);
    });
  }

  detachPort(lspName: string): Promise<void> {
    return this.act('detachPort', [lspName], () => {
      this.ports.delete(lspName);
      this.claims.delete(lspName);
    });
  }

  portState(lspName: string): Promise<LogicalPortState> {
    return this.act('portState', [lspName], () => this.state(lspName));
  }

  waitPortUp(lspName: string, timeoutMs: number, signal?: AbortSignal): Promise<LogicalPortState> {
    return new Promise((resolve, reject) => {
      this.enter('waitPortUp', [lspName, timeoutMs]);
      const check = (): void => {
        const state = this.state(lspName);
        if (!state.up) return;
        finish();
        resolve(state);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new SimulatedFabricError('waitPortUp', `port ${lspName} not up within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const onAbort = (): void => {
        finish();
        reject(new SimulatedFabricError('waitPortUp', `wait for port ${lspName} aborted`));
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.claimWaiters.delete(check);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort);
      this.claimWaiters.add(check);
      check();
    });
  }

  reconcile(desired: DesiredFabric): Promise<ReconcileReport> {
    return this.act('reconcile', [desired], () => this.apply(desired));
  }

  private apply(desired: DesiredFabric): ReconcileReport {
    const created: string[] = [];
    const removed: string[] = [];
    const sync = <T>(held: Map<string, T>, wanted: readonly T[], key: (value: T) => string): void => {
      const keys = new Set(wanted.map(key));
      for (const id of [...held.keys()]) {
        if (keys.has(id)) continue;
        held.delete(id);
        removed.push(id);
      }
      for (const value of wanted) {
        if (!held.has(key(value))) created.push(key(value));
        held.set(key(value), value);
      }
    };
    sync(this.networks, desired.networks, (n) => n.id);
    sync(this.securityGroups, desired.securityGroups, (g) => g.id);
    sync(this.ports, desired.attachments, (p) => p.lspName);
    return { created, removed };
  }

  private state(lspName: string): LogicalPortState {
    const chassis = this.claims.get(lspName);
    const exists = this.ports.has(lspName);
    return { lspName, exists, up: exists && chassis !== undefined, ...(chassis !== undefined && exists ? { chassis } : {}) };
  }

  /** Records the call, fails it if asked to, else applies `change`: whole or not at all. */
  private act<T>(method: FabricMethod, args: unknown[], change: () => T): Promise<T> {
    // A throw in the executor rejects the promise.
    return new Promise((resolve) => {
      this.enter(method, args);
      if (this.holds.delete(method)) return;
      resolve(change());
    });
  }

  private enter(method: FabricMethod, args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) });
    const pending = this.failures.get(method);
    const why = pending?.shift();
    if (why !== undefined) throw new SimulatedFabricError(method, why);
  }
}
