// mooring.v1.TenancyService. Admins and observers list every user and group; a member lists only
// itself and the groups it belongs to (with their members: the people it shares reservations with).
import type { TenancyServiceHandlers } from '../../../proto/generated/index.js';
import { seesAll } from '../tenancy/access.js';
import type { ApiTokens } from '../tenancy/api-tokens.js';
import { NotFoundError } from '../tenancy/errors.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import { unary, type ApiContext } from './call-handler.js';
import {
  createGroupSchema,
  createTokenSchema,
  createUserSchema,
  deleteUserSchema,
  emptySchema,
  groupMemberSchema,
  listTokensSchema,
  revokeTokenSchema,
  setUserRoleSchema,
} from './request-schemas.js';
import { groupToWire, tokenToWire, userToWire } from './wire.js';

export function tenancyService(ctx: ApiContext, users: UserDirectory, tokens: ApiTokens): TenancyServiceHandlers {
  return {
    CreateUser: unary(ctx, 'CreateUser', createUserSchema, async (principal, { name, role }) =>
      userToWire(await users.createUser(principal, name, role)),
    ),
    ListUsers: unary(ctx, 'ListUsers', emptySchema, (principal) => ({
      users: users
        .listUsers()
        .filter((user) => seesAll(principal) || user.name === principal.user)
        .map(userToWire),
    })),
    CreateGroup: unary(ctx, 'CreateGroup', createGroupSchema, async (principal, { name }) =>
      groupToWire(await users.createGroup(principal, name)),
    ),
    ListGroups: unary(ctx, 'ListGroups', emptySchema, (principal) => ({
      groups: users
        .listGroups()
        .filter((group) => seesAll(principal) || principal.groups.includes(group.name))
        .map(groupToWire),
    })),
    AddGroupMember: unary(ctx, 'AddGroupMember', groupMemberSchema, async (principal, { group, user }) =>
      groupToWire(await users.setMembership(principal, group, user, true)),
    ),
    RemoveGroupMember: unary(ctx, 'RemoveGroupMember', groupMemberSchema, async (principal, { group, user }) =>
      groupToWire(await users.setMembership(principal, group, user, false)),
    ),
    CreateToken: unary(ctx, 'CreateToken', createTokenSchema, async (principal, request) => {
      const created = await tokens.create(principal, { ...request, user: request.user || principal.user });
      return { token: tokenToWire(created.token), secret: created.secret };
    }),
    ListTokens: unary(ctx, 'ListTokens', listTokensSchema, (principal, { user }) => ({
      tokens: tokens.list(principal, user || principal.user).map(tokenToWire),
    })),
    RevokeToken: unary(ctx, 'RevokeToken', revokeTokenSchema, async (principal, { id }) => tokenToWire(await tokens.revoke(principal, id))),
    SetUserRole: unary(ctx, 'SetUserRole', setUserRoleSchema, async (principal, { name, role }) =>
      userToWire(await users.setRole(principal, name, role)),
    ),
    DeleteUser: unary(ctx, 'DeleteUser', deleteUserSchema, async (principal, { name }) => {
      await users.deleteUser(principal, name);
      return {};
    }),
    WhoAmI: unary(ctx, 'WhoAmI', emptySchema, (principal) => {
      const user = users.getUser(principal.user);
      if (!user) throw new NotFoundError('user', principal.user);
      return userToWire(user);
    }),
  };
}
