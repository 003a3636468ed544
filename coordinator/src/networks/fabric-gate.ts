// The one way the network domain reaches its NetworkFabric: refuses every network call with
// FAILED_PRECONDITION when the coordinator has none (no OVN northbound remote configured), and
// logs every fabric call with its duration, turning a failure into FabricCallError once, here.
import type { Clock } from '../clock.js';
import type { CoordinatorConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { OvnNorthbound } from '../ovn/ovn-northbound.js';
import { readOvnTls } from '../ovn/tls-files.js';
import { FabricCallError, FabricNotConfiguredError } from './errors.js';
import type { NetworkFabric } from './fabric.js';

/** The fabric's connection to its SDN came up: the first time, or again after an outage. */
export type FabricConnected = { readonly reconnect: boolean };

export type FabricSource =
  | {
      readonly type: 'configured';
      readonly fabric: NetworkFabric;
      /** Tells of each (re)connection, when the fabric has a connection to tell of (OVN NB does). */
      readonly onConnected?: (listener: (event: FabricConnected) => void) => void;
      /** Ends the fabric's connections; set only when the coordinator built the fabric (it owns it). */
      readonly close?: () => void;
    }
  | { readonly type: 'absent'; readonly reason: string };

export type FabricConfig = Pick<CoordinatorConfig, 'ovnNorthbound' | 'ovnSouthbound' | 'ovnOwner' | 'ovnTls'>;

/**
 * Where the coordinator's fabric comes from: the one injected (tests give a simulation or their own
 * OvnNorthbound), else an OvnNorthbound built from the config's OVN remotes (connecting in the
 * background: calls wait for it, bounded), else none.
 */
export function fabricSource(config: FabricConfig, injected: NetworkFabric | undefined, logger?: Logger): FabricSource {
  if (injected)
    return injected instanceof OvnNorthbound
      ? { type: 'configured', fabric: injected, onConnected: connectedOf(injected) }
      : { type: 'configured', fabric: injected };
  if (config.ovnNorthbound === null) return { type: 'absent', reason: 'OVN northbound not configured' };
  // loadConfig checked the files; they are read here, once, and only the PEM text goes on.
  const tls = config.ovnTls ? readOvnTls(config.ovnTls) : undefined;
  const ssl = (remote: string): typeof tls => (remote.startsWith('ssl:') ? tls : undefined);
  const fabric = OvnNorthbound.create(
    {
      remote: config.ovnNorthbound,
      ...(ssl(config.ovnNorthbound) ? { tls: ssl(config.ovnNorthbound) } : {}),
      ...(config.ovnSouthbound
        ? { southbound: { remote: config.ovnSouthbound, ...(ssl(config.ovnSouthbound) ? { tls: ssl(config.ovnSouthbound) } : {}) } }
        : {}),
      owner: config.ovnOwner,
    },
    logger,
  );
  logger?.info({ northbound: config.ovnNorthbound, southbound: config.ovnSouthbound, owner: config.ovnOwner }, 'OVN fabric configured');
  return { type: 'configured', fabric, onConnected: connectedOf(fabric), close: () => fabric.close() };
}

function connectedOf(fabric: OvnNorthbound): (listener: (event: FabricConnected) => void) => void {
  return (listener) => fabric.on('connected', (event) => listener({ reconnect: event.reconnect }));
}

export class FabricGate {
  constructor(
    private readonly source: FabricSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The fabric, or FabricNotConfiguredError: checked before anything is written. */
  require(): NetworkFabric {
    if (this.source.type === 'absent') throw new FabricNotConfiguredError(this.source.reason);
    return this.source.fabric;
  }

  get configured(): boolean {
    return this.source.type === 'configured';
  }

  /** Subscribes to the fabric's (re)connections; nothing happens for a fabric without any. */
  onConnected(listener: (event: FabricConnected) => void): void {
    if (this.source.type === 'configured') this.source.onConnected?.(listener);
  }

  /** Closes the fabric when the coordinator built it; an injected one is its injector's to close. */
  close(): void {
    if (this.source.type === 'configured') this.source.close?.();
  }

  /** Runs one fabric call; `action` says what it does ("create network blue") for logs and errors. */
  async call<T>(action: string, run: (fabric: NetworkFabric) => Promise<T>): Promise<T> {
    const fabric = this.require();
    const started = this.clock.now();
    try {
      const result = await run(fabric);
      this.logger.info({ action, durationMs: this.clock.now() - started }, 'fabric call');
      return result;
    } catch (error) {
      this.logger.warn({ action, durationMs: this.clock.now() - started, err: error }, 'fabric call failed');
      if (error instanceof FabricCallError) throw error;
      throw new FabricCallError(action, error);
    }
  }
}
