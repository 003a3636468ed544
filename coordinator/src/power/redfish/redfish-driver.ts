// The redfish PowerDriver. One BmcConnection (and so one session) per BMC origin and user, shared
// by every machine on that BMC. Options are compiled once into a frozen, fully-required config.
// The machine's power.address is parsed by redfish-address.ts (base URL, optionally the system path).
// TLS is checked per machine (power.redfishTls; 'default' is the driver's caFile/insecure option,
// the coordinator's redfishCaFile/redfishInsecure): one HTTP transport per distinct check.
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { HardwareInventory } from '../../machines/hardware-facts.js';
import type { PowerState, RedfishTls } from '../../machines/machine.js';
import { PowerDriverUnavailableError } from '../errors.js';
import type { BootRequest, PowerDriver, PowerTarget } from '../power-driver.js';
import { BmcConnection, type CallContext } from './bmc-connection.js';
import { setBootOverride } from './boot-override.js';
import { settledPower } from './computer-system.js';
import { readCaFile } from './ca-file.js';
import { UndiciTransport, type HttpTransport } from './http-transport.js';
import { readRedfishInventory } from './inventory.js';
import { allowsReset, pickResetType, readSystem, reset, waitSettled, type PowerTiming } from './power-control.js';
import { parseBmcAddress } from './redfish-address.js';

export interface RedfishDriverOptions {
  /** For machines whose TLS setting is 'default': PEM file of the CA(s) that sign BMC certificates; default: the system CAs. */
  readonly caFile?: string;
  /** For machines whose TLS setting is 'default': skip TLS verification (labs only); exclusive with caFile. */
  readonly insecure?: boolean;
  /** Between PowerState polls. */
  readonly pollIntervalMs: number;
  /** How long PowerState may take to settle after a reset. */
  readonly settleTimeoutMs: number;
  readonly logger: Logger;
  /** Times requests and operations for the logs (default: the system clock). */
  readonly clock?: Clock;
  /** One HTTP request; a request past it counts as a transient failure. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Transient-failure backoff: first delay and cap. Defaults 250 ms and 5 s. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Log a session out after this long unused. Default 60 s. */
  readonly idleLogoutMs?: number;
  /** Replaces the undici transport (tests, proxies); TLS options are then the transport's business. */
  readonly transport?: HttpTransport;
}

/** A machine's TLS check with 'default' resolved. */
type ResolvedTls = Exclude<RedfishTls, { verify: 'default' }>;

interface RedfishConfig extends PowerTiming {
  readonly defaultTls: ResolvedTls;
  readonly requestTimeoutMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly idleLogoutMs: number;
  readonly clock: Clock;
}

export interface RedfishPowerDriver extends PowerDriver {
  inventory(target: PowerTarget, signal: AbortSignal): Promise<HardwareInventory>;
  /** Logs out every session and closes the HTTP connections. */
  close(): Promise<void>;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`redfish driver: ${name} must be a positive number of ms`);
  return value;
}

export function redfishDriver(options: RedfishDriverOptions): RedfishPowerDriver {
  if (options.caFile !== undefined && options.insecure === true) {
    throw new RangeError('redfish driver: caFile and insecure exclude each other');
  }
  const defaultTls: ResolvedTls =
    options.insecure === true
      ? { verify: 'off' }
      : options.caFile !== undefined
        ? { verify: 'ca-file', caFile: options.caFile }
        : { verify: 'system-cas' };
  // A default CA file that cannot be used fails the driver's creation, not every later call.
  if (defaultTls.verify === 'ca-file') readCaFile(defaultTls.caFile);
  const config: RedfishConfig = Object.freeze({
    defaultTls,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs),
    settleTimeoutMs: positive('settleTimeoutMs', options.settleTimeoutMs),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000),
    retryInitialMs: positive('retryInitialMs', options.retryInitialMs ?? 250),
    retryMaxMs: positive('retryMaxMs', options.retryMaxMs ?? 5_000),
    idleLogoutMs: positive('idleLogoutMs', options.idleLogoutMs ?? 60_000),
    clock: options.clock ?? systemClock,
  });
  const logger = options.logger.child({ component: 'redfish' });
  if (options.insecure === true) logger.warn('redfish TLS verification is off by default (insecure mode)');
  return new RedfishDriver(config, options.transport ?? null, logger);
}

/** The transport for one TLS check: its cache key and how to build it. The CA file is read now. */
function tlsTransport(tls: ResolvedTls, requestTimeoutMs: number): { key: string; create: () => HttpTransport } {
  if (tls.verify === 'off') return { key: 'off', create: () => new UndiciTransport({ ca: null, insecure: true }, requestTimeoutMs) };
  if (tls.verify === 'system-cas') {
    return { key: 'system-cas', create: () => new UndiciTransport({ ca: null, insecure: false }, requestTimeoutMs) };
  }
  const ca = readCaFile(tls.caFile);
  // Keyed by content: a CA file replaced on disk gets a transport (and sessions) of its own.
  const key = `ca:${createHash('sha256').update(ca).digest('hex')}`;
  return { key, create: () => new UndiciTransport({ ca, insecure: false }, requestTimeoutMs) };
}

interface Operation {
  readonly machineId: string;
  readonly connection: BmcConnection;
  readonly systemPath: string;
  readonly context: CallContext;
  readonly logger: Logger;
}

class RedfishDriver implements RedfishPowerDriver {
  readonly name = 'redfish' as const;
  private readonly connections = new Map<string, BmcConnection>();
  private readonly transports = new Map<string, HttpTransport>();
  /**
   * Machines whose BMC took a persistent boot device only as Once, by machine id. In memory: after a
   * coordinator restart the next setBootDevice (every sequence sets one) records it again.
   */
  private readonly persistentAsOnce = new Map<string, BootRequest>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly config: RedfishConfig,
    /** Injected: used for every machine, whatever its TLS setting. */
    private readonly injectedTransport: HttpTransport | null,
    private readonly logger: Logger,
  ) {}

  queryState(target: PowerTarget, signal: AbortSignal): Promise<PowerState> {
    return this.run(target, signal, 'query', async (op) => {
      let system = await readSystem(op.connection, op.systemPath, op.context);
      if (system.powerState === null) return 'unknown';
      if (settledPower(system.powerState) === null) {
        system = await waitSettled(op.connection, op.systemPath, op.context, this.config, null);
      }
      return settledPower(system.powerState) === 'On' ? 'on' : 'off';
    });
  }

  powerOn(target: PowerTarget, signal: AbortSignal): Promise<void> {
    return this.run(target, signal, 'on', (op) => this.turnOn(op));
  }

  powerOff(target: PowerTarget, signal: AbortSignal): Promise<void> {
    return this.run(target, signal, 'off', async (op) => {
      const system = await waitSettled(op.connection, op.systemPath, op.context, this.config, null);
      if (settledPower(system.powerState) === 'Off') {
        op.logger.info('already off: no reset sent');
        return;
      }
      await reset(op.connection, system, pickResetType(op.connection.bmc, system, ['ForceOff']), op.context, op.logger);
      await waitSettled(op.connection, op.systemPath, op.context, this.config, 'Off');
    });
  }

  powerCycle(target: PowerTarget, signal: AbortSignal): Promise<void> {
    return this.run(target, signal, 'cycle', async (op) => {
      const system = await waitSettled(op.connection, op.systemPath, op.context, this.config, null);
      if (settledPower(system.powerState) === 'Off') return this.turnOn(op);
      if (!allowsReset(system, 'ForceRestart') && allowsReset(system, 'ForceOff')) {
        // No ForceRestart on this BMC: off, then on.
        await reset(op.connection, system, 'ForceOff', op.context, op.logger);
        await waitSettled(op.connection, op.systemPath, op.context, this.config, 'Off');
        return this.turnOn(op);
      }
      await this.renewPersistentOnce(op);
      await reset(op.connection, system, pickResetType(op.connection.bmc, system, ['ForceRestart']), op.context, op.logger);
      // Ironic waits for On after ForceRestart too; a BMC that reports On throughout settles at once.
      await waitSettled(op.connection, op.systemPath, op.context, this.config, 'On');
    });
  }

  setBootDevice(target: PowerTarget, boot: BootRequest, signal: AbortSignal): Promise<void> {
    return this.run(target, signal, 'boot', async (op) => {
      const outcome = await setBootOverride(op.connection, op.systemPath, boot, op.context, op.logger);
      // A persistent device set as Once is set again before every power-on and restart.
      if (outcome === 'once-for-persistent') this.persistentAsOnce.set(target.machine.id, boot);
      else this.persistentAsOnce.delete(target.machine.id);
    });
  }

  inventory(target: PowerTarget, signal: AbortSignal): Promise<HardwareInventory> {
    return this.run(target, signal, 'inventory', (op) => readRedfishInventory(op.connection, op.systemPath, op.context, op.logger));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const connections = [...this.connections.values()];
      this.connections.clear();
      await Promise.all(connections.map((connection) => connection.close()));
      const transports = this.injectedTransport ? [this.injectedTransport] : [...this.transports.values()];
      this.transports.clear();
      await Promise.all(transports.map((transport) => transport.close()));
      this.logger.info({ sessions: connections.length }, 'redfish driver closed');
    })();
    return this.closing;
  }

  /** Never sends On to a machine that is On: reads (and waits out) the state first. */
  private async turnOn(op: Operation): Promise<void> {
    const system = await waitSettled(op.connection, op.systemPath, op.context, this.config, null);
    if (settledPower(system.powerState) === 'On') {
      op.logger.info('already on: no reset sent');
      return;
    }
    await this.renewPersistentOnce(op);
    await reset(op.connection, system, pickResetType(op.connection.bmc, system, ['On', 'ForceOn']), op.context, op.logger);
    await waitSettled(op.connection, op.systemPath, op.context, this.config, 'On');
  }

  /** Sets the Once override again for a machine whose persistent device the BMC takes only as Once. */
  private async renewPersistentOnce(op: Operation): Promise<void> {
    const boot = this.persistentAsOnce.get(op.machineId);
    if (!boot) return;
    op.logger.info({ device: boot.device }, 'setting the persistent boot device again as Once before the boot');
    await setBootOverride(op.connection, op.systemPath, boot, op.context, op.logger);
  }

  private transportFor(setting: RedfishTls | null): { key: string; transport: HttpTransport } {
    if (this.injectedTransport) return { key: 'injected', transport: this.injectedTransport };
    const tls = setting === null || setting.verify === 'default' ? this.config.defaultTls : setting;
    const { key, create } = tlsTransport(tls, this.config.requestTimeoutMs);
    let transport = this.transports.get(key);
    if (!transport) {
      transport = create();
      this.transports.set(key, transport);
      this.logger.info({ tls: tls.verify, ...(tls.verify === 'ca-file' ? { caFile: tls.caFile } : {}) }, 'redfish TLS transport created');
    }
    return { key, transport };
  }

  private async run<T>(target: PowerTarget, signal: AbortSignal, operation: string, body: (op: Operation) => Promise<T>): Promise<T> {
    if (this.closing) throw new PowerDriverUnavailableError('redfish');
    const { machine } = target;
    const address = parseBmcAddress(machine.power.address);
    const user = machine.power.user;
    const { key: tlsKey, transport } = this.transportFor(machine.power.redfishTls);
    const key = `${address.origin} ${user} ${tlsKey}`;
    let connection = this.connections.get(key);
    if (!connection) {
      connection = new BmcConnection(address.origin, transport, this.config, this.logger);
      this.connections.set(key, connection);
    }
    const logger = this.logger.child({ machineId: machine.id, bmc: address.origin, operation });
    const context: CallContext = { credentials: { user, password: () => target.password() }, signal };
    const started = this.config.clock.now();
    try {
      const systemPath = await connection.system(context, address.systemPath);
      const result = await body({ machineId: machine.id, connection, systemPath, context, logger });
      logger.info({ durationMs: this.config.clock.now() - started, result }, 'redfish operation done');
      return result;
    } catch (error) {
      logger.warn({ durationMs: this.config.clock.now() - started, err: error }, 'redfish operation failed');
      throw error;
    }
  }
}
