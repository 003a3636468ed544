// A port's own DHCP_Options row: what ovn-controller answers that one port's DHCP with (address,
// server, lease, router and the boot file). One row per LSP, marked with the LSP's name (LSP_KEY),
// never shared, so a per-machine boot URL reaches only its machine.
//
// DHCP_Options is a root table and Logical_Switch_Port.dhcpv4_options a weak reference (ovn-nb
// schema of OVN 23.03): removing a port leaves its row behind, so detach and reconcile delete it.
// ovn-northd copies string-typed options (bootfile_name, bootfile_name_alt) verbatim into the
// put_dhcp_opts() action, so their values must be quoted strings (ovn-nb(5), "Type: string").

import { InvalidArgumentError } from '../domain-error.js';
import type { PortAttachment, PortDhcp } from '../networks/fabric.js';
import { map, set, uuid } from '../../../proto/ovsdb/encoding.js';
import { cidrContains, parseCidr, parseIpv4 } from './ipv4.js';
import { LSP_KEY, OWNER_KEY } from './names.js';
import { sameMap, type DhcpOptionsRow } from './nb-rows.js';
import type { NbTransaction, RowRef } from './nb-transaction.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
/** Printable ASCII but the quote and backslash (they would need escaping in OVN's string syntax). */
const BOOTFILE = /^[\x21\x23-\x5b\x5d-\x7e]{1,255}$/;

/** The options column for `d`. */
export function dhcpOptions(d: PortDhcp): Record<string, string> {
  const options: Record<string, string> = { server_id: d.serverIp, server_mac: d.serverMac, lease_time: String(d.leaseSeconds) };
  if (d.router !== undefined) options['router'] = d.router;
  if (d.bootfile !== undefined) options['bootfile_name'] = JSON.stringify(d.bootfile);
  if (d.bootfileAlt !== undefined) options['bootfile_name_alt'] = JSON.stringify(d.bootfileAlt);
  return options;
}

/** Checks an attachment's DHCP before anything is written (InvalidArgumentError naming the field). */
export function checkPortDhcp(a: PortAttachment): void {
  const d = a.dhcp;
  if (d === undefined) return;
  if (a.ip === undefined) throw new InvalidArgumentError('attachment.ip', 'a port with DHCP needs the address DHCP offers');
  const cidr = parseCidr(d.cidr);
  if (typeof cidr === 'string') throw new InvalidArgumentError('attachment.dhcp.cidr', cidr);
  const inCidr = (field: string, text: string): void => {
    const address = parseIpv4(text);
    if (address === undefined) throw new InvalidArgumentError(field, `${JSON.stringify(text)} is not an IPv4 address`);
    if (!cidrContains(cidr, address)) throw new InvalidArgumentError(field, `${text} is not in ${cidr.text}`);
  };
  inCidr('attachment.ip', a.ip);
  inCidr('attachment.dhcp.serverIp', d.serverIp);
  if (d.serverIp === a.ip) throw new InvalidArgumentError('attachment.dhcp.serverIp', `${d.serverIp} is the port's own address`);
  if (d.router !== undefined) inCidr('attachment.dhcp.router', d.router);
  if (typeof d.serverMac !== 'string' || !MAC.test(d.serverMac))
    throw new InvalidArgumentError(
      'attachment.dhcp.serverMac',
      `${JSON.stringify(d.serverMac)} is not a lower-case colon-separated MAC address`,
    );
  if (!Number.isInteger(d.leaseSeconds) || d.leaseSeconds < 60 || d.leaseSeconds > 0xffffffff)
    throw new InvalidArgumentError(
      'attachment.dhcp.leaseSeconds',
      `${d.leaseSeconds} is not a whole number of seconds from 60 to 4294967295`,
    );
  for (const key of ['bootfile', 'bootfileAlt'] as const) {
    const problem = d[key] === undefined ? null : bootfileProblem(d[key]);
    if (problem) throw new InvalidArgumentError(`attachment.dhcp.${key}`, problem);
  }
}

/** Why `value` cannot be a boot file (option 67), or null. The value may carry a token: never repeated. */
export function bootfileProblem(value: unknown): string | null {
  return typeof value === 'string' && BOOTFILE.test(value)
    ? null
    : 'must be 1-255 printable ASCII characters without spaces, quotes or backslashes';
}

/**
 * Plans the port's DHCP_Options row: created or updated to match `a.dhcp` (its reference returned),
 * or, without `a.dhcp`, deleted (null returned). `rows` are the owned DHCP_Options rows.
 */
export function planPortDhcp(tx: NbTransaction, owner: string, rows: readonly DhcpOptionsRow[], a: PortAttachment): RowRef | null {
  const mine = rows.filter((r) => r.external_ids.get(LSP_KEY) === a.lspName);
  if (a.dhcp === undefined) {
    for (const r of mine) tx.delete('DHCP_Options', r._uuid, a.lspName);
    return null;
  }
  const ext = { [OWNER_KEY]: owner, [LSP_KEY]: a.lspName };
  const options = dhcpOptions(a.dhcp);
  const [keep, ...extra] = mine;
  for (const r of extra) tx.delete('DHCP_Options', r._uuid, a.lspName);
  if (!keep) return tx.insert('DHCP_Options', { cidr: a.dhcp.cidr, options: map(options), external_ids: map(ext) }, a.lspName);
  if (keep.cidr !== a.dhcp.cidr || !sameMap(keep.options, options) || !sameMap(keep.external_ids, ext))
    tx.update('DHCP_Options', keep._uuid, { cidr: a.dhcp.cidr, options: map(options), external_ids: map(ext) });
  return uuid(keep._uuid);
}

/** The value of Logical_Switch_Port.dhcpv4_options for a reference (or none). */
export function dhcpColumn(ref: RowRef | null): unknown {
  return ref ?? set([]);
}

/** Deletes the owned DHCP_Options rows of LSPs not in `keep` (detach, reconcile). */
export function removeStrayDhcp(tx: NbTransaction, rows: readonly DhcpOptionsRow[], keep: (lspName: string) => boolean): void {
  for (const r of rows) {
    const lsp = String(r.external_ids.get(LSP_KEY));
    if (!keep(lsp)) tx.delete('DHCP_Options', r._uuid, lsp);
  }
}
