// Original file: mooring/v1/networks.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateNetworkRequest as _mooring_v1_CreateNetworkRequest, CreateNetworkRequest__Output as _mooring_v1_CreateNetworkRequest__Output } from '../../mooring/v1/CreateNetworkRequest.js';
import type { DeleteNetworkResponse as _mooring_v1_DeleteNetworkResponse, DeleteNetworkResponse__Output as _mooring_v1_DeleteNetworkResponse__Output } from '../../mooring/v1/DeleteNetworkResponse.js';
import type { ListNetworksRequest as _mooring_v1_ListNetworksRequest, ListNetworksRequest__Output as _mooring_v1_ListNetworksRequest__Output } from '../../mooring/v1/ListNetworksRequest.js';
import type { ListNetworksResponse as _mooring_v1_ListNetworksResponse, ListNetworksResponse__Output as _mooring_v1_ListNetworksResponse__Output } from '../../mooring/v1/ListNetworksResponse.js';
import type { Network as _mooring_v1_Network, Network__Output as _mooring_v1_Network__Output } from '../../mooring/v1/Network.js';
import type { NetworkRef as _mooring_v1_NetworkRef, NetworkRef__Output as _mooring_v1_NetworkRef__Output } from '../../mooring/v1/NetworkRef.js';

export interface NetworkServiceClient extends grpc.Client {
  CreateNetwork(argument: _mooring_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _mooring_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _mooring_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _mooring_v1_CreateNetworkRequest, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _mooring_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _mooring_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _mooring_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _mooring_v1_CreateNetworkRequest, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  
  /**
   * Refused (FAILED_PRECONDITION, naming them) while machines are attached.
   */
  DeleteNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  DeleteNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  DeleteNetwork(argument: _mooring_v1_NetworkRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  DeleteNetwork(argument: _mooring_v1_NetworkRef, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Refused (FAILED_PRECONDITION, naming them) while machines are attached.
   */
  deleteNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  deleteNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  deleteNetwork(argument: _mooring_v1_NetworkRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  deleteNetwork(argument: _mooring_v1_NetworkRef, callback: grpc.requestCallback<_mooring_v1_DeleteNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * With the machines attached to it.
   */
  GetNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _mooring_v1_NetworkRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _mooring_v1_NetworkRef, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  /**
   * With the machines attached to it.
   */
  getNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _mooring_v1_NetworkRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _mooring_v1_NetworkRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _mooring_v1_NetworkRef, callback: grpc.requestCallback<_mooring_v1_Network__Output>): grpc.ClientUnaryCall;
  
  ListNetworks(argument: _mooring_v1_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _mooring_v1_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _mooring_v1_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _mooring_v1_ListNetworksRequest, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _mooring_v1_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _mooring_v1_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _mooring_v1_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _mooring_v1_ListNetworksRequest, callback: grpc.requestCallback<_mooring_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NetworkServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateNetwork: grpc.handleUnaryCall<_mooring_v1_CreateNetworkRequest__Output, _mooring_v1_Network>;
  
  /**
   * Refused (FAILED_PRECONDITION, naming them) while machines are attached.
   */
  DeleteNetwork: grpc.handleUnaryCall<_mooring_v1_NetworkRef__Output, _mooring_v1_DeleteNetworkResponse>;
  
  /**
   * With the machines attached to it.
   */
  GetNetwork: grpc.handleUnaryCall<_mooring_v1_NetworkRef__Output, _mooring_v1_Network>;
  
  ListNetworks: grpc.handleUnaryCall<_mooring_v1_ListNetworksRequest__Output, _mooring_v1_ListNetworksResponse>;
  
}

export interface NetworkServiceDefinition extends grpc.ServiceDefinition {
  CreateNetwork: MethodDefinition<_mooring_v1_CreateNetworkRequest, _mooring_v1_Network, _mooring_v1_CreateNetworkRequest__Output, _mooring_v1_Network__Output>
  DeleteNetwork: MethodDefinition<_mooring_v1_NetworkRef, _mooring_v1_DeleteNetworkResponse, _mooring_v1_NetworkRef__Output, _mooring_v1_DeleteNetworkResponse__Output>
  GetNetwork: MethodDefinition<_mooring_v1_NetworkRef, _mooring_v1_Network, _mooring_v1_NetworkRef__Output, _mooring_v1_Network__Output>
  ListNetworks: MethodDefinition<_mooring_v1_ListNetworksRequest, _mooring_v1_ListNetworksResponse, _mooring_v1_ListNetworksRequest__Output, _mooring_v1_ListNetworksResponse__Output>
}
