// Original file: mooring/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _mooring_v1_AgentMessage, AgentMessage__Output as _mooring_v1_AgentMessage__Output } from '../../mooring/v1/AgentMessage.js';
import type { CoordinatorMessage as _mooring_v1_CoordinatorMessage, CoordinatorMessage__Output as _mooring_v1_CoordinatorMessage__Output } from '../../mooring/v1/CoordinatorMessage.js';
import type { EnrollRequest as _mooring_v1_EnrollRequest, EnrollRequest__Output as _mooring_v1_EnrollRequest__Output } from '../../mooring/v1/EnrollRequest.js';
import type { EnrollResponse as _mooring_v1_EnrollResponse, EnrollResponse__Output as _mooring_v1_EnrollResponse__Output } from '../../mooring/v1/EnrollResponse.js';
import type { RenewRequest as _mooring_v1_RenewRequest, RenewRequest__Output as _mooring_v1_RenewRequest__Output } from '../../mooring/v1/RenewRequest.js';
import type { RenewResponse as _mooring_v1_RenewResponse, RenewResponse__Output as _mooring_v1_RenewResponse__Output } from '../../mooring/v1/RenewResponse.js';

export interface AgentServiceClient extends grpc.Client {
  /**
   * Authorised by a single-use, expiring enrollment token (no client certificate yet). The CSR's
   * subject common name must be the agent name the token was created for.
   */
  Enroll(argument: _mooring_v1_EnrollRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _mooring_v1_EnrollRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _mooring_v1_EnrollRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _mooring_v1_EnrollRequest, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Authorised by a single-use, expiring enrollment token (no client certificate yet). The CSR's
   * subject common name must be the agent name the token was created for.
   */
  enroll(argument: _mooring_v1_EnrollRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _mooring_v1_EnrollRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _mooring_v1_EnrollRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _mooring_v1_EnrollRequest, callback: grpc.requestCallback<_mooring_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * mTLS with the current certificate: a new certificate for a new key, before the old one expires.
   */
  Renew(argument: _mooring_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _mooring_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _mooring_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _mooring_v1_RenewRequest, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  /**
   * mTLS with the current certificate: a new certificate for a new key, before the old one expires.
   */
  renew(argument: _mooring_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _mooring_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _mooring_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _mooring_v1_RenewRequest, callback: grpc.requestCallback<_mooring_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * mTLS: the session. The agent speaks first (hello); each session gets an epoch one higher than
   * the agent's previous one.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mooring_v1_AgentMessage, _mooring_v1_CoordinatorMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mooring_v1_AgentMessage, _mooring_v1_CoordinatorMessage__Output>;
  /**
   * mTLS: the session. The agent speaks first (hello); each session gets an epoch one higher than
   * the agent's previous one.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_mooring_v1_AgentMessage, _mooring_v1_CoordinatorMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_mooring_v1_AgentMessage, _mooring_v1_CoordinatorMessage__Output>;
  
}

export interface AgentServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Authorised by a single-use, expiring enrollment token (no client certificate yet). The CSR's
   * subject common name must be the agent name the token was created for.
   */
  Enroll: grpc.handleUnaryCall<_mooring_v1_EnrollRequest__Output, _mooring_v1_EnrollResponse>;
  
  /**
   * mTLS with the current certificate: a new certificate for a new key, before the old one expires.
   */
  Renew: grpc.handleUnaryCall<_mooring_v1_RenewRequest__Output, _mooring_v1_RenewResponse>;
  
  /**
   * mTLS: the session. The agent speaks first (hello); each session gets an epoch one higher than
   * the agent's previous one.
   */
  Session: grpc.handleBidiStreamingCall<_mooring_v1_AgentMessage__Output, _mooring_v1_CoordinatorMessage>;
  
}

export interface AgentServiceDefinition extends grpc.ServiceDefinition {
  Enroll: MethodDefinition<_mooring_v1_EnrollRequest, _mooring_v1_EnrollResponse, _mooring_v1_EnrollRequest__Output, _mooring_v1_EnrollResponse__Output>
  Renew: MethodDefinition<_mooring_v1_RenewRequest, _mooring_v1_RenewResponse, _mooring_v1_RenewRequest__Output, _mooring_v1_RenewResponse__Output>
  Session: MethodDefinition<_mooring_v1_AgentMessage, _mooring_v1_CoordinatorMessage, _mooring_v1_AgentMessage__Output, _mooring_v1_CoordinatorMessage__Output>
}
