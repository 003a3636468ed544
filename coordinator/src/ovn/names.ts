// How Mooring names and marks the OVN_Northbound rows it creates. Every such row carries
// OWNER_KEY = <owner> in external_ids; the fabric reads, changes and deletes only rows with it.
// Names follow the resource ids: Port_Group names must be ACL-match identifiers (letters, digits,
// underscores; a dash would be read as a minus in `@pg` and `$pg_ip4`), so ids' dashes become
// underscores there.

export const OWNER_KEY = 'mooring:owner';
export const NETWORK_KEY = 'mooring:network-id';
export const NAME_KEY = 'mooring:name';
export const PORT_KEY = 'mooring:port-id';
export const MACHINE_KEY = 'mooring:machine-id';
export const SG_KEY = 'mooring:sg-id';
/** On a port's own DHCP_Options row: the LSP's name. */
export const LSP_KEY = 'mooring:lsp';
export const RULE_KEY = 'mooring:rule-id';
/** On an ACL of a rule with a remote group: that group's id (so deleting it can be refused). */
export const REMOTE_SG_KEY = 'mooring:remote-sg-id';
/** On the default-drop Port_Group and its ACLs. */
export const ROLE_KEY = 'mooring:role';
export const DEFAULT_DROP_ROLE = 'default-drop';

/**
 * The Port_Group holding every port that is in at least one security group, with the drop ACLs.
 * Not `mooring_sg_…`: no group id can produce this name.
 */
export const DEFAULT_DROP_PG = 'mooring_default_drop';

export function switchName(networkId: string): string {
  return `mooring-net-${networkId}`;
}

export function portGroupName(groupId: string): string {
  return `mooring_sg_${groupId.replaceAll('-', '_')}`;
}

/** The Address_Set ovn-northd keeps with the IPv4 addresses of a Port_Group's ports. */
export function portGroupIp4Set(groupId: string): string {
  return `$${portGroupName(groupId)}_ip4`;
}
