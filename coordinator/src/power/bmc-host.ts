// The host part of a BMC address, for both power drivers. It reaches ipmitool's argv (-H HOST) and
// Redfish URLs, and it is shown to every observer of the machine, so only a DNS name or an IP
// literal is accepted: nothing ipmitool could read as an option, nothing a shell or a URL would
// give meaning to, and no credentials ("user:pw@host" is refused without echoing it).
import { isIP } from 'node:net';

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const SHELL = /[;$`|&()<>\\'"*?!{}]/;

/** Why `host` is not a BMC host (a DNS name, an IPv4 or an IPv6 literal without brackets), or null. */
export function bmcHostProblem(host: string): string | null {
  if (host === '') return 'has no host';
  if (host.includes('@')) return 'holds credentials; give them as power.user and the password, never in the address';
  if (host.startsWith('-')) return "starts with '-', which ipmitool would read as an option";
  if (/\p{Cc}|\s/u.test(host)) return 'contains whitespace or control characters';
  if (SHELL.test(host)) return 'contains shell metacharacters (such as ; $ ` ( ) |)';
  if (isIP(host) !== 0) return null;
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) return 'is not a host name or an IP address';
  return null;
}

/** The address as it may be shown in an error: whatever precedes an '@' (credentials) is hidden. */
export function redactAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `[hidden]${address.slice(at)}`;
}
