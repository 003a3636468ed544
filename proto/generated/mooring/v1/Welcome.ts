// Original file: mooring/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface Welcome {
  'agentId'?: (string);
  'epoch'?: (number | string | Long);
  'heartbeatIntervalMs'?: (number);
}

export interface Welcome__Output {
  'agentId': (string);
  'epoch': (number);
  'heartbeatIntervalMs': (number);
}
