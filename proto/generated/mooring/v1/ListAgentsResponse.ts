// Original file: mooring/v1/agent.proto

import type { AgentInfo as _mooring_v1_AgentInfo, AgentInfo__Output as _mooring_v1_AgentInfo__Output } from '../../mooring/v1/AgentInfo.js';

export interface ListAgentsResponse {
  'agents'?: (_mooring_v1_AgentInfo)[];
  /**
   * Pass as page_token for the next page; empty on the last page.
   */
  'nextPageToken'?: (string);
}

export interface ListAgentsResponse__Output {
  'agents': (_mooring_v1_AgentInfo__Output)[];
  /**
   * Pass as page_token for the next page; empty on the last page.
   */
  'nextPageToken': (string);
}
