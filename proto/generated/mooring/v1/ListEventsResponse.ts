// Original file: mooring/v1/events.proto

import type { Event as _mooring_v1_Event, Event__Output as _mooring_v1_Event__Output } from '../../mooring/v1/Event.js';
import type { Long } from '@grpc/proto-loader';

export interface ListEventsResponse {
  'events'?: (_mooring_v1_Event)[];
  /**
   * The seq of the newest event in the log (watch from here to see only what comes next).
   */
  'lastSeq'?: (number | string | Long);
}

export interface ListEventsResponse__Output {
  'events': (_mooring_v1_Event__Output)[];
  /**
   * The seq of the newest event in the log (watch from here to see only what comes next).
   */
  'lastSeq': (number);
}
