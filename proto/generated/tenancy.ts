import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateGroupRequest as _mooring_v1_CreateGroupRequest, CreateGroupRequest__Output as _mooring_v1_CreateGroupRequest__Output } from './mooring/v1/CreateGroupRequest.js';
import type { CreateTokenRequest as _mooring_v1_CreateTokenRequest, CreateTokenRequest__Output as _mooring_v1_CreateTokenRequest__Output } from './mooring/v1/CreateTokenRequest.js';
import type { CreateTokenResponse as _mooring_v1_CreateTokenResponse, CreateTokenResponse__Output as _mooring_v1_CreateTokenResponse__Output } from './mooring/v1/CreateTokenResponse.js';
import type { CreateUserRequest as _mooring_v1_CreateUserRequest, CreateUserRequest__Output as _mooring_v1_CreateUserRequest__Output } from './mooring/v1/CreateUserRequest.js';
import type { DeleteUserRequest as _mooring_v1_DeleteUserRequest, DeleteUserRequest__Output as _mooring_v1_DeleteUserRequest__Output } from './mooring/v1/DeleteUserRequest.js';
import type { DeleteUserResponse as _mooring_v1_DeleteUserResponse, DeleteUserResponse__Output as _mooring_v1_DeleteUserResponse__Output } from './mooring/v1/DeleteUserResponse.js';
import type { Group as _mooring_v1_Group, Group__Output as _mooring_v1_Group__Output } from './mooring/v1/Group.js';
import type { GroupMemberRequest as _mooring_v1_GroupMemberRequest, GroupMemberRequest__Output as _mooring_v1_GroupMemberRequest__Output } from './mooring/v1/GroupMemberRequest.js';
import type { ListGroupsRequest as _mooring_v1_ListGroupsRequest, ListGroupsRequest__Output as _mooring_v1_ListGroupsRequest__Output } from './mooring/v1/ListGroupsRequest.js';
import type { ListGroupsResponse as _mooring_v1_ListGroupsResponse, ListGroupsResponse__Output as _mooring_v1_ListGroupsResponse__Output } from './mooring/v1/ListGroupsResponse.js';
import type { ListTokensRequest as _mooring_v1_ListTokensRequest, ListTokensRequest__Output as _mooring_v1_ListTokensRequest__Output } from './mooring/v1/ListTokensRequest.js';
import type { ListTokensResponse as _mooring_v1_ListTokensResponse, ListTokensResponse__Output as _mooring_v1_ListTokensResponse__Output } from './mooring/v1/ListTokensResponse.js';
import type { ListUsersRequest as _mooring_v1_ListUsersRequest, ListUsersRequest__Output as _mooring_v1_ListUsersRequest__Output } from './mooring/v1/ListUsersRequest.js';
import type { ListUsersResponse as _mooring_v1_ListUsersResponse, ListUsersResponse__Output as _mooring_v1_ListUsersResponse__Output } from './mooring/v1/ListUsersResponse.js';
import type { RevokeTokenRequest as _mooring_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _mooring_v1_RevokeTokenRequest__Output } from './mooring/v1/RevokeTokenRequest.js';
import type { SetUserRoleRequest as _mooring_v1_SetUserRoleRequest, SetUserRoleRequest__Output as _mooring_v1_SetUserRoleRequest__Output } from './mooring/v1/SetUserRoleRequest.js';
import type { TenancyServiceClient as _mooring_v1_TenancyServiceClient, TenancyServiceDefinition as _mooring_v1_TenancyServiceDefinition } from './mooring/v1/TenancyService.js';
import type { Token as _mooring_v1_Token, Token__Output as _mooring_v1_Token__Output } from './mooring/v1/Token.js';
import type { User as _mooring_v1_User, User__Output as _mooring_v1_User__Output } from './mooring/v1/User.js';
import type { WhoAmIRequest as _mooring_v1_WhoAmIRequest, WhoAmIRequest__Output as _mooring_v1_WhoAmIRequest__Output } from './mooring/v1/WhoAmIRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      CreateGroupRequest: MessageTypeDefinition<_mooring_v1_CreateGroupRequest, _mooring_v1_CreateGroupRequest__Output>
      CreateTokenRequest: MessageTypeDefinition<_mooring_v1_CreateTokenRequest, _mooring_v1_CreateTokenRequest__Output>
      CreateTokenResponse: MessageTypeDefinition<_mooring_v1_CreateTokenResponse, _mooring_v1_CreateTokenResponse__Output>
      CreateUserRequest: MessageTypeDefinition<_mooring_v1_CreateUserRequest, _mooring_v1_CreateUserRequest__Output>
      DeleteUserRequest: MessageTypeDefinition<_mooring_v1_DeleteUserRequest, _mooring_v1_DeleteUserRequest__Output>
      DeleteUserResponse: MessageTypeDefinition<_mooring_v1_DeleteUserResponse, _mooring_v1_DeleteUserResponse__Output>
      Group: MessageTypeDefinition<_mooring_v1_Group, _mooring_v1_Group__Output>
      GroupMemberRequest: MessageTypeDefinition<_mooring_v1_GroupMemberRequest, _mooring_v1_GroupMemberRequest__Output>
      ListGroupsRequest: MessageTypeDefinition<_mooring_v1_ListGroupsRequest, _mooring_v1_ListGroupsRequest__Output>
      ListGroupsResponse: MessageTypeDefinition<_mooring_v1_ListGroupsResponse, _mooring_v1_ListGroupsResponse__Output>
      ListTokensRequest: MessageTypeDefinition<_mooring_v1_ListTokensRequest, _mooring_v1_ListTokensRequest__Output>
      ListTokensResponse: MessageTypeDefinition<_mooring_v1_ListTokensResponse, _mooring_v1_ListTokensResponse__Output>
      ListUsersRequest: MessageTypeDefinition<_mooring_v1_ListUsersRequest, _mooring_v1_ListUsersRequest__Output>
      ListUsersResponse: MessageTypeDefinition<_mooring_v1_ListUsersResponse, _mooring_v1_ListUsersResponse__Output>
      RevokeTokenRequest: MessageTypeDefinition<_mooring_v1_RevokeTokenRequest, _mooring_v1_RevokeTokenRequest__Output>
      Role: EnumTypeDefinition
      SetUserRoleRequest: MessageTypeDefinition<_mooring_v1_SetUserRoleRequest, _mooring_v1_SetUserRoleRequest__Output>
      TenancyService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_TenancyServiceClient> & { service: _mooring_v1_TenancyServiceDefinition }
      Token: MessageTypeDefinition<_mooring_v1_Token, _mooring_v1_Token__Output>
      User: MessageTypeDefinition<_mooring_v1_User, _mooring_v1_User__Output>
      WhoAmIRequest: MessageTypeDefinition<_mooring_v1_WhoAmIRequest, _mooring_v1_WhoAmIRequest__Output>
    }
  }
}

