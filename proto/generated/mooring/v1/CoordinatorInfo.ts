// Original file: mooring/v1/agent.proto


export interface CoordinatorInfo {
  /**
   * Stable id (the coordinator-id file in its data dir).
   */
  'id'?: (string);
  /**
   * Its gRPC API, host:port.
   */
  'address'?: (string);
  'startedAt'?: (string);
  'version'?: (string);
  /**
   * Singleton duties it holds now.
   */
  'duties'?: (string)[];
  /**
   * ONLINE agents whose session it holds, as the store records them.
   */
  'agentCount'?: (number);
  /**
   * Their names (with_agents), in name order.
   */
  'agents'?: (string)[];
  /**
   * The coordinator that answered this call.
   */
  'answering'?: (boolean);
  /**
   * The etcd lease it lives under (decimal), or "local" on LMDB.
   */
  'leaseId'?: (string);
  /**
   * Sessions it counts open itself (it publishes the count; agent_count is the store's view).
   */
  'sessions'?: (number);
}

export interface CoordinatorInfo__Output {
  /**
   * Stable id (the coordinator-id file in its data dir).
   */
  'id': (string);
  /**
   * Its gRPC API, host:port.
   */
  'address': (string);
  'startedAt': (string);
  'version': (string);
  /**
   * Singleton duties it holds now.
   */
  'duties': (string)[];
  /**
   * ONLINE agents whose session it holds, as the store records them.
   */
  'agentCount': (number);
  /**
   * Their names (with_agents), in name order.
   */
  'agents': (string)[];
  /**
   * The coordinator that answered this call.
   */
  'answering': (boolean);
  /**
   * The etcd lease it lives under (decimal), or "local" on LMDB.
   */
  'leaseId': (string);
  /**
   * Sessions it counts open itself (it publishes the count; agent_count is the store's view).
   */
  'sessions': (number);
}
