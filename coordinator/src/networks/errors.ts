// Errors of the tenant-network area. A network or security group the caller may not see is
// reported exactly as one that does not exist (NetworkNotFoundError, SecurityGroupNotFoundError),
// as tenancy/access.ts does for machines.
import { DomainError } from '../domain-error.js';

export class NetworkNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(readonly network: string) {
    super(`network ${network} not found`);
  }
}

export class SecurityGroupNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(readonly group: string) {
    super(`security group ${group} not found`);
  }
}

export class SecurityRuleNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(
    readonly group: string,
    readonly rule: string,
  ) {
    super(`security group ${group} has no rule ${rule}`);
  }
}

export class NetworkExistsError extends DomainError {
  readonly kind = 'already-exists';

  constructor(
    readonly what: 'network' | 'security group' | 'rule',
    readonly subject: string,
  ) {
    super(`${what} ${subject} already exists`);
  }
}

/** A network or security group still in use: the message names the machines (or groups) using it. */
export class NetworkInUseError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly what: 'network' | 'security group',
    readonly subject: string,
    readonly machines: readonly string[],
    readonly groups: readonly string[] = [],
  ) {
    const users = [
      ...(machines.length > 0 ? [`machine(s) ${machines.join(', ')}`] : []),
      ...(groups.length > 0 ? [`the rules of security group(s) ${groups.join(', ')}`] : []),
    ];
    super(`${what} ${subject} is still used by ${users.join(' and ')}`);
  }
}

export class AddressesExhaustedError extends DomainError {
  readonly kind = 'resource-exhausted';

  constructor(
    readonly network: string,
    readonly cidr: string,
  ) {
    super(`network ${network} (${cidr}) has no free address left`);
  }
}

/** No NetworkFabric: the coordinator was started without an OVN northbound remote. */
export class FabricNotConfiguredError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(readonly reason = 'OVN northbound not configured') {
    super(reason);
  }
}

/** A fabric call failed; what the caller asked for was undone (or never stored). */
export class FabricCallError extends DomainError {
  readonly kind = 'unavailable';

  constructor(
    readonly action: string,
    cause: unknown,
  ) {
    super(`OVN northbound could not ${action}: ${cause instanceof Error ? cause.message : String(cause)}; nothing was changed`, { cause });
  }
}

/** The provisioning network is the coordinator's own: it is not created, deleted or deployed to by name. */
export class ProvisioningNetworkReservedError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(readonly action: string) {
    super(`network provisioning is the coordinator's provisioning network (from its configuration): it cannot be ${action}`);
  }
}

/** No provisioning network: the coordinator's configuration has no provisioningCidr. */
export class ProvisioningNotConfiguredError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor() {
    super('no provisioning network: set provisioningCidr in the coordinator configuration');
  }
}

/** The configured provisioning CIDR changed while machine ports are on the old one. */
export class ProvisioningCidrInUseError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly stored: string,
    readonly configured: string,
    readonly machines: readonly string[],
  ) {
    super(
      `provisioningCidr changed from ${stored} to ${configured} while machine(s) ${machines.join(', ')} ` +
        'have ports on the provisioning network; release them or put the old CIDR back',
    );
  }
}
