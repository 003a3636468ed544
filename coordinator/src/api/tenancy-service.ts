// mooring.v1.TenancyService.
import type * as grpc from '@grpc/grpc-js';
import type { ApiTokens } from '../tenancy/api-tokens.js';
import { NotFoundError } from '../tenancy/errors.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import { unary, type ApiContext } from './call-handler.js';
import {
  createGroupSchema,
  createTokenSchema,
  createUserSchema,
  emptySchema,
  groupMemberSchema,
  listTokensSchema,
  revokeTokenSchema,
} from './request-schemas.js';
import { groupToWire, tokenToWire, userToWire } from './wire.js';

export function tenancyService(ctx: ApiContext, users: UserDirectory, tokens: ApiTokens): grpc.UntypedServiceImplementation {
  return {
    CreateUser: unary(ctx, 'CreateUser', createUserSchema, async (principal, { name, role }) =>
      userToWire(await users.createUser(principal, name, role)),
    ),
    ListUsers: unary(ctx, 'ListUsers', emptySchema, () => ({ users: users.listUsers().map(userToWire) })),
    CreateGroup: unary(ctx, 'CreateGroup', createGroupSchema, async (principal, { name }) =>
      groupToWire(await users.createGroup(principal, name)),
    ),
    ListGroups: unary(ctx, 'ListGroups', emptySchema, () => ({ groups: users.listGroups().map(groupToWire) })),
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
    WhoAmI: unary(ctx, 'WhoAmI', emptySchema, (principal) => {
      const user = users.getUser(principal.user);
      if (!user) throw new NotFoundError('user', principal.user);
      return userToWire(user);
    }),
  };
}
