// A real coordinator for component tests: LMDB in a temp dir, gRPC over TLS on 127.0.0.1:0 with
// certificates from its own CA, and clients holding real tokens.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { Clock } from '../../coordinator/src/clock.js';
import { loadConfig, type ConfigInputs } from '../../coordinator/src/config.js';
import { Coordinator, type UnauthenticatedBounds } from '../../coordinator/src/coordinator.js';
import { createLogger, type Logger } from '../../coordinator/src/logger.js';
import type { NetworkFabric } from '../../coordinator/src/networks/fabric.js';
import type { PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import type { Machine__Output, Role__Output } from '../../proto/generated/index.js';

export interface CoordinatorFixture {
  readonly coordinator: Coordinator;
  readonly dataDir: string;
  readonly address: string;
  readonly caPem: string;
  readonly adminToken: string;
  readonly admin: CoordinatorClient;
  client(token: string, options?: { ownConnection?: boolean; timeoutMs?: number }): CoordinatorClient;
  /** Creates a user with a token and returns a client acting as that user. */
  user(name: string, role: 'admin' | 'member' | 'observer', groups?: string[]): Promise<CoordinatorClient>;
  /** Enlists and commissions a manual-power machine; it ends READY. */
  machine(
    hostname: string,
    spec?: Partial<{ cores: number; memoryMib: number; tags: string[]; pool: string; zone: string; smartNic: boolean; arch: string }>,
  ): Promise<Machine__Output>;
  close(): Promise<void>;
}

export async function startCoordinator(
  options: {
    clock?: Clock;
    powerDrivers?: PowerDrivers;
    dataDir?: string;
    logger?: Logger;
    networkFabric?: NetworkFabric;
    /** The console's pages (default: the build's dist/console). */
    consoleDir?: string;
    /** Bounds on unauthenticated calls (default: the coordinator's). */
    callGuard?: UnauthenticatedBounds;
    flags?: Partial<ConfigInputs['flags']>;
  } = {},
): Promise<CoordinatorFixture> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mooring-coordinator-'));
  // Metrics and the console on free ports: the defaults (127.0.0.1:9181, :7480) would collide between test files.
  const config = loadConfig({
    flags: {
      dataDir,
      listen: '127.0.0.1:0',
      metricsListen: '127.0.0.1:0',
      consoleListen: '127.0.0.1:0',
      logLevel: 'silent',
      ...options.flags,
    },
    env: {},
  });
  const coordinator = await Coordinator.create(config, {
    logger: options.logger ?? createLogger('silent'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.powerDrivers ? { powerDrivers: options.powerDrivers } : {}),
    ...(options.networkFabric ? { networkFabric: options.networkFabric } : {}),
    ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
    ...(options.callGuard ? { callGuard: options.callGuard } : {}),
  });
  const address = `127.0.0.1:${coordinator.port}`;
  const caPem = readFileSync(join(dataDir, 'ca.crt'), 'utf8');
  const adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const clients: CoordinatorClient[] = [];
  const client = (token: string, clientOptions: { ownConnection?: boolean; timeoutMs?: number } = {}): CoordinatorClient => {
    const c = new CoordinatorClient({ address, caPem, token, ...clientOptions });
    clients.push(c);
    return c;
  };
  const admin = client(adminToken);
  const groupsMade = new Set<string>();
  return {
    coordinator,
    dataDir,
    address,
    caPem,
    adminToken,
    admin,
    client,
    async user(name, role, groups = []) {
      await admin.call('TenancyService', 'CreateUser', { name, role: `ROLE_${role.toUpperCase()}` as Role__Output });
      for (const group of groups) {
        if (!groupsMade.has(group) && !(await admin.call('TenancyService', 'ListGroups', {})).groups.some((g) => g.name === group)) {
          await admin.call('TenancyService', 'CreateGroup', { name: group });
        }
        groupsMade.add(group);
        await admin.call('TenancyService', 'AddGroupMember', { group, user: name });
      }
      const { secret } = await admin.call('TenancyService', 'CreateToken', { user: name, description: 'test' });
      return client(secret);
    },
    async machine(hostname, spec = {}) {
      // A smartNIC port must name a known agent: announce it with an enrollment token.
      if (spec.smartNic)
        await admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: `dpu-${hostname}`, role: 'smartnic', ttlSeconds: 3600 });
      return admin.call('MachineService', 'EnlistMachine', {
        hostname,
        arch: spec.arch ?? 'amd64',
        cores: spec.cores ?? 8,
        memoryMib: spec.memoryMib ?? 16384,
        tags: spec.tags ?? [],
        pool: spec.pool ?? '',
        zone: spec.zone ?? '',
        power: { driver: 'POWER_DRIVER_MANUAL' },
        ports: spec.smartNic
          ? [{ mac: randomMac(), isSmartNic: true, smartNicAgentId: `dpu-${hostname}`, smartNicPortId: 'pf0hpf' }]
          : [{ mac: randomMac() }],
        commission: true,
      });
    },
    async close() {
      for (const c of clients) c.close();
      await coordinator.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let macCounter = 0;
export function randomMac(): string {
  macCounter++;
  const bytes = [0x52, 0x54, 0x00, (macCounter >> 16) & 0xff, (macCounter >> 8) & 0xff, macCounter & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
