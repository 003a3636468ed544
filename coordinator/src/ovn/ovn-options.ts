// The fabric's options, checked and compiled once into a frozen, fully-required form: the owner
// value, a client configuration per database, and the bound on waiting for NB.

import type { OvsdbClientOptions } from '../../../proto/ovsdb/options.js';
import { parseRemote, type TlsMaterial } from '../../../proto/ovsdb/transport.js';
import { InvalidArgumentError } from '../domain-error.js';

export interface OvnNorthboundOptions {
  /** OVN_Northbound: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT. */
  remote: string;
  /** Client key, certificate and CA for an ssl: remote. */
  tls?: TlsMaterial;
  /** OVN_Southbound, to report which chassis claimed a port; without it `chassis` is never set. */
  southbound?: { remote: string; tls?: TlsMaterial };
  /** The ownership value written as external_ids mooring:owner on every row (one per Mooring fleet). */
  owner: string;
  /** How long a call waits for NB to be connected before failing (default 10 s). */
  unavailableWaitMs?: number;
  /** Per-request bound (default 30 s). */
  requestTimeoutMs?: number;
  /** Reconnect backoff (default 200 ms doubling to 5 s). */
  reconnect?: { initialMs: number; maxMs: number };
}

export interface ResolvedOvnOptions {
  readonly owner: string;
  readonly unavailableWaitMs: number;
  readonly nb: OvsdbClientOptions;
  readonly sb: OvsdbClientOptions | undefined;
}

const OWNER = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export function resolveOvnOptions(o: OvnNorthboundOptions): ResolvedOvnOptions {
  if (typeof o.owner !== 'string' || !OWNER.test(o.owner))
    throw new InvalidArgumentError('ovn.owner', 'must be 1-64 letters, digits, "_", ".", ":" or "-"');
  const wait = o.unavailableWaitMs ?? 10_000;
  if (!Number.isInteger(wait) || wait <= 0)
    throw new InvalidArgumentError('ovn.unavailableWaitMs', `${wait} is not a positive number of milliseconds`);
  const common = { requestTimeoutMs: o.requestTimeoutMs ?? 30_000, ...(o.reconnect ? { reconnect: o.reconnect } : {}) };
  return Object.freeze({
    owner: o.owner,
    unavailableWaitMs: wait,
    nb: Object.freeze(clientOptions('ovn', o.remote, o.tls, common)),
    sb: o.southbound ? Object.freeze(clientOptions('ovn.southbound', o.southbound.remote, o.southbound.tls, common)) : undefined,
  });
}

function clientOptions(
  field: string,
  remote: string,
  tls: TlsMaterial | undefined,
  common: Partial<OvsdbClientOptions>,
): OvsdbClientOptions {
  try {
    parseRemote(remote);
  } catch (err) {
    throw new InvalidArgumentError(`${field}.remote`, (err as Error).message);
  }
  if (remote.startsWith('ssl:') && !tls) throw new InvalidArgumentError(`${field}.tls`, `${remote} needs a client key, certificate and CA`);
  return { remote, ...(tls ? { tls } : {}), ...common };
}
