// Original file: mooring/v1/networks.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddRuleRequest as _mooring_v1_AddRuleRequest, AddRuleRequest__Output as _mooring_v1_AddRuleRequest__Output } from '../../mooring/v1/AddRuleRequest.js';
import type { AddRuleResponse as _mooring_v1_AddRuleResponse, AddRuleResponse__Output as _mooring_v1_AddRuleResponse__Output } from '../../mooring/v1/AddRuleResponse.js';
import type { CreateSecurityGroupRequest as _mooring_v1_CreateSecurityGroupRequest, CreateSecurityGroupRequest__Output as _mooring_v1_CreateSecurityGroupRequest__Output } from '../../mooring/v1/CreateSecurityGroupRequest.js';
import type { DeleteRuleRequest as _mooring_v1_DeleteRuleRequest, DeleteRuleRequest__Output as _mooring_v1_DeleteRuleRequest__Output } from '../../mooring/v1/DeleteRuleRequest.js';
import type { DeleteSecurityGroupResponse as _mooring_v1_DeleteSecurityGroupResponse, DeleteSecurityGroupResponse__Output as _mooring_v1_DeleteSecurityGroupResponse__Output } from '../../mooring/v1/DeleteSecurityGroupResponse.js';
import type { ListSecurityGroupsRequest as _mooring_v1_ListSecurityGroupsRequest, ListSecurityGroupsRequest__Output as _mooring_v1_ListSecurityGroupsRequest__Output } from '../../mooring/v1/ListSecurityGroupsRequest.js';
import type { ListSecurityGroupsResponse as _mooring_v1_ListSecurityGroupsResponse, ListSecurityGroupsResponse__Output as _mooring_v1_ListSecurityGroupsResponse__Output } from '../../mooring/v1/ListSecurityGroupsResponse.js';
import type { SecurityGroup as _mooring_v1_SecurityGroup, SecurityGroup__Output as _mooring_v1_SecurityGroup__Output } from '../../mooring/v1/SecurityGroup.js';
import type { SecurityGroupRef as _mooring_v1_SecurityGroupRef, SecurityGroupRef__Output as _mooring_v1_SecurityGroupRef__Output } from '../../mooring/v1/SecurityGroupRef.js';

export interface SecurityGroupServiceClient extends grpc.Client {
  AddRule(argument: _mooring_v1_AddRuleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  AddRule(argument: _mooring_v1_AddRuleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  AddRule(argument: _mooring_v1_AddRuleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  AddRule(argument: _mooring_v1_AddRuleRequest, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  addRule(argument: _mooring_v1_AddRuleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  addRule(argument: _mooring_v1_AddRuleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  addRule(argument: _mooring_v1_AddRuleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  addRule(argument: _mooring_v1_AddRuleRequest, callback: grpc.requestCallback<_mooring_v1_AddRuleResponse__Output>): grpc.ClientUnaryCall;
  
  CreateSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  CreateSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  CreateSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  CreateSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  createSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  createSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  createSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  createSecurityGroup(argument: _mooring_v1_CreateSecurityGroupRequest, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  
  DeleteRule(argument: _mooring_v1_DeleteRuleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  DeleteRule(argument: _mooring_v1_DeleteRuleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  DeleteRule(argument: _mooring_v1_DeleteRuleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  DeleteRule(argument: _mooring_v1_DeleteRuleRequest, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  deleteRule(argument: _mooring_v1_DeleteRuleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  deleteRule(argument: _mooring_v1_DeleteRuleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  deleteRule(argument: _mooring_v1_DeleteRuleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  deleteRule(argument: _mooring_v1_DeleteRuleRequest, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  
  /**
   * Refused while ports are in the group or other groups' rules name it.
   */
  DeleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Refused while ports are in the group or other groups' rules name it.
   */
  deleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSecurityGroup(argument: _mooring_v1_SecurityGroupRef, callback: grpc.requestCallback<_mooring_v1_DeleteSecurityGroupResponse__Output>): grpc.ClientUnaryCall;
  
  GetSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  GetSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  GetSecurityGroup(argument: _mooring_v1_SecurityGroupRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  GetSecurityGroup(argument: _mooring_v1_SecurityGroupRef, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  getSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  getSecurityGroup(argument: _mooring_v1_SecurityGroupRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  getSecurityGroup(argument: _mooring_v1_SecurityGroupRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  getSecurityGroup(argument: _mooring_v1_SecurityGroupRef, callback: grpc.requestCallback<_mooring_v1_SecurityGroup__Output>): grpc.ClientUnaryCall;
  
  ListSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSecurityGroups(argument: _mooring_v1_ListSecurityGroupsRequest, callback: grpc.requestCallback<_mooring_v1_ListSecurityGroupsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SecurityGroupServiceHandlers extends grpc.UntypedServiceImplementation {
  AddRule: grpc.handleUnaryCall<_mooring_v1_AddRuleRequest__Output, _mooring_v1_AddRuleResponse>;
  
  CreateSecurityGroup: grpc.handleUnaryCall<_mooring_v1_CreateSecurityGroupRequest__Output, _mooring_v1_SecurityGroup>;
  
  DeleteRule: grpc.handleUnaryCall<_mooring_v1_DeleteRuleRequest__Output, _mooring_v1_SecurityGroup>;
  
  /**
   * Refused while ports are in the group or other groups' rules name it.
   */
  DeleteSecurityGroup: grpc.handleUnaryCall<_mooring_v1_SecurityGroupRef__Output, _mooring_v1_DeleteSecurityGroupResponse>;
  
  GetSecurityGroup: grpc.handleUnaryCall<_mooring_v1_SecurityGroupRef__Output, _mooring_v1_SecurityGroup>;
  
  ListSecurityGroups: grpc.handleUnaryCall<_mooring_v1_ListSecurityGroupsRequest__Output, _mooring_v1_ListSecurityGroupsResponse>;
  
}

export interface SecurityGroupServiceDefinition extends grpc.ServiceDefinition {
  AddRule: MethodDefinition<_mooring_v1_AddRuleRequest, _mooring_v1_AddRuleResponse, _mooring_v1_AddRuleRequest__Output, _mooring_v1_AddRuleResponse__Output>
  CreateSecurityGroup: MethodDefinition<_mooring_v1_CreateSecurityGroupRequest, _mooring_v1_SecurityGroup, _mooring_v1_CreateSecurityGroupRequest__Output, _mooring_v1_SecurityGroup__Output>
  DeleteRule: MethodDefinition<_mooring_v1_DeleteRuleRequest, _mooring_v1_SecurityGroup, _mooring_v1_DeleteRuleRequest__Output, _mooring_v1_SecurityGroup__Output>
  DeleteSecurityGroup: MethodDefinition<_mooring_v1_SecurityGroupRef, _mooring_v1_DeleteSecurityGroupResponse, _mooring_v1_SecurityGroupRef__Output, _mooring_v1_DeleteSecurityGroupResponse__Output>
  GetSecurityGroup: MethodDefinition<_mooring_v1_SecurityGroupRef, _mooring_v1_SecurityGroup, _mooring_v1_SecurityGroupRef__Output, _mooring_v1_SecurityGroup__Output>
  ListSecurityGroups: MethodDefinition<_mooring_v1_ListSecurityGroupsRequest, _mooring_v1_ListSecurityGroupsResponse, _mooring_v1_ListSecurityGroupsRequest__Output, _mooring_v1_ListSecurityGroupsResponse__Output>
}
