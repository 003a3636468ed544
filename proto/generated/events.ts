import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Event as _mooring_v1_Event, Event__Output as _mooring_v1_Event__Output } from './mooring/v1/Event.js';
import type { EventServiceClient as _mooring_v1_EventServiceClient, EventServiceDefinition as _mooring_v1_EventServiceDefinition } from './mooring/v1/EventService.js';
import type { ListEventsRequest as _mooring_v1_ListEventsRequest, ListEventsRequest__Output as _mooring_v1_ListEventsRequest__Output } from './mooring/v1/ListEventsRequest.js';
import type { ListEventsResponse as _mooring_v1_ListEventsResponse, ListEventsResponse__Output as _mooring_v1_ListEventsResponse__Output } from './mooring/v1/ListEventsResponse.js';
import type { WatchEventsRequest as _mooring_v1_WatchEventsRequest, WatchEventsRequest__Output as _mooring_v1_WatchEventsRequest__Output } from './mooring/v1/WatchEventsRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      Event: MessageTypeDefinition<_mooring_v1_Event, _mooring_v1_Event__Output>
      EventService: SubtypeConstructor<typeof grpc.Client, _mooring_v1_EventServiceClient> & { service: _mooring_v1_EventServiceDefinition }
      ListEventsRequest: MessageTypeDefinition<_mooring_v1_ListEventsRequest, _mooring_v1_ListEventsRequest__Output>
      ListEventsResponse: MessageTypeDefinition<_mooring_v1_ListEventsResponse, _mooring_v1_ListEventsResponse__Output>
      WatchEventsRequest: MessageTypeDefinition<_mooring_v1_WatchEventsRequest, _mooring_v1_WatchEventsRequest__Output>
    }
  }
}

