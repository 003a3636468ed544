// What `machine show` lists of a machine's smartNIC ports: each port's network attachment (network,
// LSP, IP, security groups) and what OVN says of the LSP right now (fabric.portState). OVN being
// unreachable does not fail the view: the state reads "unknown" with the reason.
import type { PortNetwork__Output as PortNetworkMessage } from '../../../proto/generated/index.js';
import type { Machine } from '../machines/machine.js';
import type { TenantNetworks } from '../networks/tenant-networks.js';
import { smartNicPorts, type PortAttachments } from './port-attachments.js';

export class PortNetworkView {
  constructor(
    private readonly networks: TenantNetworks,
    private readonly attachments: PortAttachments,
  ) {}

  async of(machine: Machine): Promise<PortNetworkMessage[]> {
    const held = this.attachments.of(machine.id);
    const rows: Promise<PortNetworkMessage>[] = [];
    for (const port of smartNicPorts(machine)) {
      const base = {
        port: port.portId,
        agent: port.agentId,
        mac: port.mac,
        portId: port.uuid,
      };
      const mine = held.filter((a) => a.portId === port.uuid);
      if (mine.length === 0) {
        rows.push(
          Promise.resolve({
            ...base,
            network: '',
            lsp: '',
            ip: '',
            securityGroups: [],
            ovnState: '',
            ovnChassis: '',
            ovnError: '',
          }),
        );
        continue;
      }
      for (const a of mine) {
        const groups = a.securityGroupIds.map((id) => this.networks.securityGroups.get(id)?.name ?? id);
        const row = {
          ...base,
          network: this.networks.networks.get(a.networkId)?.name ?? a.networkId,
          lsp: a.lspName,
          ip: a.ip ?? '',
          securityGroups: groups,
        };
        rows.push(
          this.networks.fabric
            .call(`read the state of port ${port.portId} (${a.lspName})`, (fabric) => fabric.portState(a.lspName))
            .then(
              (state) => ({
                ...row,
                ovnState: !state.exists ? 'missing' : state.up ? 'up' : 'down',
                ovnChassis: state.chassis ?? '',
                ovnError: '',
              }),
              (error: unknown) => ({
                ...row,
                ovnState: 'unknown',
                ovnChassis: '',
                ovnError: error instanceof Error ? error.message : String(error),
              }),
            ),
        );
      }
    }
    return Promise.all(rows);
  }
}
