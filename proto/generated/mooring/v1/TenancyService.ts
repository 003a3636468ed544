// Original file: mooring/v1/tenancy.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateGroupRequest as _mooring_v1_CreateGroupRequest, CreateGroupRequest__Output as _mooring_v1_CreateGroupRequest__Output } from '../../mooring/v1/CreateGroupRequest.js';
import type { CreateTokenRequest as _mooring_v1_CreateTokenRequest, CreateTokenRequest__Output as _mooring_v1_CreateTokenRequest__Output } from '../../mooring/v1/CreateTokenRequest.js';
import type { CreateTokenResponse as _mooring_v1_CreateTokenResponse, CreateTokenResponse__Output as _mooring_v1_CreateTokenResponse__Output } from '../../mooring/v1/CreateTokenResponse.js';
import type { CreateUserRequest as _mooring_v1_CreateUserRequest, CreateUserRequest__Output as _mooring_v1_CreateUserRequest__Output } from '../../mooring/v1/CreateUserRequest.js';
import type { DeleteUserRequest as _mooring_v1_DeleteUserRequest, DeleteUserRequest__Output as _mooring_v1_DeleteUserRequest__Output } from '../../mooring/v1/DeleteUserRequest.js';
import type { DeleteUserResponse as _mooring_v1_DeleteUserResponse, DeleteUserResponse__Output as _mooring_v1_DeleteUserResponse__Output } from '../../mooring/v1/DeleteUserResponse.js';
import type { Group as _mooring_v1_Group, Group__Output as _mooring_v1_Group__Output } from '../../mooring/v1/Group.js';
import type { GroupMemberRequest as _mooring_v1_GroupMemberRequest, GroupMemberRequest__Output as _mooring_v1_GroupMemberRequest__Output } from '../../mooring/v1/GroupMemberRequest.js';
import type { ListGroupsRequest as _mooring_v1_ListGroupsRequest, ListGroupsRequest__Output as _mooring_v1_ListGroupsRequest__Output } from '../../mooring/v1/ListGroupsRequest.js';
import type { ListGroupsResponse as _mooring_v1_ListGroupsResponse, ListGroupsResponse__Output as _mooring_v1_ListGroupsResponse__Output } from '../../mooring/v1/ListGroupsResponse.js';
import type { ListTokensRequest as _mooring_v1_ListTokensRequest, ListTokensRequest__Output as _mooring_v1_ListTokensRequest__Output } from '../../mooring/v1/ListTokensRequest.js';
import type { ListTokensResponse as _mooring_v1_ListTokensResponse, ListTokensResponse__Output as _mooring_v1_ListTokensResponse__Output } from '../../mooring/v1/ListTokensResponse.js';
import type { ListUsersRequest as _mooring_v1_ListUsersRequest, ListUsersRequest__Output as _mooring_v1_ListUsersRequest__Output } from '../../mooring/v1/ListUsersRequest.js';
import type { ListUsersResponse as _mooring_v1_ListUsersResponse, ListUsersResponse__Output as _mooring_v1_ListUsersResponse__Output } from '../../mooring/v1/ListUsersResponse.js';
import type { RevokeTokenRequest as _mooring_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _mooring_v1_RevokeTokenRequest__Output } from '../../mooring/v1/RevokeTokenRequest.js';
import type { SetUserRoleRequest as _mooring_v1_SetUserRoleRequest, SetUserRoleRequest__Output as _mooring_v1_SetUserRoleRequest__Output } from '../../mooring/v1/SetUserRoleRequest.js';
import type { Token as _mooring_v1_Token, Token__Output as _mooring_v1_Token__Output } from '../../mooring/v1/Token.js';
import type { User as _mooring_v1_User, User__Output as _mooring_v1_User__Output } from '../../mooring/v1/User.js';
import type { WhoAmIRequest as _mooring_v1_WhoAmIRequest, WhoAmIRequest__Output as _mooring_v1_WhoAmIRequest__Output } from '../../mooring/v1/WhoAmIRequest.js';

export interface TenancyServiceClient extends grpc.Client {
  AddGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  AddGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  AddGroupMember(argument: _mooring_v1_GroupMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  AddGroupMember(argument: _mooring_v1_GroupMemberRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  addGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  addGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  addGroupMember(argument: _mooring_v1_GroupMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  addGroupMember(argument: _mooring_v1_GroupMemberRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  
  CreateGroup(argument: _mooring_v1_CreateGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  CreateGroup(argument: _mooring_v1_CreateGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  CreateGroup(argument: _mooring_v1_CreateGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  CreateGroup(argument: _mooring_v1_CreateGroupRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  createGroup(argument: _mooring_v1_CreateGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  createGroup(argument: _mooring_v1_CreateGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  createGroup(argument: _mooring_v1_CreateGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  createGroup(argument: _mooring_v1_CreateGroupRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  
  CreateToken(argument: _mooring_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _mooring_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _mooring_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _mooring_v1_CreateTokenRequest, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _mooring_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _mooring_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _mooring_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _mooring_v1_CreateTokenRequest, callback: grpc.requestCallback<_mooring_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  
  CreateUser(argument: _mooring_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _mooring_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _mooring_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  CreateUser(argument: _mooring_v1_CreateUserRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _mooring_v1_CreateUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _mooring_v1_CreateUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _mooring_v1_CreateUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  createUser(argument: _mooring_v1_CreateUserRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  
  DeleteUser(argument: _mooring_v1_DeleteUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _mooring_v1_DeleteUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _mooring_v1_DeleteUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  DeleteUser(argument: _mooring_v1_DeleteUserRequest, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _mooring_v1_DeleteUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _mooring_v1_DeleteUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _mooring_v1_DeleteUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  deleteUser(argument: _mooring_v1_DeleteUserRequest, callback: grpc.requestCallback<_mooring_v1_DeleteUserResponse__Output>): grpc.ClientUnaryCall;
  
  ListGroups(argument: _mooring_v1_ListGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _mooring_v1_ListGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _mooring_v1_ListGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _mooring_v1_ListGroupsRequest, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _mooring_v1_ListGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _mooring_v1_ListGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _mooring_v1_ListGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _mooring_v1_ListGroupsRequest, callback: grpc.requestCallback<_mooring_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTokens(argument: _mooring_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _mooring_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _mooring_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _mooring_v1_ListTokensRequest, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _mooring_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _mooring_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _mooring_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _mooring_v1_ListTokensRequest, callback: grpc.requestCallback<_mooring_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  
  ListUsers(argument: _mooring_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _mooring_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _mooring_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _mooring_v1_ListUsersRequest, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _mooring_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _mooring_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _mooring_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _mooring_v1_ListUsersRequest, callback: grpc.requestCallback<_mooring_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  RemoveGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  RemoveGroupMember(argument: _mooring_v1_GroupMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  RemoveGroupMember(argument: _mooring_v1_GroupMemberRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  removeGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  removeGroupMember(argument: _mooring_v1_GroupMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  removeGroupMember(argument: _mooring_v1_GroupMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  removeGroupMember(argument: _mooring_v1_GroupMemberRequest, callback: grpc.requestCallback<_mooring_v1_Group__Output>): grpc.ClientUnaryCall;
  
  RevokeToken(argument: _mooring_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _mooring_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _mooring_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _mooring_v1_RevokeTokenRequest, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _mooring_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _mooring_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _mooring_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _mooring_v1_RevokeTokenRequest, callback: grpc.requestCallback<_mooring_v1_Token__Output>): grpc.ClientUnaryCall;
  
  SetUserRole(argument: _mooring_v1_SetUserRoleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  SetUserRole(argument: _mooring_v1_SetUserRoleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  SetUserRole(argument: _mooring_v1_SetUserRoleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  SetUserRole(argument: _mooring_v1_SetUserRoleRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  setUserRole(argument: _mooring_v1_SetUserRoleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  setUserRole(argument: _mooring_v1_SetUserRoleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  setUserRole(argument: _mooring_v1_SetUserRoleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  setUserRole(argument: _mooring_v1_SetUserRoleRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  
  WhoAmI(argument: _mooring_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _mooring_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _mooring_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _mooring_v1_WhoAmIRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _mooring_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _mooring_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _mooring_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _mooring_v1_WhoAmIRequest, callback: grpc.requestCallback<_mooring_v1_User__Output>): grpc.ClientUnaryCall;
  
}

export interface TenancyServiceHandlers extends grpc.UntypedServiceImplementation {
  AddGroupMember: grpc.handleUnaryCall<_mooring_v1_GroupMemberRequest__Output, _mooring_v1_Group>;
  
  CreateGroup: grpc.handleUnaryCall<_mooring_v1_CreateGroupRequest__Output, _mooring_v1_Group>;
  
  CreateToken: grpc.handleUnaryCall<_mooring_v1_CreateTokenRequest__Output, _mooring_v1_CreateTokenResponse>;
  
  CreateUser: grpc.handleUnaryCall<_mooring_v1_CreateUserRequest__Output, _mooring_v1_User>;
  
  DeleteUser: grpc.handleUnaryCall<_mooring_v1_DeleteUserRequest__Output, _mooring_v1_DeleteUserResponse>;
  
  ListGroups: grpc.handleUnaryCall<_mooring_v1_ListGroupsRequest__Output, _mooring_v1_ListGroupsResponse>;
  
  ListTokens: grpc.handleUnaryCall<_mooring_v1_ListTokensRequest__Output, _mooring_v1_ListTokensResponse>;
  
  ListUsers: grpc.handleUnaryCall<_mooring_v1_ListUsersRequest__Output, _mooring_v1_ListUsersResponse>;
  
  RemoveGroupMember: grpc.handleUnaryCall<_mooring_v1_GroupMemberRequest__Output, _mooring_v1_Group>;
  
  RevokeToken: grpc.handleUnaryCall<_mooring_v1_RevokeTokenRequest__Output, _mooring_v1_Token>;
  
  SetUserRole: grpc.handleUnaryCall<_mooring_v1_SetUserRoleRequest__Output, _mooring_v1_User>;
  
  WhoAmI: grpc.handleUnaryCall<_mooring_v1_WhoAmIRequest__Output, _mooring_v1_User>;
  
}

export interface TenancyServiceDefinition extends grpc.ServiceDefinition {
  AddGroupMember: MethodDefinition<_mooring_v1_GroupMemberRequest, _mooring_v1_Group, _mooring_v1_GroupMemberRequest__Output, _mooring_v1_Group__Output>
  CreateGroup: MethodDefinition<_mooring_v1_CreateGroupRequest, _mooring_v1_Group, _mooring_v1_CreateGroupRequest__Output, _mooring_v1_Group__Output>
  CreateToken: MethodDefinition<_mooring_v1_CreateTokenRequest, _mooring_v1_CreateTokenResponse, _mooring_v1_CreateTokenRequest__Output, _mooring_v1_CreateTokenResponse__Output>
  CreateUser: MethodDefinition<_mooring_v1_CreateUserRequest, _mooring_v1_User, _mooring_v1_CreateUserRequest__Output, _mooring_v1_User__Output>
  DeleteUser: MethodDefinition<_mooring_v1_DeleteUserRequest, _mooring_v1_DeleteUserResponse, _mooring_v1_DeleteUserRequest__Output, _mooring_v1_DeleteUserResponse__Output>
  ListGroups: MethodDefinition<_mooring_v1_ListGroupsRequest, _mooring_v1_ListGroupsResponse, _mooring_v1_ListGroupsRequest__Output, _mooring_v1_ListGroupsResponse__Output>
  ListTokens: MethodDefinition<_mooring_v1_ListTokensRequest, _mooring_v1_ListTokensResponse, _mooring_v1_ListTokensRequest__Output, _mooring_v1_ListTokensResponse__Output>
  ListUsers: MethodDefinition<_mooring_v1_ListUsersRequest, _mooring_v1_ListUsersResponse, _mooring_v1_ListUsersRequest__Output, _mooring_v1_ListUsersResponse__Output>
  RemoveGroupMember: MethodDefinition<_mooring_v1_GroupMemberRequest, _mooring_v1_Group, _mooring_v1_GroupMemberRequest__Output, _mooring_v1_Group__Output>
  RevokeToken: MethodDefinition<_mooring_v1_RevokeTokenRequest, _mooring_v1_Token, _mooring_v1_RevokeTokenRequest__Output, _mooring_v1_Token__Output>
  SetUserRole: MethodDefinition<_mooring_v1_SetUserRoleRequest, _mooring_v1_User, _mooring_v1_SetUserRoleRequest__Output, _mooring_v1_User__Output>
  WhoAmI: MethodDefinition<_mooring_v1_WhoAmIRequest, _mooring_v1_User, _mooring_v1_WhoAmIRequest__Output, _mooring_v1_User__Output>
}
