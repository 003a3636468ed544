// The coordinator: opens the store, loads (or on first start creates) the CA, the server
// certificate and the bootstrap admin token, wires the areas together and serves the API.
//
// Wiring rule: every component is built from one deps object (`new X({ ... })`) in the
// constructor below, in dependency order, and does nothing when built; whatever runs (timers,
// listeners, the gRPC server, resumed work) starts in start(), in the order written there, and
// stops in close(). A dependency that would point back up the order is broken by building the
// smaller piece first (sequencer -> SequencedReleases -> MachineRegistry -> Deployments; the VM
// composer and the event log -> the power drivers that reach into them), never by a setter.
import { AgentRegistry } from './agents/agent-registry.js';
import { AgentSriov } from './agents/agent-sriov.js';
import { EnrollmentTokens } from './agents/enrollment-tokens.js';
import { SessionHub } from './agents/session-hub.js';
import { Allocator } from './allocation/allocator.js';
import { startShare } from './allocation/start-share.js';
import { PortEditor } from './machines/port-editor.js';
import { BiosHaltSequencer } from './sequencer/bios-halt-sequencer.js';
import { Deployments } from './sequencer/deployments.js';
import { SequencedReleases } from './sequencer/sequenced-releases.js';
import { NetworkTargets } from './sequencer/network-targets.js';
import { PortAttachments } from './sequencer/port-attachments.js';
import { Provisioning } from './sequencer/provisioning.js';
import { ImageSteps } from './sequencer/image-steps.js';
import { ensureProvisioningNetwork } from './networks/provisioning-network.js';
import { PortNetworkView } from './sequencer/port-network-view.js';
import { followAgentOvn } from './agents/agent-ovn.js';
import { ApiServer } from './api/grpc-server.js';
import { DEFAULT_CALL_GUARD } from './api/call-guard.js';
import { hasValidBearerToken } from './api/call-handler.js';
import { systemClock, type Clock } from './clock.js';
import type { CoordinatorConfig } from './config.js';
import { EventLog } from './events/event-log.js';
import { createLogger, type Logger } from './logger.js';
import { Commissioner } from './machines/commissioner.js';
import { MachineRegistry } from './machines/machine-registry.js';
import { MachineWriter } from './machines/machine-writer.js';
import { MachineEditor } from './machines/machine-editor.js';
import { MachinePower } from './machines/power-ops.js';
import { PowerSync } from './machines/power-sync.js';
import { CertificateAuthority } from './pki/certificate-authority.js';
import { verifyCaFiles, verifyServerFiles } from './pki/key-material.js';
import { ensureServerCertificate } from './pki/server-certificate.js';
import { loadOrCreateSharedAuthority } from './pki/shared-authority.js';
import type { ManualPowerDriver } from './power/manual-driver.js';
import { powerFactory, powerParts } from './power/power-parts.js';
import { holdsData } from './store/data-dir.js';
import { MachineTable } from './store/machine-table.js';
import { sealLegacySecrets } from './store/secret-sealing.js';
import { SecretTable } from './store/secret-table.js';
import { openEtcdStore } from './store/etcd-open.js';
import { Store } from './store/store.js';
import { ApiTokens } from './tenancy/api-tokens.js';
import { eraseModeOf, PoolRegistry } from './tenancy/pool-registry.js';
import { UserDirectory } from './tenancy/user-directory.js';
import { apiServices } from './api/coordinator-services.js';
import { bootstrapAdmin } from './tenancy/bootstrap-admin.js';
import { PendingComposes } from './vmhosts/pending-composes.js';
import { VmComposer } from './vmhosts/vm-composer.js';
import { VmHostRegistry } from './vmhosts/vm-host-registry.js';
import { VmPower } from './vmhosts/vm-power.js';
import { fabricSource } from './networks/fabric-gate.js';
import { TenantNetworks } from './networks/tenant-networks.js';
import { CoordinatorMetrics } from './metrics/coordinator-metrics.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { ConsoleServer } from './console/console-server.js';
import { coordinatorIdOf } from './ha/coordinator-id.js';
import { EtcdCoordinatorLease, LocalLease, type CoordinatorLease } from './ha/coordinator-lease.js';
import { EtcdStore } from './store/etcd-store.js';
import { etcdCompactionDuty } from './ha/etcd-compaction.js';
import { eventRetentionDuty } from './events/event-retention.js';
import { AgentPresence } from './ha/agent-presence.js';
import { AgentReach } from './ha/agent-reach.js';
import { presenceParts, reachableAddress } from './ha/presence-parts.js';
import type { ClaimBoard } from './ha/claim-board.js';
import { DUTIES, DutyElection } from './ha/duty-election.js';
import { ownershipParts, type OwnershipParts } from './ha/ownership-parts.js';
import { vmParts } from './vmhosts/vm-parts.js';
import { BootParts } from './boot/boot-parts.js';

import type { CoordinatorDeps, CoordinatorOptions, PowerSetup, UnauthenticatedBounds } from './coordinator-deps.js';
export type { CoordinatorDeps, CoordinatorOptions, PowerReach, PowerSetup, UnauthenticatedBounds } from './coordinator-deps.js';

export { BOOTSTRAP_ADMIN } from './tenancy/bootstrap-admin.js';

type CoordinatorState = 'built' | 'starting' | 'started' | 'closed';

export class Coordinator {
  readonly config: CoordinatorConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventLog;
  readonly users: UserDirectory;
  readonly tokens: ApiTokens;
  readonly pools: PoolRegistry;
  readonly machines: MachineRegistry;
  readonly commissioner: Commissioner;
  readonly allocator: Allocator;
  readonly agents: AgentRegistry;
  readonly enrollmentTokens: EnrollmentTokens;
  readonly sessions: SessionHub;
  readonly sriov: AgentSriov;
  readonly sequencer: BiosHaltSequencer;
  readonly deployments: Deployments;
  /** `machine show`'s network view of the smartNIC ports. */
  readonly portNetworks: PortNetworkView;
  readonly ports: PortEditor;
  readonly vmHosts: VmHostRegistry;
  readonly vms: VmComposer;
  readonly vmPower: VmPower;
  readonly vmPending: PendingComposes;
  /** Day-2 power and boot device on request; machine edits; the periodic power sync. */
  readonly machinePower: MachinePower;
  readonly machineEditor: MachineEditor;
  readonly powerSync: PowerSync;
  readonly networks: TenantNetworks;
  /** Ports on the provisioning network and their move to tenant networks (deploy and release call it). */
  readonly provisioning: Provisioning;
  /** The manual driver, when this coordinator has one (operators confirm through it). */
  readonly manualPower: ManualPowerDriver | null;
  /** Prometheus metrics, served on config.metricsListen from start(). */
  readonly metrics: CoordinatorMetrics;
  /** The lease its duties and sequences are held under (ha/coordinator-lease.ts). */
  readonly lease: CoordinatorLease;
  /** Which coordinator holds each agent's session; the live coordinators; commands across them. */
  readonly presence: AgentPresence;
  /** The singleton duties (power sync, OVN reconcile, ...): run here only while this coordinator holds them. */
  readonly duties: DutyElection;
  /** OS images and the boot service (iPXE, ramdisk, image bytes, callbacks); `boot.steps` is the deploy sequence's entry. */
  readonly boot: BootParts;
  private readonly sequenceOwners: OwnershipParts['sequenceOwners'];
  /** Claims of duties and sequences (ha/claim-board.ts), followed from start(). */
  private readonly claimBoards: readonly ClaimBoard[];
  private readonly power: PowerSetup;
  /** Where agents' sessions are; closed first on close(), which ends the sequencer's waits on them. */
  private readonly reach: AgentReach;
  private server: ApiServer | null = null;
  private metricsServer: MetricsServer | null = null;
  private consoleServer: ConsoleServer | null = null;
  private readonly consoleDir: string | undefined;
  private readonly callGuard: UnauthenticatedBounds;
  private state: CoordinatorState = 'built';
  private stopOvnFollow: () => void = () => undefined;

  /** Builds every component; nothing runs, listens or writes until start(). */
  constructor(deps: CoordinatorDeps) {
    const { config, store, clock, logger } = deps;
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.logger = logger;
    this.consoleDir = deps.consoleDir;
    this.callGuard = deps.callGuard ?? DEFAULT_CALL_GUARD;
    const lease = deps.lease ?? new LocalLease(coordinatorIdOf(config.dataDir));
    this.lease = lease;
    const ownership = ownershipParts(store, lease, logger);
    this.claimBoards = ownership.claimBoards;
    this.sequenceOwners = ownership.sequenceOwners;
    this.duties = ownership.duties;
    const { tables } = store;
    const events = new EventLog(tables, clock);
    // A shared store (etcd): publish every coordinator's events, so caches, token watches and
    // WatchEvents streams here follow changes made through the others.
    if (store.changes) events.follow(store.changes);
    const users = new UserDirectory({ store, events, clock });
    const pools = new PoolRegistry({ store, users, events, clock });
    const table = new MachineTable(tables);
    const secrets = new SecretTable(tables, store.cipher);
    const writer = new MachineWriter({
      table,
      events,
      autoReservation: (pool) => pools.get(pool)?.autoReserveFor ?? null,
      clock,
      logger: logger.child({ component: 'machines' }),
    });
    const agents = new AgentRegistry({ store, events, clock });
    const metrics = new CoordinatorMetrics(
      { countMachines: (status) => table.countByStatus(status), agents: () => agents.list() },
      { processMetrics: deps.processMetrics ?? false },
    );
    const { registry: coordinators, relay } = presenceParts(store, this.lease, config.listen, clock.now(), logger);
    const sessions = new SessionHub({
      registry: agents,
      options: { heartbeatIntervalMs: config.heartbeatIntervalMs, heartbeatDeadlineMs: config.heartbeatDeadlineMs },
      clock,
      log: logger.child({ component: 'sessions' }),
      owner: { coordinator: this.lease.coordinatorId, lease: this.lease.leaseId },
      ...(relay ? { relay } : {}),
    });
    this.presence = new AgentPresence({
      registry: coordinators,
      relay,
      hub: sessions,
      agents,
      lease: this.lease,
      duties: () => this.duties.heldDuties(),
      clock,
      logger,
    });
    const reach = new AgentReach({ agents, hub: sessions, coordinators, ...(store.changes ? { changes: store.changes } : {}) });
    this.reach = reach;
    // The VM side first: the lxd power driver reaches instances through it.
    const { vmHosts, vms, pending } = vmParts({ store, agents, sessions, reach, writer, pools, events, clock, logger });
    // Then the power drivers, then everything that calls them.
    const powerDeps = { power: deps.power, lxd: vms, actUntil: lease.actDeadline, store, writer, events, metrics, logger };
    const { setup, drivers } = powerParts(powerDeps);
    this.power = setup;
    const networks = new TenantNetworks({ store, events, users, fabric: deps.network, clock, logger });
    const attachments = new PortAttachments({ store, events, networks });
    this.provisioning = new Provisioning({ store, events, networks, attachments, settings: config.provisioning });
    this.boot = new BootParts({ config, store, events, clock, logger, coordinatorId: lease.coordinatorId });
    const imageSteps = new ImageSteps({
      boot: this.boot.steps,
      provisioning: this.provisioning,
      settings: config.imageDeploy,
      bootUrl: () => this.boot.url,
    });
    const sequencer = new BiosHaltSequencer({
      imageSteps,
      attachments,
      store,
      events,
      writer,
      drivers,
      secrets,
      agents,
      hub: sessions,
      reach,
      clock,
      logger,
      owners: this.sequenceOwners,
      options: {
        agentSessionTimeoutMs: config.agentSessionTimeoutMs,
        portActiveTimeoutMs: config.portActiveTimeoutMs,
        powerTimeoutMs: config.powerTimeoutMs,
      },
    });
    const machines = new MachineRegistry({
      store,
      writer,
      secrets,
      pools,
      clock,
      releases: new SequencedReleases({
        writer,
        sequencer,
        releaseErase: () => imageSteps.releaseErase(),
        poolErase: (pool) => {
          const found = pools.get(pool);
          return found ? eraseModeOf(found) : undefined;
        },
      }),
    });
    this.metrics = metrics;
    this.events = events;
    this.users = users;
    this.tokens = new ApiTokens({ store, users, events, clock });
    this.pools = pools;
    this.machines = machines;
    this.commissioner = new Commissioner({
      store,
      registry: machines,
      writer,
      drivers,
      secrets,
      powerTimeoutMs: config.powerTimeoutMs,
      clock,
      logger: logger.child({ component: 'commissioner' }),
    });
    this.allocator = new Allocator({ store, table, writer, startShare: () => startShare(coordinators) });
    this.agents = agents;
    this.enrollmentTokens = new EnrollmentTokens({ store, events, clock });
    this.sessions = sessions;
    this.sriov = new AgentSriov({ store, events, registry: agents, hub: sessions, log: logger.child({ component: 'sriov' }) });
    this.sequencer = sequencer;
    this.deployments = new Deployments({
      store,
      registry: machines,
      writer,
      sequencer,
      targets: new NetworkTargets(networks, agents),
      imageSteps,
    });
    this.portNetworks = new PortNetworkView(networks, attachments);
    this.ports = new PortEditor({ store, registry: machines, writer, clock });
    this.vmHosts = vmHosts;
    this.vms = vms;
    this.vmPower = new VmPower({ store, registry: machines, writer, drivers, secrets, timeoutMs: config.powerTimeoutMs });
    this.vmPending = pending;
    const runningSequence = (machineId: string): string | null => sequencer.get(machineId)?.kind ?? null;
    this.machinePower = new MachinePower({ registry: machines, drivers, secrets, timeoutMs: config.powerTimeoutMs, runningSequence });
    this.machineEditor = new MachineEditor({ store, registry: machines, writer, secrets, pools, runningSequence });
    this.powerSync = new PowerSync({
      table,
      drivers,
      secrets,
      runningSequence,
      logger,
      options: { intervalMs: config.powerSyncIntervalMs, concurrency: config.powerSyncConcurrency, timeoutMs: config.powerTimeoutMs },
    });
    this.manualPower = this.power.manual;
    this.networks = networks;
    this.duties.add(DUTIES.powerSync, { start: () => this.powerSync.start(), stop: () => this.powerSync.stop() });
    // The reconcile runs at the start of the duty and after each reconnect of the fabric; a
    // coordinator that loses the duty loses its lease too, and stops.
    this.duties.add(DUTIES.ovnReconcile, { start: () => this.networks.start(), stop: () => undefined });
    const compaction = etcdCompactionDuty(store, config.etcdCompactIntervalSeconds, lease.actDeadline, logger);
    if (compaction) this.duties.add(DUTIES.etcdCompaction, compaction);
    const retention = eventRetentionDuty({ store, events, clock, config, actDeadline: lease.actDeadline, logger, metrics });
    if (retention) this.duties.add(DUTIES.eventRetention, retention);
  }

  /** The singleton duties this coordinator holds now (`moorctl coordinators`). */
  heldDuties(): string[] {
    return this.duties.heldDuties();
  }

  /** Opens everything under config.dataDir, builds the coordinator and starts it. */
  static async create(config: CoordinatorConfig, options: Partial<CoordinatorOptions> = {}): Promise<Coordinator> {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? createLogger(config.logLevel);
    const power = powerFactory(options.powerDrivers, { config, clock, logger });
    // Existing data is checked whole before anything is opened or created (store/data-dir.ts).
    if (holdsData(config.dataDir)) {
      // On etcd the CA lives in the store (pki/shared-authority.ts checks a local copy against it).
      if (config.store.type === 'lmdb') verifyCaFiles(config.dataDir);
      verifyServerFiles(config.dataDir);
    }
    const credentialsDirectory = process.env['CREDENTIALS_DIRECTORY'] ?? null;
    // Legacy plaintext secrets live only in an LMDB database; on etcd the data dir holds no
    // coordinator.mdb, and inspecting it as an LMDB data dir refused every restart.
    if (config.store.type === 'lmdb') await sealLegacySecrets(config.dataDir, credentialsDirectory, logger);
    const store: Store =
      config.store.type === 'etcd'
        ? await openEtcdStore(config.store, config.dataDir, credentialsDirectory, logger, clock)
        : Store.open(config.dataDir, logger, { credentialsDirectory, clock });
    let coordinator: Coordinator;
    let lease: CoordinatorLease | undefined;
    try {
      const coordinatorId = coordinatorIdOf(config.dataDir);
      if (store instanceof EtcdStore && config.store.type === 'etcd') {
        // A first start makes the CA's and the server's RSA keys, which blocks the event loop for
        // seconds (longer than a short lease TTL on a loaded machine): made before the lease, so
        // no keepalive is missed; start() then loads them. The CA is the prefix's shared one
        // (pki/shared-authority.ts): a CA made here would be refused as another CA.
        const pkiLogger = logger.child({ component: 'pki' });
        const ca = await loadOrCreateSharedAuthority(store, `etcd prefix ${config.store.prefix}`, config.dataDir, clock, pkiLogger);
        ensureServerCertificate(ca, config.dataDir, config.serverNames, clock, pkiLogger);
      }
      lease =
        store instanceof EtcdStore
          ? await EtcdCoordinatorLease.grant({ client: store.client, coordinatorId, ttlSeconds: config.leaseTtlSeconds, logger })
          : new LocalLease(coordinatorId);
      coordinator = new Coordinator({
        config,
        store,
        clock,
        logger,
        power,
        network: fabricSource(config, options.networkFabric, logger),
        processMetrics: options.processMetrics ?? false,
        lease,
        ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
        ...(options.callGuard === undefined ? {} : { callGuard: options.callGuard }),
      });
    } catch (error) {
      await lease?.close();
      await store.close();
      throw error;
    }
    await coordinator.start(); // closes the store itself when it fails
    return coordinator;
  }

  /**
   * Starts the coordinator, in this order: the components' listeners and the heartbeat sweep; the
   * default pool and bootstrap admin; agents OFFLINE (no session survives a restart); the CA and
   * server certificate; the gRPC server; the metrics listener; the console listener; then the sequences and
   * commissioning a previous run left unfinished. On a failure everything started is closed again.
   */
  async start(): Promise<void> {
    if (this.state !== 'built') throw new Error(`the coordinator cannot start: it is ${this.state}`);
    this.state = 'starting';
    const { config, store, clock, logger } = this;
    try {
      this.metrics.follow(this.events, store);
      this.tokens.start();
      this.sessions.start();
      this.sriov.start();
      this.stopOvnFollow = followAgentOvn(this.sessions, this.agents, this.logger.child({ component: 'agent-ovn' }));
      this.vmHosts.start();
      for (const board of this.claimBoards) await board.start();
      await bootstrapAdmin(this);
      // Before the OVN reconcile duty starts, so its first reconcile already carries the network.
      if (config.provisioning) await ensureProvisioningNetwork({ store, events: this.events, clock, logger }, config.provisioning);
      await this.presence.start();
      const pkiLogger = logger.child({ component: 'pki' });
      const ca =
        config.store.type === 'etcd'
          ? await loadOrCreateSharedAuthority(store, `etcd prefix ${config.store.prefix}`, config.dataDir, clock, pkiLogger)
          : CertificateAuthority.loadOrCreate(config.dataDir, clock, pkiLogger);
      const certificate = ensureServerCertificate(ca, config.dataDir, config.serverNames, clock, pkiLogger);
      const services = apiServices(this, ca);
      this.server = await ApiServer.start(config.listen, certificate, services, logger, ca.certPem, {
        ...this.callGuard,
        authenticated: (metadata) => hasValidBearerToken(this.tokens, metadata),
        finished: (path, code, seconds) => this.metrics.rpcFinished(path, code, seconds),
      });
      const server = this.server;
      this.presence.listening(reachableAddress(config.listen, server.port));
      store.onDiskState((state) => server.setServing(state.type === 'writable'));
      await this.boot.start();
      if (config.metricsListen) {
        this.metricsServer = await MetricsServer.start(config.metricsListen, this.metrics, logger, { readiness: () => this.readiness() });
      }
      // The console calls the very handlers the gRPC server was given.
      if (config.consoleListen) {
        const { tokens } = this;
        this.consoleServer = await ConsoleServer.start({
          listen: config.consoleListen,
          certificate,
          handlers: services,
          tokens,
          clock,
          logger,
          rpcFinished: (path, code, seconds) => this.metrics.consoleRpcFinished(path, code, seconds),
          ...(this.consoleDir === undefined ? {} : { staticDir: this.consoleDir }),
        });
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    this.state = 'started';
    this.duties.start();
    // Sequences whose owner died are taken over when its claim is freed (and looked for every TTL).
    this.sequenceOwners.follow((why) => this.sequencer.resume(why), Number.isFinite(this.lease.ttlMs) ? this.lease.ttlMs : 60_000);
    const resumed = this.sequencer.resume();
    if (resumed > 0) logger.info({ sequences: resumed }, 'resumed BIOS-halt sequences');
    void this.commissioner.resume().then(
      (count) => count > 0 && logger.info({ count }, 'resumed commissioning'),
      (error: unknown) => logger.error({ err: error }, 'resuming commissioning failed'),
    );
  }

  get port(): number {
    if (!this.server) throw new Error('the coordinator is not serving');
    return this.server.port;
  }

  /** Ready while the store answers (an etcd store: the quorum reachable); the reasons when not. Served on /readyz. */
  async readiness(): Promise<{ ready: boolean; reasons: string[] }> {
    const unreachable = (await this.store.reachability?.()) ?? null;
    const reasons = unreachable === null ? [] : [unreachable];
    return { ready: reasons.length === 0, reasons };
  }

  /** Where /metrics is served (http://HOST:PORT/metrics), or null when config.metricsListen is off. */
  get metricsUrl(): string | null {
    return this.metricsServer?.url ?? null;
  }

  /** Where the web console is served (https://HOST:PORT/), or null when config.consoleListen is off. */
  get consoleUrl(): string | null {
    return this.consoleServer?.url ?? null;
  }

  /** The boot service's URL as machines reach it, or null when config.bootListen is off. */
  get bootUrl(): string | null {
    return this.boot.url;
  }

  /** Stops what start() started, in the reverse order, and closes the store. Safe before start(). */
  async close(): Promise<void> {
    this.state = 'closed';
    this.reach.close();
    this.sequenceOwners.stop();
    await this.duties.close();
    this.powerSync.stop();
    this.vmHosts.stop();
    this.stopOvnFollow();
    this.networks.close();
    this.sriov.stop();
    this.sessions.close();
    await this.presence.close();
    await this.server?.stop(2000);
    this.server = null;
    await this.metricsServer?.close();
    this.metricsServer = null;
    await this.consoleServer?.close();
    this.consoleServer = null;
    await this.boot.close();
    this.metrics.stop();
    this.tokens.stop();
    await this.power.close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing BMC sessions failed'));
    for (const board of this.claimBoards) await board.close();
    await this.lease.close();
    await this.store.close();
  }
}
