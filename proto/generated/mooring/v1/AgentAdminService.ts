// Original file: mooring/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentBindPortRequest as _mooring_v1_AgentBindPortRequest, AgentBindPortRequest__Output as _mooring_v1_AgentBindPortRequest__Output } from '../../mooring/v1/AgentBindPortRequest.js';
import type { AgentCommandResponse as _mooring_v1_AgentCommandResponse, AgentCommandResponse__Output as _mooring_v1_AgentCommandResponse__Output } from '../../mooring/v1/AgentCommandResponse.js';
import type { AgentInfo as _mooring_v1_AgentInfo, AgentInfo__Output as _mooring_v1_AgentInfo__Output } from '../../mooring/v1/AgentInfo.js';
import type { AgentSriovGetRequest as _mooring_v1_AgentSriovGetRequest, AgentSriovGetRequest__Output as _mooring_v1_AgentSriovGetRequest__Output } from '../../mooring/v1/AgentSriovGetRequest.js';
import type { AgentSriovResponse as _mooring_v1_AgentSriovResponse, AgentSriovResponse__Output as _mooring_v1_AgentSriovResponse__Output } from '../../mooring/v1/AgentSriovResponse.js';
import type { AgentSriovSetRequest as _mooring_v1_AgentSriovSetRequest, AgentSriovSetRequest__Output as _mooring_v1_AgentSriovSetRequest__Output } from '../../mooring/v1/AgentSriovSetRequest.js';
import type { AgentUnbindPortRequest as _mooring_v1_AgentUnbindPortRequest, AgentUnbindPortRequest__Output as _mooring_v1_AgentUnbindPortRequest__Output } from '../../mooring/v1/AgentUnbindPortRequest.js';
import type { CreateEnrollmentTokenRequest as _mooring_v1_CreateEnrollmentTokenRequest, CreateEnrollmentTokenRequest__Output as _mooring_v1_CreateEnrollmentTokenRequest__Output } from '../../mooring/v1/CreateEnrollmentTokenRequest.js';
import type { CreateEnrollmentTokenResponse as _mooring_v1_CreateEnrollmentTokenResponse, CreateEnrollmentTokenResponse__Output as _mooring_v1_CreateEnrollmentTokenResponse__Output } from '../../mooring/v1/CreateEnrollmentTokenResponse.js';
import type { GetAgentRequest as _mooring_v1_GetAgentRequest, GetAgentRequest__Output as _mooring_v1_GetAgentRequest__Output } from '../../mooring/v1/GetAgentRequest.js';
import type { ListAgentsRequest as _mooring_v1_ListAgentsRequest, ListAgentsRequest__Output as _mooring_v1_ListAgentsRequest__Output } from '../../mooring/v1/ListAgentsRequest.js';
import type { ListAgentsResponse as _mooring_v1_ListAgentsResponse, ListAgentsResponse__Output as _mooring_v1_ListAgentsResponse__Output } from '../../mooring/v1/ListAgentsResponse.js';
import type { ListCoordinatorsRequest as _mooring_v1_ListCoordinatorsRequest, ListCoordinatorsRequest__Output as _mooring_v1_ListCoordinatorsRequest__Output } from '../../mooring/v1/ListCoordinatorsRequest.js';
import type { ListCoordinatorsResponse as _mooring_v1_ListCoordinatorsResponse, ListCoordinatorsResponse__Output as _mooring_v1_ListCoordinatorsResponse__Output } from '../../mooring/v1/ListCoordinatorsResponse.js';
import type { RevokeAgentRequest as _mooring_v1_RevokeAgentRequest, RevokeAgentRequest__Output as _mooring_v1_RevokeAgentRequest__Output } from '../../mooring/v1/RevokeAgentRequest.js';

export interface AgentAdminServiceClient extends grpc.Client {
  /**
   * Admins: bind or unbind a port on the agent's integration bridge; answers when it is active or gone.
   */
  BindPort(argument: _mooring_v1_AgentBindPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  BindPort(argument: _mooring_v1_AgentBindPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  BindPort(argument: _mooring_v1_AgentBindPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  BindPort(argument: _mooring_v1_AgentBindPortRequest, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Admins: bind or unbind a port on the agent's integration bridge; answers when it is active or gone.
   */
  bindPort(argument: _mooring_v1_AgentBindPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  bindPort(argument: _mooring_v1_AgentBindPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  bindPort(argument: _mooring_v1_AgentBindPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  bindPort(argument: _mooring_v1_AgentBindPortRequest, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Admins: a single-use, expiring token for enrolling agent `name`. Shown once.
   */
  CreateEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Admins: a single-use, expiring token for enrolling agent `name`. Shown once.
   */
  createEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  createEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  createEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  createEnrollmentToken(argument: _mooring_v1_CreateEnrollmentTokenRequest, callback: grpc.requestCallback<_mooring_v1_CreateEnrollmentTokenResponse__Output>): grpc.ClientUnaryCall;
  
  GetAgent(argument: _mooring_v1_GetAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  GetAgent(argument: _mooring_v1_GetAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  GetAgent(argument: _mooring_v1_GetAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  GetAgent(argument: _mooring_v1_GetAgentRequest, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  getAgent(argument: _mooring_v1_GetAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  getAgent(argument: _mooring_v1_GetAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  getAgent(argument: _mooring_v1_GetAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  getAgent(argument: _mooring_v1_GetAgentRequest, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  
  GetSriov(argument: _mooring_v1_AgentSriovGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  GetSriov(argument: _mooring_v1_AgentSriovGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  GetSriov(argument: _mooring_v1_AgentSriovGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  GetSriov(argument: _mooring_v1_AgentSriovGetRequest, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  getSriov(argument: _mooring_v1_AgentSriovGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  getSriov(argument: _mooring_v1_AgentSriovGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  getSriov(argument: _mooring_v1_AgentSriovGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  getSriov(argument: _mooring_v1_AgentSriovGetRequest, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  
  ListAgents(argument: _mooring_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _mooring_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _mooring_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _mooring_v1_ListAgentsRequest, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _mooring_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _mooring_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _mooring_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _mooring_v1_ListAgentsRequest, callback: grpc.requestCallback<_mooring_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Admins and observers: the live coordinators sharing the fleet's store (one on LMDB), the
   * duties each holds and the agents whose sessions it holds. Members: PERMISSION_DENIED.
   */
  ListCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  ListCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  ListCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  ListCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Admins and observers: the live coordinators sharing the fleet's store (one on LMDB), the
   * duties each holds and the agents whose sessions it holds. Members: PERMISSION_DENIED.
   */
  listCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  listCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  listCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  listCoordinators(argument: _mooring_v1_ListCoordinatorsRequest, callback: grpc.requestCallback<_mooring_v1_ListCoordinatorsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Admins: the coordinator refuses the agent's certificates from now on and ends its session.
   */
  RevokeAgent(argument: _mooring_v1_RevokeAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  RevokeAgent(argument: _mooring_v1_RevokeAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  RevokeAgent(argument: _mooring_v1_RevokeAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  RevokeAgent(argument: _mooring_v1_RevokeAgentRequest, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  /**
   * Admins: the coordinator refuses the agent's certificates from now on and ends its session.
   */
  revokeAgent(argument: _mooring_v1_RevokeAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  revokeAgent(argument: _mooring_v1_RevokeAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  revokeAgent(argument: _mooring_v1_RevokeAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  revokeAgent(argument: _mooring_v1_RevokeAgentRequest, callback: grpc.requestCallback<_mooring_v1_AgentInfo__Output>): grpc.ClientUnaryCall;
  
  /**
   * Admins: store an agent's desired SR-IOV state for one PF and have the agent apply it (sriov.proto).
   */
  SetSriov(argument: _mooring_v1_AgentSriovSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  SetSriov(argument: _mooring_v1_AgentSriovSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  SetSriov(argument: _mooring_v1_AgentSriovSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  SetSriov(argument: _mooring_v1_AgentSriovSetRequest, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Admins: store an agent's desired SR-IOV state for one PF and have the agent apply it (sriov.proto).
   */
  setSriov(argument: _mooring_v1_AgentSriovSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  setSriov(argument: _mooring_v1_AgentSriovSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  setSriov(argument: _mooring_v1_AgentSriovSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  setSriov(argument: _mooring_v1_AgentSriovSetRequest, callback: grpc.requestCallback<_mooring_v1_AgentSriovResponse__Output>): grpc.ClientUnaryCall;
  
  UnbindPort(argument: _mooring_v1_AgentUnbindPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  UnbindPort(argument: _mooring_v1_AgentUnbindPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  UnbindPort(argument: _mooring_v1_AgentUnbindPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  UnbindPort(argument: _mooring_v1_AgentUnbindPortRequest, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  unbindPort(argument: _mooring_v1_AgentUnbindPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  unbindPort(argument: _mooring_v1_AgentUnbindPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  unbindPort(argument: _mooring_v1_AgentUnbindPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  unbindPort(argument: _mooring_v1_AgentUnbindPortRequest, callback: grpc.requestCallback<_mooring_v1_AgentCommandResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AgentAdminServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Admins: bind or unbind a port on the agent's integration bridge; answers when it is active or gone.
   */
  BindPort: grpc.handleUnaryCall<_mooring_v1_AgentBindPortRequest__Output, _mooring_v1_AgentCommandResponse>;
  
  /**
   * Admins: a single-use, expiring token for enrolling agent `name`. Shown once.
   */
  CreateEnrollmentToken: grpc.handleUnaryCall<_mooring_v1_CreateEnrollmentTokenRequest__Output, _mooring_v1_CreateEnrollmentTokenResponse>;
  
  GetAgent: grpc.handleUnaryCall<_mooring_v1_GetAgentRequest__Output, _mooring_v1_AgentInfo>;
  
  GetSriov: grpc.handleUnaryCall<_mooring_v1_AgentSriovGetRequest__Output, _mooring_v1_AgentSriovResponse>;
  
  ListAgents: grpc.handleUnaryCall<_mooring_v1_ListAgentsRequest__Output, _mooring_v1_ListAgentsResponse>;
  
  /**
   * Admins and observers: the live coordinators sharing the fleet's store (one on LMDB), the
   * duties each holds and the agents whose sessions it holds. Members: PERMISSION_DENIED.
   */
  ListCoordinators: grpc.handleUnaryCall<_mooring_v1_ListCoordinatorsRequest__Output, _mooring_v1_ListCoordinatorsResponse>;
  
  /**
   * Admins: the coordinator refuses the agent's certificates from now on and ends its session.
   */
  RevokeAgent: grpc.handleUnaryCall<_mooring_v1_RevokeAgentRequest__Output, _mooring_v1_AgentInfo>;
  
  /**
   * Admins: store an agent's desired SR-IOV state for one PF and have the agent apply it (sriov.proto).
   */
  SetSriov: grpc.handleUnaryCall<_mooring_v1_AgentSriovSetRequest__Output, _mooring_v1_AgentSriovResponse>;
  
  UnbindPort: grpc.handleUnaryCall<_mooring_v1_AgentUnbindPortRequest__Output, _mooring_v1_AgentCommandResponse>;
  
}

export interface AgentAdminServiceDefinition extends grpc.ServiceDefinition {
  BindPort: MethodDefinition<_mooring_v1_AgentBindPortRequest, _mooring_v1_AgentCommandResponse, _mooring_v1_AgentBindPortRequest__Output, _mooring_v1_AgentCommandResponse__Output>
  CreateEnrollmentToken: MethodDefinition<_mooring_v1_CreateEnrollmentTokenRequest, _mooring_v1_CreateEnrollmentTokenResponse, _mooring_v1_CreateEnrollmentTokenRequest__Output, _mooring_v1_CreateEnrollmentTokenResponse__Output>
  GetAgent: MethodDefinition<_mooring_v1_GetAgentRequest, _mooring_v1_AgentInfo, _mooring_v1_GetAgentRequest__Output, _mooring_v1_AgentInfo__Output>
  GetSriov: MethodDefinition<_mooring_v1_AgentSriovGetRequest, _mooring_v1_AgentSriovResponse, _mooring_v1_AgentSriovGetRequest__Output, _mooring_v1_AgentSriovResponse__Output>
  ListAgents: MethodDefinition<_mooring_v1_ListAgentsRequest, _mooring_v1_ListAgentsResponse, _mooring_v1_ListAgentsRequest__Output, _mooring_v1_ListAgentsResponse__Output>
  ListCoordinators: MethodDefinition<_mooring_v1_ListCoordinatorsRequest, _mooring_v1_ListCoordinatorsResponse, _mooring_v1_ListCoordinatorsRequest__Output, _mooring_v1_ListCoordinatorsResponse__Output>
  RevokeAgent: MethodDefinition<_mooring_v1_RevokeAgentRequest, _mooring_v1_AgentInfo, _mooring_v1_RevokeAgentRequest__Output, _mooring_v1_AgentInfo__Output>
  SetSriov: MethodDefinition<_mooring_v1_AgentSriovSetRequest, _mooring_v1_AgentSriovResponse, _mooring_v1_AgentSriovSetRequest__Output, _mooring_v1_AgentSriovResponse__Output>
  UnbindPort: MethodDefinition<_mooring_v1_AgentUnbindPortRequest, _mooring_v1_AgentCommandResponse, _mooring_v1_AgentUnbindPortRequest__Output, _mooring_v1_AgentCommandResponse__Output>
}
