// The Redfish power address: the BMC's base URL, optionally naming the system.
//   https://10.0.0.5            system discovered from /redfish/v1/Systems (exactly one member)
//   10.0.0.5:8443               no scheme: https is assumed, as Ironic does for redfish_address
//   http://127.0.0.1:8000       plain HTTP (labs, simulations)
//   https://bmc/redfish/v1/Systems/1   the system to drive, for BMCs with several
// Credentials, queries and fragments in the URL are refused: the user and password come from the
// machine's power settings, and a URL is logged.
import { bmcHostProblem, redactAddress } from '../bmc-host.js';
import { RedfishAddressError } from '../errors.js';

export interface BmcAddress {
  /** scheme://host[:port], no trailing slash; names the BMC in logs and errors. */
  readonly origin: string;
  /** /redfish/v1/Systems/<id>, or null to discover it. */
  readonly systemPath: string | null;
}

const SYSTEM_PATH = /^\/redfish\/v1\/Systems\/[^/]+$/;

export function parseBmcAddress(address: string): BmcAddress {
  const trimmed = address.trim();
  const shown = redactAddress(address);
  if (trimmed === '') throw new RedfishAddressError(address, 'empty; give the BMC URL, e.g. https://10.0.0.5');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RedfishAddressError(shown, 'not a URL; give the BMC URL, e.g. https://10.0.0.5');
  }
  if (url.username !== '' || url.password !== '') {
    // The error is shown and logged: leave the credentials out of it.
    url.username = '';
    url.password = '';
    throw new RedfishAddressError(url.href, 'credentials do not belong in the URL; set power.user and the password');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RedfishAddressError(shown, `scheme ${url.protocol} is not http or https`);
  }
  if (url.search !== '' || url.hash !== '') throw new RedfishAddressError(shown, 'no query or fragment allowed');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const hostProblem = bmcHostProblem(host);
  if (hostProblem) throw new RedfishAddressError(shown, `the host ${hostProblem}`);
  if (url.port === '0') throw new RedfishAddressError(shown, 'the port must be 1-65535');
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && !SYSTEM_PATH.test(path)) {
    throw new RedfishAddressError(shown, `path ${path} is not /redfish/v1/Systems/<id>`);
  }
  return { origin: url.origin, systemPath: path === '' ? null : path };
}

/**
 * The address a machine may be enlisted with: what parseBmcAddress accepts, over https only. The
 * BMC password goes to this URL in a session login, so plain http is refused here; the driver
 * itself still speaks http to addresses stored before this rule (and to simulations in tests).
 */
export function parseEnlistAddress(address: string): BmcAddress {
  const parsed = parseBmcAddress(address);
  if (!parsed.origin.startsWith('https://')) {
    throw new RedfishAddressError(
      redactAddress(address),
      'must be an https URL: the BMC password would cross the network in clear over http',
    );
  }
  return parsed;
}
