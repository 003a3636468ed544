// Where the coordinator keeps its fleet, from `--store` and the `--etcd-*` options: pure parsing
// and checks, each problem named by its option. `lmdb:DIR` (the default, DIR = the data dir) or
// `etcd:URL[,URL...]` with the members' client URLs, all http:// or all https://; https needs
// the CA (--etcd-ca) and takes a client certificate and key (--etcd-cert, --etcd-key) together.

export type StoreLocation =
  | { readonly type: 'lmdb'; readonly dir: string }
  | {
      readonly type: 'etcd';
      /** Client URLs, normalised to scheme://host:port. */
      readonly endpoints: readonly string[];
      /** Every key of the fleet starts with it: /mooring unless --etcd-prefix says otherwise. */
      readonly prefix: string;
      readonly tls: EtcdTlsFiles | null;
      /** After a Txn carrying several writes, how long the next batch gathers (etcd-write-batch.ts). */
      readonly batchGatherMs: number;
      /** Spread over several coordinators: how long more a batch waits for the last Txn's callers (etcd-write-batch.ts). */
      readonly batchRejoinMs: number;
    };

export interface EtcdTlsFiles {
  readonly caFile: string;
  readonly certFile: string | null;
  readonly keyFile: string | null;
}

export interface StoreOptionValues {
  readonly store?: string;
  readonly dataDir?: string;
  readonly etcdCa?: string;
  readonly etcdCert?: string;
  readonly etcdKey?: string;
  readonly etcdPrefix?: string;
  /** Checked by the config schema (whole milliseconds, 0 to MAX_ETCD_BATCH_GATHER_MS). */
  readonly etcdBatchGatherMs?: number;
  /** Checked by the config schema (whole milliseconds, 0 to MAX_ETCD_BATCH_GATHER_MS). */
  readonly etcdBatchRejoinMs?: number;
}

export const DEFAULT_ETCD_PREFIX = '/mooring';
/** See EtcdStoreOptions.batchGatherMs. */
export const DEFAULT_ETCD_BATCH_GATHER_MS = 20;
export const MAX_ETCD_BATCH_GATHER_MS = 100;
/** See EtcdStoreOptions.batchRejoinMs. */
export const DEFAULT_ETCD_BATCH_REJOIN_MS = 10;

/** Thrown with the option at fault and what is wrong with it; config.ts turns it into a ConfigError. */
export class StoreLocationProblem extends Error {
  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`);
    this.name = 'StoreLocationProblem';
  }
}

export function parseStoreLocation(values: StoreOptionValues, defaultDataDir: string): StoreLocation {
  const spec = values.store ?? `lmdb:${values.dataDir ?? defaultDataDir}`;
  const colon = spec.indexOf(':');
  const scheme = colon < 0 ? '' : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (scheme === 'lmdb') {
    for (const option of ['etcdCa', 'etcdCert', 'etcdKey', 'etcdPrefix', 'etcdBatchGatherMs', 'etcdBatchRejoinMs'] as const) {
      if (values[option] !== undefined) {
        throw new StoreLocationProblem(option, `applies only to --store etcd:..., and the store is ${spec}`);
      }
    }
    if (rest === '') throw new StoreLocationProblem('store', 'lmdb: needs a directory, e.g. lmdb:/var/lib/mooring/coordinator');
    if (values.dataDir !== undefined && values.store !== undefined && values.dataDir !== rest) {
      throw new StoreLocationProblem('store', `${spec} names another directory than dataDir ${values.dataDir}; give one of them`);
    }
    return Object.freeze({ type: 'lmdb', dir: rest });
  }
  if (scheme !== 'etcd') {
    const example = 'etcd:https://10.0.0.1:2379,https://10.0.0.2:2379';
    throw new StoreLocationProblem('store', `expected lmdb:DIR or etcd:URL[,URL...] (e.g. ${example}), got ${spec}`);
  }
  const endpoints = rest.split(',').map((url) => endpoint(url.trim()));
  if (new Set(endpoints).size !== endpoints.length) throw new StoreLocationProblem('store', `an etcd member is listed twice in ${spec}`);
  const schemes = new Set(endpoints.map((url) => url.slice(0, url.indexOf(':'))));
  if (schemes.size > 1) throw new StoreLocationProblem('store', 'mixes http:// and https:// members; use one scheme for all');
  const https = schemes.has('https');
  return Object.freeze({
    type: 'etcd',
    endpoints: Object.freeze(endpoints),
    prefix: prefix(values.etcdPrefix),
    tls: tls(values, https),
    batchGatherMs: values.etcdBatchGatherMs ?? DEFAULT_ETCD_BATCH_GATHER_MS,
    batchRejoinMs: values.etcdBatchRejoinMs ?? DEFAULT_ETCD_BATCH_REJOIN_MS,
  });
}

function endpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreLocationProblem('store', `${JSON.stringify(text)} is not a URL: expected http://HOST:PORT or https://HOST:PORT`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StoreLocationProblem('store', `${text}: etcd members are reached over http:// or https://, not ${url.protocol}//`);
  }
  if (url.port === '') throw new StoreLocationProblem('store', `${text}: give the member's client port (etcd's default is 2379)`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new StoreLocationProblem('store', `${text}: only scheme://host:port (no path, query or credentials)`);
  }
  return `${url.protocol}//${url.host}`;
}

function prefix(value: string | undefined): string {
  if (value === undefined) return DEFAULT_ETCD_PREFIX;
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(value)) {
    const expected = 'expected /NAME[/NAME...] (letters, digits, "_", "." or "-"), no trailing /';
    throw new StoreLocationProblem('etcdPrefix', `${JSON.stringify(value)}: ${expected}`);
  }
  return value;
}

function tls(values: StoreOptionValues, https: boolean): EtcdTlsFiles | null {
  const given = (['etcdCa', 'etcdCert', 'etcdKey'] as const).filter((option) => values[option] !== undefined);
  if (!https) {
    if (given.length > 0) throw new StoreLocationProblem(given[0]!, 'is given but the etcd members are http://; use https:// URLs for TLS');
    return null;
  }
  if (values.etcdCa === undefined) {
    throw new StoreLocationProblem('etcdCa', "is required with https:// members: the CA of the members' certificates");
  }
  if ((values.etcdCert === undefined) !== (values.etcdKey === undefined)) {
    const missing = values.etcdCert === undefined ? 'etcdCert' : 'etcdKey';
    throw new StoreLocationProblem(missing, 'etcdCert and etcdKey go together (a client certificate and its key)');
  }
  return Object.freeze({ caFile: values.etcdCa, certFile: values.etcdCert ?? null, keyFile: values.etcdKey ?? null });
}
