// The gRPC services a coordinator serves, each handed the components it answers for.
import type { Coordinator } from '../coordinator.js';
import type { CertificateAuthority } from '../pki/certificate-authority.js';
import { ownedShare } from '../store/member-index.js';
import { agentScope } from '../tenancy/agent-visibility.js';
import { agentAdminService } from './agent-admin-service.js';
import { agentLinkService } from './agent-link-service.js';
import { coordinatorListHandlers } from './coordinator-list.js';
import { deploymentService } from './deployment-service.js';
import { eventService } from './event-service.js';
import { imageService } from './image-service.js';
import type { ApiServer } from './grpc-server.js';
import { machineService } from './machine-service.js';
import { networkService, securityGroupService } from './network-service.js';
import { poolService } from './pool-service.js';
import { portService } from './port-service.js';
import { sriovAdminHandlers } from './sriov-admin-service.js';
import { sriovPortView } from '../agents/sriov-port-view.js';
import { tenancyService } from './tenancy-service.js';
import { vmHostService } from './vmhost-service.js';

/** The service implementations the gRPC server is started with. */
export type ServiceHandlers = Parameters<typeof ApiServer.start>[2];

export function apiServices(c: Coordinator, ca: CertificateAuthority): ServiceHandlers {
  const ctx = { tokens: c.tokens, logger: c.logger.child({ component: 'api' }) };
  const agentsOfCaller = agentScope({
    ownedBy: (user) => c.machines.table().listShares([ownedShare(user)], { status: null, pool: null, afterId: '' }),
    vmHostAgent: (host) => c.vmHosts.get(host)?.agent,
  });
  return {
    MachineService: machineService(ctx, {
      registry: c.machines,
      commissioner: c.commissioner,
      allocator: c.allocator,
      power: c.machinePower,
      editor: c.machineEditor,
    }),
    PoolService: poolService(ctx, c.pools),
    TenancyService: tenancyService(ctx, c.users, c.tokens),
    EventService: eventService(ctx, c.events, c.machines),
    AgentService: agentLinkService({
      store: c.store,
      ca,
      tokens: c.enrollmentTokens,
      registry: c.agents,
      hub: c.sessions,
      certValidityDays: c.config.agentCertValidityDays,
      logger: c.logger,
    }),
    DeploymentService: deploymentService(ctx, {
      deployments: c.deployments,
      manual: c.manualPower,
      portNetworks: c.portNetworks,
    }),
    PortService: portService(ctx, { editor: c.ports, resolveView: sriovPortView((agent) => c.sriov.report(agent)) }),
    VmHostService: vmHostService(ctx, {
      hosts: c.vmHosts,
      composer: c.vms,
      power: c.vmPower,
      agents: c.agents,
      pending: c.vmPending,
      machines: c.machines.table(),
    }),
    AgentAdminService: {
      ...agentAdminService(ctx, {
        tokens: c.enrollmentTokens,
        registry: c.agents,
        hub: c.sessions,
        peers: c.presence,
        scope: agentsOfCaller,
      }),
      ...sriovAdminHandlers(ctx, { registry: c.agents, sriov: c.sriov, scope: agentsOfCaller }),
      ...coordinatorListHandlers(ctx, { coordinators: c.presence.registry, agents: c.agents }),
    },
    NetworkService: networkService(ctx, c.networks),
    SecurityGroupService: securityGroupService(ctx, c.networks),
    ImageService: imageService(ctx, c.boot.images, c.config.imageMaxBytes),
  };
}
