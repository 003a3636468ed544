// Original file: mooring/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Answers each heartbeat: the agent learns the coordinator is alive (and how long a round trip takes).
 */
export interface HeartbeatAck {
  'seq'?: (number | string | Long);
}

/**
 * Answers each heartbeat: the agent learns the coordinator is alive (and how long a round trip takes).
 */
export interface HeartbeatAck__Output {
  'seq': (number);
}
