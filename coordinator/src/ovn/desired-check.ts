// Checks a whole DesiredFabric before reconcile writes anything: every item valid on its own, ids
// and port names unique, and every reference (an attachment's network and groups, a rule's remote
// group) naming something in the same desired set.

import { InvalidArgumentError } from '../domain-error.js';
import type { DesiredFabric } from '../networks/fabric.js';
import { checkAttachment, checkNetwork, checkSecurityGroup } from './validation.js';

export function checkDesired(desired: DesiredFabric): void {
  const networks = unique(
    'desired.networks',
    desired.networks.map((n, i) => (at(`desired.networks[${i}]`, () => checkNetwork(n)), n.id)),
  );
  const groups = unique(
    'desired.securityGroups',
    desired.securityGroups.map((g, i) => (at(`desired.securityGroups[${i}]`, () => checkSecurityGroup(g)), g.id)),
  );
  unique(
    'desired.attachments',
    desired.attachments.map((a, i) => (at(`desired.attachments[${i}]`, () => checkAttachment(a)), a.lspName)),
  );
  desired.securityGroups.forEach((g, i) =>
    g.rules.forEach((r, j) => {
      if (r.remoteGroupId !== undefined && !groups.has(r.remoteGroupId)) {
        throw new InvalidArgumentError(
          `desired.securityGroups[${i}].rules[${j}].remoteGroupId`,
          `security group ${r.remoteGroupId} is not in desired.securityGroups`,
        );
      }
    }),
  );
  desired.attachments.forEach((a, i) => {
    if (!networks.has(a.networkId))
      throw new InvalidArgumentError(`desired.attachments[${i}].networkId`, `network ${a.networkId} is not in desired.networks`);
    a.securityGroupIds.forEach((id, j) => {
      if (!groups.has(id))
        throw new InvalidArgumentError(
          `desired.attachments[${i}].securityGroupIds[${j}]`,
          `security group ${id} is not in desired.securityGroups`,
        );
    });
  });
}

/** Runs a single-item check, prefixing the field it names with where the item sits. */
function at(prefix: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    const field = err.field.replace(/^[a-z]+\./, '');
    throw new InvalidArgumentError(`${prefix}.${field}`, err.problem);
  }
}

function unique(field: string, ids: string[]): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new InvalidArgumentError(`${field}[${i}]`, `${id} appears twice`);
    seen.add(id);
  });
  return seen;
}
