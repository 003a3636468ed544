// The one way the network domain reaches its NetworkFabric: refuses every network call with
// FAILED_PRECONDITION when the coordinator has none (no OVN northbound remote configured), and
// logs every fabric call with its duration, turning a failure into FabricCallError once, here.
import type { Clock } from '../clock.js';
import type { CoordinatorConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { FabricCallError, FabricNotConfiguredError } from './errors.js';
import type { NetworkFabric } from './fabric.js';

export type FabricSource = { readonly type: 'configured'; readonly fabric: NetworkFabric } | { readonly type: 'absent'; readonly reason: string };

/**
 * Where the coordinator's fabric comes from: the one injected (tests give a simulation), else the
 * OVN northbound remote of the config.
 */
export function fabricSource(config: Pick<CoordinatorConfig, 'ovnNorthbound'>, injected: NetworkFabric | undefined): FabricSource {
  if (injected) return { type: 'configured', fabric: injected };
  if (config.ovnNorthbound === null) return { type: 'absent', reason: 'OVN northbound not configured' };
  // The OVN northbound client (coordinator/src/ovn/) is built in beside this area; until it is
  // wired here, a configured remote is reported rather than silently ignored.
  return { type: 'absent', reason: `OVN northbound ${config.ovnNorthbound} is configured but this coordinator has no OVN client yet` };
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
