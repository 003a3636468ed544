// Original file: mooring/v1/ports.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreatePortRequest as _mooring_v1_CreatePortRequest, CreatePortRequest__Output as _mooring_v1_CreatePortRequest__Output } from '../../mooring/v1/CreatePortRequest.js';
import type { DeletePortResponse as _mooring_v1_DeletePortResponse, DeletePortResponse__Output as _mooring_v1_DeletePortResponse__Output } from '../../mooring/v1/DeletePortResponse.js';
import type { ListPortsRequest as _mooring_v1_ListPortsRequest, ListPortsRequest__Output as _mooring_v1_ListPortsRequest__Output } from '../../mooring/v1/ListPortsRequest.js';
import type { ListPortsResponse as _mooring_v1_ListPortsResponse, ListPortsResponse__Output as _mooring_v1_ListPortsResponse__Output } from '../../mooring/v1/ListPortsResponse.js';
import type { PortInfo as _mooring_v1_PortInfo, PortInfo__Output as _mooring_v1_PortInfo__Output } from '../../mooring/v1/PortInfo.js';
import type { PortRef as _mooring_v1_PortRef, PortRef__Output as _mooring_v1_PortRef__Output } from '../../mooring/v1/PortRef.js';
import type { UpdatePortRequest as _mooring_v1_UpdatePortRequest, UpdatePortRequest__Output as _mooring_v1_UpdatePortRequest__Output } from '../../mooring/v1/UpdatePortRequest.js';

export interface PortServiceClient extends grpc.Client {
  CreatePort(argument: _mooring_v1_CreatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  CreatePort(argument: _mooring_v1_CreatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  CreatePort(argument: _mooring_v1_CreatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  CreatePort(argument: _mooring_v1_CreatePortRequest, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  createPort(argument: _mooring_v1_CreatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  createPort(argument: _mooring_v1_CreatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  createPort(argument: _mooring_v1_CreatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  createPort(argument: _mooring_v1_CreatePortRequest, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  
  DeletePort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _mooring_v1_PortRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _mooring_v1_PortRef, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _mooring_v1_PortRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _mooring_v1_PortRef, callback: grpc.requestCallback<_mooring_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  
  GetPort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  GetPort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  GetPort(argument: _mooring_v1_PortRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  GetPort(argument: _mooring_v1_PortRef, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  getPort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  getPort(argument: _mooring_v1_PortRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  getPort(argument: _mooring_v1_PortRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  getPort(argument: _mooring_v1_PortRef, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  
  ListPorts(argument: _mooring_v1_ListPortsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  ListPorts(argument: _mooring_v1_ListPortsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  ListPorts(argument: _mooring_v1_ListPortsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  ListPorts(argument: _mooring_v1_ListPortsRequest, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  listPorts(argument: _mooring_v1_ListPortsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  listPorts(argument: _mooring_v1_ListPortsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  listPorts(argument: _mooring_v1_ListPortsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  listPorts(argument: _mooring_v1_ListPortsRequest, callback: grpc.requestCallback<_mooring_v1_ListPortsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdatePort(argument: _mooring_v1_UpdatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _mooring_v1_UpdatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _mooring_v1_UpdatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _mooring_v1_UpdatePortRequest, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _mooring_v1_UpdatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _mooring_v1_UpdatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _mooring_v1_UpdatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _mooring_v1_UpdatePortRequest, callback: grpc.requestCallback<_mooring_v1_PortInfo__Output>): grpc.ClientUnaryCall;
  
}

export interface PortServiceHandlers extends grpc.UntypedServiceImplementation {
  CreatePort: grpc.handleUnaryCall<_mooring_v1_CreatePortRequest__Output, _mooring_v1_PortInfo>;
  
  DeletePort: grpc.handleUnaryCall<_mooring_v1_PortRef__Output, _mooring_v1_DeletePortResponse>;
  
  GetPort: grpc.handleUnaryCall<_mooring_v1_PortRef__Output, _mooring_v1_PortInfo>;
  
  ListPorts: grpc.handleUnaryCall<_mooring_v1_ListPortsRequest__Output, _mooring_v1_ListPortsResponse>;
  
  UpdatePort: grpc.handleUnaryCall<_mooring_v1_UpdatePortRequest__Output, _mooring_v1_PortInfo>;
  
}

export interface PortServiceDefinition extends grpc.ServiceDefinition {
  CreatePort: MethodDefinition<_mooring_v1_CreatePortRequest, _mooring_v1_PortInfo, _mooring_v1_CreatePortRequest__Output, _mooring_v1_PortInfo__Output>
  DeletePort: MethodDefinition<_mooring_v1_PortRef, _mooring_v1_DeletePortResponse, _mooring_v1_PortRef__Output, _mooring_v1_DeletePortResponse__Output>
  GetPort: MethodDefinition<_mooring_v1_PortRef, _mooring_v1_PortInfo, _mooring_v1_PortRef__Output, _mooring_v1_PortInfo__Output>
  ListPorts: MethodDefinition<_mooring_v1_ListPortsRequest, _mooring_v1_ListPortsResponse, _mooring_v1_ListPortsRequest__Output, _mooring_v1_ListPortsResponse__Output>
  UpdatePort: MethodDefinition<_mooring_v1_UpdatePortRequest, _mooring_v1_PortInfo, _mooring_v1_UpdatePortRequest__Output, _mooring_v1_PortInfo__Output>
}
