// Original file: mooring/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'seq'?: (number | string | Long);
}

export interface Heartbeat__Output {
  'seq': (number);
}
