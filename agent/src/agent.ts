// The agent daemon: the status endpoint, the local OVSDB connection with its port binder, the
// durable agent store, the command executor and the coordinator link, wired once here.
// OVS work goes on while the coordinator is away; the desired port set is reconciled after every
// (re)connect of either OVSDB or the coordinator. A vmhost agent also runs its LXD side (one project),
// whose report goes on the status board and from there to the coordinator and /status.

import type { Logger } from 'pino';
import type { AgentReport__Output } from '../../proto/generated/index.js';
import type { AgentConfig } from './config/agent-config.js';
import { CONFIG_KEYS } from './config/config-schema.js';
import { describeSource } from './config/errors.js';
import { readOvsdbTls } from './config/ovsdb-tls.js';
import { collectInventory } from './inventory/inventory.js';
import { inventoryMessage } from './inventory/inventory-message.js';
import { CommandExecutor, portReport } from './commands/command-executor.js';
import { CoordinatorLink } from './link/coordinator-link.js';
import { CredentialFiles } from './link/credentials.js';
import { OvsConnection } from './ovs/ovs-connection.js';
import { representorPortResolver } from './sriov/port-reference.js';
import { SriovController } from './sriov/sriov-controller.js';
import { fsSysfsWriter, type SysfsWriter } from './sriov/sysfs-writer.js';
import { ExecToolRunner, type ToolRunner } from './sriov/tool-runner.js';
import { checkAgentDataDir } from './state/agent-data-dir.js';
import { AgentStore } from './state/agent-store.js';
import { initialAgentStatus } from './status/initial-status.js';
import { AgentMetrics } from './status/metrics.js';
import { StatusBoard } from './status/status-board.js';
import { StatusServer } from './status/status-server.js';
import { AGENT_VERSION } from './version.js';
import { readFile } from 'node:fs/promises';
import { startLocalLxd } from './lxd/lxd-startup.js';
import type { LocalLxd } from './lxd/local-lxd.js';

/** What tests may put in place of the host's: the kernel's sysfs write rules, the NIC tools, the CPU. */
export interface AgentDependencies {
  sysfsWriter?: SysfsWriter;
  toolRunner?: ToolRunner;
  arch?: string;
}

export class Agent {
  private constructor(
    readonly config: AgentConfig,
    readonly board: StatusBoard,
    readonly metrics: AgentMetrics,
    readonly status: StatusServer,
    readonly ovs: OvsConnection,
    readonly store: AgentStore,
    readonly link: CoordinatorLink | undefined,
    readonly sriov: SriovController,
    readonly lxd: LocalLxd | null,
    private readonly executor: CommandExecutor,
    private readonly log: Logger,
  ) {}

  static async start(config: AgentConfig, log: Logger, deps: AgentDependencies = {}): Promise<Agent> {
    const files = new CredentialFiles(config.dataDir);
    if (files.recoverStaged()) log.warn({ dataDir: config.dataDir }, 'finished saving a key and certificate that a crash interrupted');
    // Damaged data or key material stops the start here, naming the file, before anything is opened.
    checkAgentDataDir(config.dataDir);
    const agentId = files.exists() ? (await files.load()).agentId : null;
    const board = new StatusBoard(initialAgentStatus(config, { agentId, version: AGENT_VERSION }));
    const metrics = new AgentMetrics(board, { processMetrics: true });
    const store = AgentStore.open(config.dataDir);
    const ovs = new OvsConnection(
      { remote: config.ovsdb.remote, tls: await readOvsdbTls(config), reconnect: { initialMs: 200, maxMs: 5000 } },
      { bridge: config.bridge, datapathType: config.datapathType, applyTimeoutMs: config.applyTimeoutMs },
      board,
      log,
    );
    const sriovLog = log.child({ component: 'sriov' });
    const sriov = new SriovController(
      store,
      {
        sysfsRoot: config.sriov.sysfsRoot,
        tools: {
          runner: deps.toolRunner ?? new ExecToolRunner(sriovLog),
          ip: config.sriov.ip,
          devlink: config.sriov.devlink,
          nvConfig: config.sriov.nvConfig,
          timeoutMs: config.sriov.toolTimeoutMs,
        },
        writer: deps.sysfsWriter ?? fsSysfsWriter,
        arch: deps.arch ?? process.arch,
        vfWaitTimeoutMs: config.sriov.vfWaitTimeoutMs,
        onReconciled: (failed) => metrics.sriovReconciled(failed),
      },
      sriovLog,
      (report) => board.update((s) => ({ ...s, sriov: report })),
    );
    const lxd = config.role === 'vmhost' ? await startLocalLxd(config, store, board, log.child({ component: 'lxd' })) : null;
    const executor = new CommandExecutor(
      store,
      ovs,
      config.applyTimeoutMs,
      log.child({ component: 'commands' }),
      (kind, ok, code) => metrics.commandFinished(kind, ok ? 'ok' : code === 'APPLY_TIMEOUT' ? 'timeout' : 'error'),
      { sriov, lxd, resolvePort: config.role === 'smartnic' ? representorPortResolver(config.sriov.sysfsRoot) : undefined },
    );
    const reconcile = (why: string): void => {
      executor
        .reconcile()
        .catch((err: unknown) => log.warn({ err: (err as Error).message, why }, 'reconcile failed; will retry on the next reconnect'));
    };
    ovs.on('ready', () => reconcile('ovsdb connected'));
    ovs.client.on('lifecycle', (e) => e.type === 'connected' && e.reconnect && metrics.reconnected('ovsdb'));
    ovs.client.on('request', (r) => metrics.ovsdbLatency(r.ms, r.method));
    const status = await StatusServer.start({
      listen: config.statusListen,
      allowedHosts: config.statusAllowedHosts,
      board,
      metrics,
      log: log.child({ component: 'status' }),
      listenHint: statusListenHint(config),
    });
    let link: CoordinatorLink | undefined;
    if (config.coordinators.length > 0 && config.caFile) {
      const caPem = await readFile(config.caFile, 'utf8');
      link = new CoordinatorLink(
        {
          coordinators: config.coordinators,
          caPem,
          token: config.enrollmentToken?.reveal(),
          agentName: config.name,
          role: config.role,
          version: AGENT_VERSION,
          heartbeatMs: config.heartbeatIntervalMs,
          backoff: { initialMs: Math.min(500, config.reconnectMaxMs), maxMs: config.reconnectMaxMs },
          rpcTimeoutMs: config.coordinatorTimeoutMs,
        },
        {
          files,
          store,
          executor,
          board,
          inventory: async () =>
            inventoryMessage(await collectInventory({ role: config.role, ovs: ovs.replica(), log: log.child({ component: 'inventory' }) })),
          report: () => agentReport(board, ovs),
          onSession: () => reconcile('coordinator session opened'),
          onReconnect: () => metrics.reconnected('coordinator'),
        },
        log.child({ component: 'link' }),
      );
    }
    const agent = new Agent(config, board, metrics, status, ovs, store, link, sriov, lxd, executor, log);
    lxd?.start();
    ovs.start();
    link?.start();
    // The desired SR-IOV state survives restarts: apply it again, then report what is there.
    sriov.start().catch((err: unknown) => sriovLog.warn({ err: (err as Error).message }, 'SR-IOV start-up reconcile failed'));
    log.info(
      { status: status.url, ovsdb: config.ovsdb.remote, coordinators: config.coordinators.map((c) => c.address), role: config.role },
      'agent started',
    );
    return agent;
  }

  async close(): Promise<void> {
    this.link?.close();
    this.lxd?.close();
    this.ovs.close();
    await this.status.close();
    await this.sriov.idle();
    await this.executor.idle();
    await this.store.close();
    this.log.info('agent stopped');
  }
}

/** How to choose another status address when this one cannot be had: the option, and where the value came from. */
function statusListenHint(config: AgentConfig): string {
  const key = CONFIG_KEYS.statusListen;
  return (
    `choose another with ${key.flag ?? 'statusListen'} HOST:PORT (statusListen in the config file, ${key.env} in the environment); ` +
    `${config.statusListen.address} came from ${describeSource(config.sources.statusListen)}`
  );
}

function agentReport(board: StatusBoard, ovs: OvsConnection): AgentReport__Output {
  const s = board.snapshot;
  return {
    ovsdbConnected: s.ovsdb.state === 'connected',
    ovsVersion: s.ovsdb.ovsVersion ?? '',
    ovnRemote: s.ovsdb.ovnRemote,
    ovnChassis: s.ovsdb.ovnChassis,
    bridge: s.ovsdb.bridge,
    bridges: ovs.bridgeNames(),
    ports: s.ports.map(portReport),
    sriov: s.sriov,
    lxd: s.lxd,
  };
}
