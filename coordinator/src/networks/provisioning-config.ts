// The provisioning network's part of the coordinator configuration (config.ts merges it): the
// options, their environment names and the check that turns them into ProvisioningSettings.
// Without provisioningCidr there is no provisioning network (and the other options are refused).
import { z } from 'zod';
import { bootfileProblem } from '../ovn/nb-dhcp.js';
import { assignableRange, formatIpv4, MAX_NETWORK_PREFIX, MIN_NETWORK_PREFIX, parseCidr, parseIpv4 } from './ipv4-cidr.js';
import type { ProvisioningSettings } from './provisioning-network.js';

export const provisioningSourceShape = {
  provisioningCidr: z.string().min(1),
  /** An address in the CIDR, handed out as DHCP option 3 (router). */
  provisioningRouter: z.string().min(1),
  provisioningLeaseSeconds: z.coerce.number().int().min(60).max(86_400),
  /** Option 67 for DHCP clients that are not iPXE (they do not send option 175). */
  provisioningBootfileAlt: z.string().min(1),
};

export const PROVISIONING_ENV_KEYS = {
  MOORING_PROVISIONING_CIDR: 'provisioningCidr',
  MOORING_PROVISIONING_ROUTER: 'provisioningRouter',
  MOORING_PROVISIONING_LEASE_SECONDS: 'provisioningLeaseSeconds',
  MOORING_PROVISIONING_BOOTFILE_ALT: 'provisioningBootfileAlt',
} as const;

export const DEFAULT_PROVISIONING_LEASE_SECONDS = 600;

type ProvisioningSource = Partial<{
  provisioningCidr: string;
  provisioningRouter: string;
  provisioningLeaseSeconds: number;
  provisioningBootfileAlt: string;
  ovnNorthbound: string;
}>;

/** A provisioning option that cannot be used; the message starts with the option's name. */
export class ProvisioningConfigProblem extends Error {}

export function provisioningSettings(source: ProvisioningSource): ProvisioningSettings | null {
  const { provisioningCidr, provisioningRouter, provisioningLeaseSeconds, provisioningBootfileAlt } = source;
  if (provisioningCidr === undefined) {
    const stray = Object.entries({ provisioningRouter, provisioningLeaseSeconds, provisioningBootfileAlt }).find(
      ([, v]) => v !== undefined,
    );
    if (stray) throw new ProvisioningConfigProblem(`${stray[0]}: is set but provisioningCidr is not`);
    return null;
  }
  if (!source.ovnNorthbound)
    throw new ProvisioningConfigProblem('provisioningCidr: the provisioning network is an OVN network: set ovnNorthbound too');
  const cidr = parseCidr(provisioningCidr, MIN_NETWORK_PREFIX, MAX_NETWORK_PREFIX);
  if (typeof cidr === 'string') throw new ProvisioningConfigProblem(`provisioningCidr: ${cidr}`);
  let router: string | null = null;
  if (provisioningRouter !== undefined) {
    const address = parseIpv4(provisioningRouter);
    const { first, last } = assignableRange(cidr);
    // The first host (first - 1) is the DHCP server's and may be the router; machines get the rest.
    if (address === null || address < first - 1 || address > last)
      throw new ProvisioningConfigProblem(`provisioningRouter: ${provisioningRouter} is not a host address of ${cidr.text}`);
    router = formatIpv4(address);
  }
  if (provisioningBootfileAlt !== undefined) {
    const problem = bootfileProblem(provisioningBootfileAlt);
    if (problem) throw new ProvisioningConfigProblem(`provisioningBootfileAlt: ${problem}`);
  }
  return Object.freeze({
    cidr: cidr.text,
    router,
    leaseSeconds: provisioningLeaseSeconds ?? DEFAULT_PROVISIONING_LEASE_SECONDS,
    bootfileAlt: provisioningBootfileAlt ?? null,
  });
}
