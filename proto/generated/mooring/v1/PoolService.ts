// Original file: mooring/v1/pools.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreatePoolRequest as _mooring_v1_CreatePoolRequest, CreatePoolRequest__Output as _mooring_v1_CreatePoolRequest__Output } from '../../mooring/v1/CreatePoolRequest.js';
import type { DeletePoolResponse as _mooring_v1_DeletePoolResponse, DeletePoolResponse__Output as _mooring_v1_DeletePoolResponse__Output } from '../../mooring/v1/DeletePoolResponse.js';
import type { ListPoolsRequest as _mooring_v1_ListPoolsRequest, ListPoolsRequest__Output as _mooring_v1_ListPoolsRequest__Output } from '../../mooring/v1/ListPoolsRequest.js';
import type { ListPoolsResponse as _mooring_v1_ListPoolsResponse, ListPoolsResponse__Output as _mooring_v1_ListPoolsResponse__Output } from '../../mooring/v1/ListPoolsResponse.js';
import type { Pool as _mooring_v1_Pool, Pool__Output as _mooring_v1_Pool__Output } from '../../mooring/v1/Pool.js';
import type { PoolRef as _mooring_v1_PoolRef, PoolRef__Output as _mooring_v1_PoolRef__Output } from '../../mooring/v1/PoolRef.js';
import type { SetPoolEraseModeRequest as _mooring_v1_SetPoolEraseModeRequest, SetPoolEraseModeRequest__Output as _mooring_v1_SetPoolEraseModeRequest__Output } from '../../mooring/v1/SetPoolEraseModeRequest.js';
import type { SetPoolReservationRequest as _mooring_v1_SetPoolReservationRequest, SetPoolReservationRequest__Output as _mooring_v1_SetPoolReservationRequest__Output } from '../../mooring/v1/SetPoolReservationRequest.js';

export interface PoolServiceClient extends grpc.Client {
  CreatePool(argument: _mooring_v1_CreatePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  CreatePool(argument: _mooring_v1_CreatePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  CreatePool(argument: _mooring_v1_CreatePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  CreatePool(argument: _mooring_v1_CreatePoolRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  createPool(argument: _mooring_v1_CreatePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  createPool(argument: _mooring_v1_CreatePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  createPool(argument: _mooring_v1_CreatePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  createPool(argument: _mooring_v1_CreatePoolRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  
  DeletePool(argument: _mooring_v1_PoolRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  DeletePool(argument: _mooring_v1_PoolRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  DeletePool(argument: _mooring_v1_PoolRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  DeletePool(argument: _mooring_v1_PoolRef, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  deletePool(argument: _mooring_v1_PoolRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  deletePool(argument: _mooring_v1_PoolRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  deletePool(argument: _mooring_v1_PoolRef, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  deletePool(argument: _mooring_v1_PoolRef, callback: grpc.requestCallback<_mooring_v1_DeletePoolResponse__Output>): grpc.ClientUnaryCall;
  
  ListPools(argument: _mooring_v1_ListPoolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  ListPools(argument: _mooring_v1_ListPoolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  ListPools(argument: _mooring_v1_ListPoolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  ListPools(argument: _mooring_v1_ListPoolsRequest, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  listPools(argument: _mooring_v1_ListPoolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  listPools(argument: _mooring_v1_ListPoolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  listPools(argument: _mooring_v1_ListPoolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  listPools(argument: _mooring_v1_ListPoolsRequest, callback: grpc.requestCallback<_mooring_v1_ListPoolsResponse__Output>): grpc.ClientUnaryCall;
  
  SetPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolEraseMode(argument: _mooring_v1_SetPoolEraseModeRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  
  SetPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  SetPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  setPoolReservation(argument: _mooring_v1_SetPoolReservationRequest, callback: grpc.requestCallback<_mooring_v1_Pool__Output>): grpc.ClientUnaryCall;
  
}

export interface PoolServiceHandlers extends grpc.UntypedServiceImplementation {
  CreatePool: grpc.handleUnaryCall<_mooring_v1_CreatePoolRequest__Output, _mooring_v1_Pool>;
  
  DeletePool: grpc.handleUnaryCall<_mooring_v1_PoolRef__Output, _mooring_v1_DeletePoolResponse>;
  
  ListPools: grpc.handleUnaryCall<_mooring_v1_ListPoolsRequest__Output, _mooring_v1_ListPoolsResponse>;
  
  SetPoolEraseMode: grpc.handleUnaryCall<_mooring_v1_SetPoolEraseModeRequest__Output, _mooring_v1_Pool>;
  
  SetPoolReservation: grpc.handleUnaryCall<_mooring_v1_SetPoolReservationRequest__Output, _mooring_v1_Pool>;
  
}

export interface PoolServiceDefinition extends grpc.ServiceDefinition {
  CreatePool: MethodDefinition<_mooring_v1_CreatePoolRequest, _mooring_v1_Pool, _mooring_v1_CreatePoolRequest__Output, _mooring_v1_Pool__Output>
  DeletePool: MethodDefinition<_mooring_v1_PoolRef, _mooring_v1_DeletePoolResponse, _mooring_v1_PoolRef__Output, _mooring_v1_DeletePoolResponse__Output>
  ListPools: MethodDefinition<_mooring_v1_ListPoolsRequest, _mooring_v1_ListPoolsResponse, _mooring_v1_ListPoolsRequest__Output, _mooring_v1_ListPoolsResponse__Output>
  SetPoolEraseMode: MethodDefinition<_mooring_v1_SetPoolEraseModeRequest, _mooring_v1_Pool, _mooring_v1_SetPoolEraseModeRequest__Output, _mooring_v1_Pool__Output>
  SetPoolReservation: MethodDefinition<_mooring_v1_SetPoolReservationRequest, _mooring_v1_Pool, _mooring_v1_SetPoolReservationRequest__Output, _mooring_v1_Pool__Output>
}
