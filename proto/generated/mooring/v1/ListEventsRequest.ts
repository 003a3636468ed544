// Original file: mooring/v1/events.proto

import type { Long } from '@grpc/proto-loader';

export interface ListEventsRequest {
  'sinceSeq'?: (number | string | Long);
  'machine'?: (string);
  'limit'?: (number);
}

export interface ListEventsRequest__Output {
  'sinceSeq': (number);
  'machine': (string);
  'limit': (number);
}
