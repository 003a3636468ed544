// Errors of the port-binding layer, each naming what was wrong.

import { AgentError } from '../common/agent-error.js';

export class InvalidPortSpecError extends AgentError {
  readonly code = 'invalid-port';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`invalid port ${field}: ${message}`);
  }
}

/** The port exists but Mooring did not create it: it is never touched. */
export class PortNotOwnedError extends AgentError {
  readonly code = 'port-not-owned';
  constructor(readonly port: string) {
    super(`port ${port} exists but is not owned by Mooring (no mooring-owned=true); refusing to change it`);
  }
}

export class PortOnOtherBridgeError extends AgentError {
  readonly code = 'port-on-other-bridge';
  constructor(
    readonly port: string,
    readonly bridge: string,
  ) {
    super(`port ${port} exists on another bridge than ${bridge}; refusing to move it`);
  }
}

export class BridgeMissingError extends AgentError {
  readonly code = 'bridge-missing';
  constructor(readonly bridge: string) {
    super(`bridge ${bridge} does not exist in OVSDB`);
  }
}

/**
 * ovs-vswitchd did not apply a committed change in time. The transaction IS in the database
 * (committed is true); vswitchd will apply it whenever it runs again.
 */
export class ApplyTimeoutError extends AgentError {
  readonly code = 'apply-timeout';
  constructor(
    readonly timeoutMs: number,
    readonly nextCfg: number | undefined,
    readonly curCfg: number,
    readonly waitingFor: string[],
  ) {
    const written =
      nextCfg === undefined
        ? 'nothing was changed in OVSDB'
        : `the change is committed to OVSDB (next_cfg ${nextCfg}) but ovs-vswitchd applied only up to cur_cfg ${curCfg}`;
    super(`timed out after ${timeoutMs} ms waiting for ${waitingFor.join(', ')}: ${written}; is ovs-vswitchd running?`);
  }
}

/** ovs-vswitchd could not add the interface (ofport -1); carries Interface.error. */
export class PortFailedError extends AgentError {
  readonly code = 'port-failed';
  constructor(
    readonly port: string,
    readonly reason: string,
  ) {
    super(`ovs-vswitchd could not add port ${port}: ${reason}`);
  }
}

/** The port is still present after an unbind was applied. */
export class PortStillPresentError extends AgentError {
  readonly code = 'port-still-present';
  constructor(readonly port: string) {
    super(`port ${port} is still in OVSDB after unbinding`);
  }
}

/**
 * ovsdb-server closed the connection on this change twice in a row, each time on a connection that
 * was working: it refuses the transaction's content (as it does with text its parser cannot take)
 * rather than having restarted. Sending it again would only drop the connection again.
 */
export class TransactionRefusedError extends AgentError {
  readonly code = 'transaction-refused';
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(
      `ovsdb-server dropped the connection twice on ${what}, each time while answering nothing else: it refuses this change; not ` +
        'retrying it',
      options,
    );
  }
}
