// Original file: mooring/v1/events.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One page of the events with seq > since_seq, oldest first.
 */
export interface ListEventsRequest {
  'sinceSeq'?: (number | string | Long);
  'machine'?: (string);
  /**
   * The page size. 0: 500; at most 5000.
   */
  'limit'?: (number);
}

/**
 * One page of the events with seq > since_seq, oldest first.
 */
export interface ListEventsRequest__Output {
  'sinceSeq': (number);
  'machine': (string);
  /**
   * The page size. 0: 500; at most 5000.
   */
  'limit': (number);
}
