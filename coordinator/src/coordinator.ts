// The coordinator: opens the store, loads (or on first start creates) the CA, the server
// certificate and the bootstrap admin token, wires the areas together and serves the API.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentAdminService } from './api/agent-admin-service.js';
import { agentLinkService } from './api/agent-link-service.js';
import { AgentRegistry } from './agents/agent-registry.js';
import { AgentSriov } from './agents/agent-sriov.js';
import { sriovAdminHandlers } from './api/sriov-admin-service.js';
import { sriovPortView } from './agents/sriov-port-view.js';
import { EnrollmentTokens } from './agents/enrollment-tokens.js';
import { SessionHub } from './agents/session-hub.js';
import { Allocator } from './allocation/allocator.js';
import { deploymentService } from './api/deployment-service.js';
import { portService } from './api/port-service.js';
import { PortEditor } from './machines/port-editor.js';
import { BiosHaltSequencer } from './sequencer/bios-halt-sequencer.js';
import { Deployments } from './sequencer/deployments.js';
import { eventService } from './api/event-service.js';
import { ApiServer } from './api/grpc-server.js';
import { DEFAULT_CALL_GUARD } from './api/call-guard.js';
import { hasValidBearerToken } from './api/call-handler.js';
import { machineService } from './api/machine-service.js';
import { poolService } from './api/pool-service.js';
import { tenancyService } from './api/tenancy-service.js';
import { systemClock, type Clock } from './clock.js';
import type { CoordinatorConfig } from './config.js';
import { EventLog } from './events/event-log.js';
import { createLogger, type Logger } from './logger.js';
import { Commissioner } from './machines/commissioner.js';
import { MachineRegistry } from './machines/machine-registry.js';
import { MachineWriter } from './machines/machine-writer.js';
import { CertificateAuthority } from './pki/certificate-authority.js';
import { verifyCaFiles, verifyServerFiles } from './pki/key-material.js';
import { ensureServerCertificate } from './pki/server-certificate.js';
import { defaultPowerDrivers } from './power/default-drivers.js';
import type { ManualPowerDriver, ManualRequest } from './power/manual-driver.js';
import type { PowerDrivers } from './power/power-driver.js';
import { holdsData } from './store/data-dir.js';
import { MachineTable } from './store/machine-table.js';
import { sealLegacySecrets } from './store/secret-sealing.js';
import { SecretTable } from './store/secret-table.js';
import { Store } from './store/store.js';
import { ApiTokens } from './tenancy/api-tokens.js';
import { agentScope } from './tenancy/agent-visibility.js';
import { PoolRegistry } from './tenancy/pool-registry.js';
import { SYSTEM_PRINCIPAL } from './tenancy/user.js';
import { UserDirectory } from './tenancy/user-directory.js';
import { vmHostService } from './api/vmhost-service.js';
import type { LxdPowerChannel } from './power/lxd-driver.js';
import { PowerDriverUnavailableError } from './power/errors.js';
import { InstanceMachines } from './vmhosts/instance-machines.js';
import { LXD_COMMAND_DEADLINE_MS, LxdLink } from './vmhosts/lxd-link.js';
import { PendingComposes } from './vmhosts/pending-composes.js';
import { VmComposer } from './vmhosts/vm-composer.js';
import { VmHostRegistry } from './vmhosts/vm-host-registry.js';
import { VmPower } from './vmhosts/vm-power.js';
import { fabricSource, type FabricSource } from './networks/fabric-gate.js';
import type { NetworkFabric } from './networks/fabric.js';
import { TenantNetworks } from './networks/tenant-networks.js';
import { networkService, securityGroupService } from './api/network-service.js';

export interface CoordinatorDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly powerDrivers: PowerDrivers;
  /** The SDN carrying tenant networks; default: from config.ovnNorthbound (none: network calls fail). */
  readonly networkFabric: NetworkFabric;
}

export const BOOTSTRAP_ADMIN = 'admin';

export class Coordinator {
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
  readonly ports: PortEditor;
  readonly vmHosts: VmHostRegistry;
  readonly vms: VmComposer;
  readonly vmPower: VmPower;
  readonly vmPending = new PendingComposes();
  readonly networks: TenantNetworks;
  private server: ApiServer | null = null;
  /** The manual driver, when this coordinator has one (operators confirm through it). */
  manualPower: ManualPowerDriver | null = null;
  /** Ends what the power drivers hold open (Redfish sessions). */
  private closePower: () => Promise<void> = () => Promise.resolve();

  constructor(
    readonly config: CoordinatorConfig,
    readonly store: Store,
    readonly clock: Clock,
    readonly logger: Logger,
    powerDrivers: PowerDrivers,
    networkFabric: FabricSource = fabricSource(config, undefined, logger),
  ) {
    this.events = new EventLog(store.tables, clock);
    this.users = new UserDirectory(store, this.events, clock);
    this.tokens = new ApiTokens(store, this.users, this.events, clock);
    this.pools = new PoolRegistry(store, this.users, this.events, clock);
    const table = new MachineTable(store.tables);
    const secrets = new SecretTable(store.tables, store.cipher);
    const autoReservation = (pool: string) => this.pools.get(pool)?.autoReserveFor ?? null;
    const writer = new MachineWriter(table, this.events, autoReservation, clock, logger.child({ component: 'machines' }));
    this.machines = new MachineRegistry(store, writer, secrets, this.pools, clock);
    this.commissioner = new Commissioner(store, this.machines, writer, powerDrivers, secrets, config.powerTimeoutMs, logger.child({ component: 'commissioner' }));
    this.allocator = new Allocator(store, table, writer);
    this.agents = new AgentRegistry(store, this.events, clock);
    this.enrollmentTokens = new EnrollmentTokens(store, this.events, clock);
    this.sessions = new SessionHub(
      this.agents,
      { heartbeatIntervalMs: config.heartbeatIntervalMs, heartbeatDeadlineMs: config.heartbeatDeadlineMs },
      logger.child({ component: 'sessions' }),
    );
    this.sriov = new AgentSriov(store, this.events, this.agents, this.sessions, logger.child({ component: 'sriov' }));
    this.sequencer = new BiosHaltSequencer(
      { store, events: this.events, writer, drivers: powerDrivers, secrets, agents: this.agents, hub: this.sessions, clock, logger },
      { agentSessionTimeoutMs: config.agentSessionTimeoutMs, portActiveTimeoutMs: config.portActiveTimeoutMs, powerTimeoutMs: config.powerTimeoutMs },
    );
    this.deployments = new Deployments(store, this.machines, writer, this.sequencer);
    this.ports = new PortEditor(store, this.machines, writer, clock);
    this.machines.useReleaseSequence((scope, actor, machine, reason) => this.deployments.releaseThroughSequence(scope, actor, machine, reason));
    const lxd = new LxdLink(this.sessions, this.agents, LXD_COMMAND_DEADLINE_MS);
    const instances = new InstanceMachines(store.tables, writer, (pool) => this.pools.get(pool) !== undefined, clock);
    const vmDeps = { store, agents: this.agents, link: lxd, machines: instances, pending: this.vmPending };
    this.vmHosts = new VmHostRegistry({ ...vmDeps, hub: this.sessions, pools: this.pools, events: this.events, clock, logger: logger.child({ component: 'vmhosts' }) });
    this.vms = new VmComposer({ ...vmDeps, hosts: this.vmHosts, writer });
    this.vmPower = new VmPower(store, this.machines, writer, powerDrivers, secrets, config.powerTimeoutMs);
    this.vmHosts.start();
    this.networks = new TenantNetworks({ store, events: this.events, users: this.users, fabric: networkFabric, clock, logger });
  }

  /** Opens everything under config.dataDir and starts serving on config.listen. */
  static async create(config: CoordinatorConfig, dependencies: Partial<CoordinatorDependencies> = {}): Promise<Coordinator> {
    const clock = dependencies.clock ?? systemClock;
    const logger = dependencies.logger ?? createLogger(config.logLevel);
    let onManualRequest: (request: ManualRequest) => void = () => undefined;
    // The lxd driver reaches instances through the VM hosts' agent sessions, which exist once the coordinator does.
    let lxdChannel: LxdPowerChannel | null = null;
    const lxd: LxdPowerChannel = { power: (m, a, s) => (lxdChannel ? lxdChannel.power(m, a, s) : Promise.reject(new PowerDriverUnavailableError('lxd'))) };
    const defaults = dependencies.powerDrivers ? null : defaultPowerDrivers(config, logger, (request) => onManualRequest(request), lxd);
    const drivers = dependencies.powerDrivers ?? defaults!.drivers;
    // Existing data is checked whole before anything is opened or created (store/data-dir.ts).
    if (holdsData(config.dataDir)) {
      verifyCaFiles(config.dataDir);
      verifyServerFiles(config.dataDir);
    }
    const credentialsDirectory = process.env['CREDENTIALS_DIRECTORY'] ?? null;
    await sealLegacySecrets(config.dataDir, credentialsDirectory, logger);
    const store = Store.open(config.dataDir, logger, { credentialsDirectory });
    const coordinator = new Coordinator(config, store, clock, logger, drivers, fabricSource(config, dependencies.networkFabric, logger));
    lxdChannel = coordinator.vms;
    if (defaults) {
      coordinator.closePower = () => defaults.close();
      coordinator.manualPower = defaults.manual;
      onManualRequest = (request) => coordinator.recordManualRequest(request);
    }
    try {
      await coordinator.bootstrap();
      // No session survives a restart: agents are OFFLINE until they reconnect.
      const offline = await coordinator.agents.markAllOffline();
      if (offline > 0) logger.info({ agents: offline }, 'agents marked OFFLINE until they reconnect');
      const pkiLogger = logger.child({ component: 'pki' });
      const ca = CertificateAuthority.loadOrCreate(config.dataDir, clock, pkiLogger);
      const certificate = ensureServerCertificate(ca, config.dataDir, config.serverNames, clock, pkiLogger);
      const ctx = { tokens: coordinator.tokens, logger: logger.child({ component: 'api' }) };
      const agentsOfCaller = agentScope({
        machines: () => coordinator.machines.table().list({ status: null, afterId: '' }),
        vmHostAgent: (host) => coordinator.vmHosts.get(host)?.agent,
      });
      coordinator.server = await ApiServer.start(
        config.listen,
        certificate,
        {
          MachineService: machineService(ctx, {
            registry: coordinator.machines,
            commissioner: coordinator.commissioner,
            allocator: coordinator.allocator,
          }),
          PoolService: poolService(ctx, coordinator.pools),
          NetworkService: networkService(ctx, coordinator.networks),
          SecurityGroupService: securityGroupService(ctx, coordinator.networks),
          TenancyService: tenancyService(ctx, coordinator.users, coordinator.tokens),
          EventService: eventService(ctx, coordinator.events, coordinator.machines),
          AgentService: agentLinkService({
            store,
            ca,
            tokens: coordinator.enrollmentTokens,
            registry: coordinator.agents,
            hub: coordinator.sessions,
            certValidityDays: config.agentCertValidityDays,
            logger,
          }),
          DeploymentService: deploymentService(ctx, { deployments: coordinator.deployments, manual: coordinator.manualPower }),
          PortService: portService(ctx, { editor: coordinator.ports, resolveView: sriovPortView((agent) => coordinator.sriov.report(agent)) }),
          VmHostService: vmHostService(ctx, {
            hosts: coordinator.vmHosts,
            composer: coordinator.vms,
            power: coordinator.vmPower,
            agents: coordinator.agents,
            pending: coordinator.vmPending,
            machines: coordinator.machines.table(),
          }),
          AgentAdminService: {
            ...agentAdminService(ctx, { tokens: coordinator.enrollmentTokens, registry: coordinator.agents, hub: coordinator.sessions, scope: agentsOfCaller }),
            ...sriovAdminHandlers(ctx, { registry: coordinator.agents, sriov: coordinator.sriov, scope: agentsOfCaller }),
          },
        },
        logger,
        ca.certPem,
        { ...DEFAULT_CALL_GUARD, authenticated: (metadata) => hasValidBearerToken(coordinator.tokens, metadata) },
      );
      const server = coordinator.server;
      store.onDiskState((state) => server.setServing(state.type === 'writable'));
    } catch (error) {
      await coordinator.close();
      throw error;
    }
    coordinator.networks.start();
    const resumed = coordinator.sequencer.resume();
    if (resumed > 0) logger.info({ sequences: resumed }, 'resumed BIOS-halt sequences');
    void coordinator.commissioner.resume().then(
      (count) => count > 0 && logger.info({ count }, 'resumed commissioning'),
      (error: unknown) => logger.error({ err: error }, 'resuming commissioning failed'),
    );
    return coordinator;
  }

  get port(): number {
    if (!this.server) throw new Error('the coordinator is not serving');
    return this.server.port;
  }

  /** First start: the default pool and the bootstrap admin with its token in <data-dir>/admin.token. */
  private async bootstrap(): Promise<void> {
    await this.pools.ensureDefault(SYSTEM_PRINCIPAL);
    if (!this.users.isEmpty()) return;
    const tokenPath = join(this.config.dataDir, 'admin.token');
    await this.users.createUser(SYSTEM_PRINCIPAL, BOOTSTRAP_ADMIN, 'admin');
    const { secret } = await this.tokens.create(SYSTEM_PRINCIPAL, { user: BOOTSTRAP_ADMIN, description: 'bootstrap', expiresInSeconds: 0 });
    writeFileSync(tokenPath, `${secret}\n`, { mode: 0o600, flag: existsSync(tokenPath) ? 'w' : 'wx' });
    this.logger.info({ tokenPath }, 'bootstrap admin token written');
  }

  /** An operator must act on a manual-power machine: say so in the event log. */
  recordManualRequest(request: ManualRequest): void {
    this.store
      .write((scope) =>
        this.events.append(scope, { actor: 'system', kind: 'power.manual-request', machineId: request.machineId, why: request.instruction, details: { action: request.action } }),
      )
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not record a manual power request'));
  }

  async close(): Promise<void> {
    this.vmHosts.stop();
    this.networks.close();
    this.sessions.close();
    await this.server?.stop(2000);
    this.server = null;
    await this.closePower().catch((error: unknown) => this.logger.warn({ err: error }, 'closing BMC sessions failed'));
    await this.store.close();
  }
}
