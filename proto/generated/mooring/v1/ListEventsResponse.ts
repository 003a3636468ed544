// Original file: mooring/v1/events.proto

import type { Event as _mooring_v1_Event, Event__Output as _mooring_v1_Event__Output } from '../../mooring/v1/Event.js';
import type { Long } from '@grpc/proto-loader';

export interface ListEventsResponse {
  'events'?: (_mooring_v1_Event)[];
  /**
   * The seq of the newest event in the log (watch from here to see only what comes next).
   */
  'lastSeq'?: (number | string | Long);
  /**
   * Non-zero while more events may follow: the since_seq of the next page. A page may hold fewer
   * than `limit` events before the end of the log (the server bounds the events it reads per page
   * for callers who see few of them); only 0 here means the end.
   */
  'nextSinceSeq'?: (number | string | Long);
}

export interface ListEventsResponse__Output {
  'events': (_mooring_v1_Event__Output)[];
  /**
   * The seq of the newest event in the log (watch from here to see only what comes next).
   */
  'lastSeq': (number);
  /**
   * Non-zero while more events may follow: the since_seq of the next page. A page may hold fewer
   * than `limit` events before the end of the log (the server bounds the events it reads per page
   * for callers who see few of them); only 0 here means the end.
   */
  'nextSinceSeq': (number);
}
