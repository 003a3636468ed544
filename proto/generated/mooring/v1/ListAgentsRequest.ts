// Original file: mooring/v1/agent.proto


/**
 * Agents in name order, one page at a time: a whole fleet does not fit in one reply.
 */
export interface ListAgentsRequest {
  /**
   * 0 (or absent, as older clients send): 500. The server caps it at 1000, and ends a page early
   * before the reply passes 2 MiB (agents with large inventories or reports).
   */
  'pageSize'?: (number);
  /**
   * next_page_token of the previous page; empty for the first.
   */
  'pageToken'?: (string);
}

/**
 * Agents in name order, one page at a time: a whole fleet does not fit in one reply.
 */
export interface ListAgentsRequest__Output {
  /**
   * 0 (or absent, as older clients send): 500. The server caps it at 1000, and ends a page early
   * before the reply passes 2 MiB (agents with large inventories or reports).
   */
  'pageSize': (number);
  /**
   * next_page_token of the previous page; empty for the first.
   */
  'pageToken': (string);
}
