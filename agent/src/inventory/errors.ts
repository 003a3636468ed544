// Errors of inventory collection. They never escape collectInventory: each becomes an entry in
// Inventory.failures so one slow or broken source cannot stop the agent.

import { AgentError } from '../common/agent-error.js';

/** A source did not answer within its time cap. */
export class InventoryTimeoutError extends AgentError {
  readonly code = 'inventory-timeout';
  constructor(
    readonly source: string,
    readonly timeoutMs: number,
  ) {
    super(`${source} did not answer within ${timeoutMs} ms`);
  }
}

/** The OVS replica holds no Open_vSwitch row (the monitor has not received its initial contents). */
export class OvsNotSyncedError extends AgentError {
  readonly code = 'ovs-not-synced';
  constructor() {
    super('no Open_vSwitch row in the OVSDB replica (not connected or not yet synced)');
  }
}
