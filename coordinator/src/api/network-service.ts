// mooring.v1.NetworkService and mooring.v1.SecurityGroupService (networks.proto): tenancy and
// validation are the domain's (coordinator/src/networks/); this maps requests and records.
import type { NetworkServiceHandlers, SecurityGroupServiceHandlers } from '../../../proto/generated/index.js';
import type { TenantNetworks } from '../networks/tenant-networks.js';
import { unary, type ApiContext } from './call-handler.js';
import {
  addRuleSchema,
  createNetworkSchema,
  createSecurityGroupSchema,
  deleteRuleSchema,
  networkRefSchema,
  securityGroupRefSchema,
} from './network-schemas.js';
import { networkToWire, ruleToWire, securityGroupToWire, type GroupNames } from './network-wire.js';
import { emptySchema } from './request-schemas.js';

function groupNames(area: TenantNetworks): GroupNames {
  return (id) => area.securityGroups.get(id)?.name ?? '';
}

export function networkService(ctx: ApiContext, area: TenantNetworks): NetworkServiceHandlers {
  const { networks } = area;
  const names = groupNames(area);
  return {
    CreateNetwork: unary(ctx, 'CreateNetwork', createNetworkSchema, async (principal, request) =>
      networkToWire(await networks.create(principal, request), [], names),
    ),
    ListNetworks: unary(ctx, 'ListNetworks', emptySchema, (principal) => ({
      networks: networks.list(principal).map((network) => networkToWire(network, [], names)),
    })),
    GetNetwork: unary(ctx, 'GetNetwork', networkRefSchema, (principal, { name }) => {
      const network = networks.visible(principal, name);
      return networkToWire(network, networks.attachments(network.id), names);
    }),
    DeleteNetwork: unary(ctx, 'DeleteNetwork', networkRefSchema, async (principal, { name }) => {
      await networks.delete(principal, name);
      return {};
    }),
  };
}

export function securityGroupService(ctx: ApiContext, area: TenantNetworks): SecurityGroupServiceHandlers {
  const groups = area.securityGroups;
  const names = groupNames(area);
  return {
    CreateSecurityGroup: unary(ctx, 'CreateSecurityGroup', createSecurityGroupSchema, async (principal, request) =>
      securityGroupToWire(await groups.create(principal, request), names),
    ),
    ListSecurityGroups: unary(ctx, 'ListSecurityGroups', emptySchema, (principal) => ({
      securityGroups: groups.list(principal).map((group) => securityGroupToWire(group, names)),
    })),
    GetSecurityGroup: unary(ctx, 'GetSecurityGroup', securityGroupRefSchema, (principal, { name }) =>
      securityGroupToWire(groups.visible(principal, name), names),
    ),
    DeleteSecurityGroup: unary(ctx, 'DeleteSecurityGroup', securityGroupRefSchema, async (principal, { name }) => {
      await groups.delete(principal, name);
      return {};
    }),
    AddRule: unary(ctx, 'AddRule', addRuleSchema, async (principal, { group, rule }) => {
      const added = await groups.addRule(principal, group, rule);
      return { group: securityGroupToWire(added.group, names), rule: ruleToWire(added.rule, names) };
    }),
    DeleteRule: unary(ctx, 'DeleteRule', deleteRuleSchema, async (principal, { group, ruleId }) =>
      securityGroupToWire(await groups.deleteRule(principal, group, ruleId), names),
    ),
  };
}
