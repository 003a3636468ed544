// Tells "ovsdb-server refuses this change" from "the connection happened to drop". When the server
// cannot parse a request it sends no error: it closes the connection (protocol-facts §1.1; a NUL in
// a string does this), which looks exactly like a server restart to the client. Treating every such
// drop as transient keeps a refused change in the durable desired set, and every reconnect's
// reconcile sends it again: the agent reconnects forever. So a change whose transaction is cut off
// is sent once more, on the next connection; if that connection is also cut off on it, the change
// is refused (TransactionRefusedError, a permanent failure). A server restart during both attempts
// would be needed to misjudge a good change, and a stale judgement costs only a failed command.

import type { Logger } from 'pino';
import { ConnectionClosedError } from '../../../proto/ovsdb/errors.js';
import { TransactionRefusedError } from './errors.js';
import type { PortBinder } from './port-binder.js';

/** Hands out the port binder once OVSDB is connected (and its replica current), waiting at most timeoutMs. */
export interface BinderSource {
  binder(timeoutMs: number): Promise<PortBinder>;
}

/**
 * Runs `change` against the binder; if the connection drops while it is outstanding, runs it again
 * on the next connection, and turns a second drop into TransactionRefusedError.
 */
export async function changeUnlessRefused<T>(
  ovs: BinderSource,
  waitMs: number,
  what: string,
  change: (binder: PortBinder) => Promise<T>,
  log?: Logger,
): Promise<T> {
  try {
    return await change(await ovs.binder(waitMs));
  } catch (err) {
    if (!(err instanceof ConnectionClosedError)) throw err;
    log?.warn(
      { change: what, err: err.message },
      'the OVSDB connection dropped during a change; sending it once more on the next connection',
    );
  }
  // binder() resolves only once the client has reconnected and rebuilt its replica, so the second
  // attempt is planned against what OVSDB holds now (the first may or may not have committed).
  const binder = await ovs.binder(waitMs);
  try {
    return await change(binder);
  } catch (err) {
    if (!(err instanceof ConnectionClosedError)) throw err;
    throw new TransactionRefusedError(what, { cause: err });
  }
}
