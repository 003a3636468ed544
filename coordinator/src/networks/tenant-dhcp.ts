// What a deployed machine's port on its tenant network answers DHCP with: the address the
// network gave the port, the network's first host as server and router (the address
// assignableRange keeps for a gateway, where an operator's uplink sits), no boot file. The
// deployed system's cloud-init (its default network config: DHCP on the first NIC) learns its
// address this way; without it the port's address (the only one its port security lets through)
// would be known to nobody on the machine.
import type { PortDhcp } from './fabric.js';
import { formatIpv4, parseCidr } from './ipv4-cidr.js';
import type { Network } from './network-records.js';
import { dhcpServerMac } from './provisioning-network.js';

/** The DHCP of a port on `network`; undefined for a network without a CIDR (its ports take no address). */
export function tenantDhcp(network: Network, leaseSeconds: number): PortDhcp | undefined {
  if (network.cidr === null) return undefined;
  const cidr = parseCidr(network.cidr);
  if (typeof cidr === 'string') throw new Error(`network ${network.name} CIDR ${network.cidr}: ${cidr}`);
  const gateway = formatIpv4(cidr.network + 1);
  return { cidr: cidr.text, serverIp: gateway, serverMac: dhcpServerMac(network.id), leaseSeconds, router: gateway };
}
