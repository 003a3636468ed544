// A deploy's or bind's --network and --security-group names, checked before anything is written
// or powered: the network and groups as the caller may see them (NOT_FOUND otherwise, as the
// network domain answers), a machine with smartNIC ports, and on each of its smartNICs an
// ovn-controller the agent last reported configured (an ovn-remote in Open_vSwitch external_ids).
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { Machine } from '../machines/machine.js';
import { ProvisioningNetworkReservedError } from '../networks/errors.js';
import { isProvisioning } from '../networks/provisioning-network.js';
import type { TenantNetworks } from '../networks/tenant-networks.js';
import type { Principal } from '../tenancy/user.js';
import { NoSmartNicPortsError, OvnNotConfiguredError } from './errors.js';
import { smartNicPorts } from './port-attachments.js';
import type { NetworkTarget } from './sequence.js';

/** What a caller asked for, by name. */
export interface NetworkRequest {
  readonly network: string;
  readonly securityGroups: readonly string[];
}

export class NetworkTargets {
  constructor(
    private readonly networks: TenantNetworks,
    private readonly agents: AgentRegistry,
  ) {}

  /** The network and groups exist and the caller may see them (NOT_FOUND otherwise). */
  visible(actor: Principal, request: NetworkRequest): void {
    this.networks.networks.visible(actor, request.network);
    for (const name of request.securityGroups) this.networks.securityGroups.visible(actor, name);
  }

  /** The network and groups by id; throws naming what is missing, unusable or not configured. */
  resolve(actor: Principal, machine: Machine, request: NetworkRequest): NetworkTarget {
    const network = this.networks.networks.visible(actor, request.network);
    // Ports go on the provisioning network only through the deploy and release steps.
    if (isProvisioning(network)) throw new ProvisioningNetworkReservedError('deployed or bound to by name');
    const securityGroupIds = [...new Set(request.securityGroups)].map((name) => this.networks.securityGroups.visible(actor, name).id);
    const ports = smartNicPorts(machine);
    if (ports.length === 0) throw new NoSmartNicPortsError(machine.hostname);
    for (const agentId of [...new Set(ports.map((p) => p.agentId))]) {
      if (!this.agents.get(agentId)?.ovn?.remote) throw new OvnNotConfiguredError(agentId);
    }
    return { networkId: network.id, securityGroupIds };
  }
}
