// Original file: mooring/v1/events.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Event as _mooring_v1_Event, Event__Output as _mooring_v1_Event__Output } from '../../mooring/v1/Event.js';
import type { ListEventsRequest as _mooring_v1_ListEventsRequest, ListEventsRequest__Output as _mooring_v1_ListEventsRequest__Output } from '../../mooring/v1/ListEventsRequest.js';
import type { ListEventsResponse as _mooring_v1_ListEventsResponse, ListEventsResponse__Output as _mooring_v1_ListEventsResponse__Output } from '../../mooring/v1/ListEventsResponse.js';
import type { WatchEventsRequest as _mooring_v1_WatchEventsRequest, WatchEventsRequest__Output as _mooring_v1_WatchEventsRequest__Output } from '../../mooring/v1/WatchEventsRequest.js';

export interface EventServiceClient extends grpc.Client {
  ListEvents(argument: _mooring_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _mooring_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _mooring_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _mooring_v1_ListEventsRequest, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _mooring_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _mooring_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _mooring_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _mooring_v1_ListEventsRequest, callback: grpc.requestCallback<_mooring_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  
  WatchEvents(argument: _mooring_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mooring_v1_Event__Output>;
  WatchEvents(argument: _mooring_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mooring_v1_Event__Output>;
  watchEvents(argument: _mooring_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mooring_v1_Event__Output>;
  watchEvents(argument: _mooring_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_mooring_v1_Event__Output>;
  
}

export interface EventServiceHandlers extends grpc.UntypedServiceImplementation {
  ListEvents: grpc.handleUnaryCall<_mooring_v1_ListEventsRequest__Output, _mooring_v1_ListEventsResponse>;
  
  WatchEvents: grpc.handleServerStreamingCall<_mooring_v1_WatchEventsRequest__Output, _mooring_v1_Event>;
  
}

export interface EventServiceDefinition extends grpc.ServiceDefinition {
  ListEvents: MethodDefinition<_mooring_v1_ListEventsRequest, _mooring_v1_ListEventsResponse, _mooring_v1_ListEventsRequest__Output, _mooring_v1_ListEventsResponse__Output>
  WatchEvents: MethodDefinition<_mooring_v1_WatchEventsRequest, _mooring_v1_Event, _mooring_v1_WatchEventsRequest__Output, _mooring_v1_Event__Output>
}
