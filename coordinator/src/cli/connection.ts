// Where moorctl finds its coordinator: --coordinator / --token-file / --ca, else MOORING_COORDINATOR,
// MOORING_TOKEN (the token itself) and MOORING_CA (a file). Tokens never come from argv values.
// Several coordinators of one fleet may be given, comma-separated: moorctl uses the first it can
// connect to, in the order given, and calls no other (a call is never sent twice).
import { readFileSync } from 'node:fs';
import { CoordinatorClient } from '../client/coordinator-client.js';

export interface GlobalOptions {
  readonly coordinator?: string;
  readonly tokenFile?: string;
  readonly ca?: string;
  readonly json?: boolean;
  readonly timeout?: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How long moorctl tries to connect to one of several coordinators before it goes to the next. */
const CONNECT_EACH_MS = 5_000;

/**
 * A client of the coordinator the options name; of several, the first that accepts a connection
 * (each tried for CONNECT_EACH_MS, or the call timeout if shorter). Fails naming every address
 * and why when none does.
 */
export async function connect(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<CoordinatorClient> {
  const given = options.coordinator ?? env['MOORING_COORDINATOR'];
  const addresses = (given ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (addresses.length === 0) throw new UsageError('no coordinator: give --coordinator HOST:PORT or set MOORING_COORDINATOR');
  const settings = connectionSettings(options, env);
  if (addresses.length === 1) return new CoordinatorClient({ address: addresses[0]!, ...settings });
  const failures: string[] = [];
  for (const address of addresses) {
    const client = new CoordinatorClient({ address, ...settings });
    try {
      await client.ready(Math.min(CONNECT_EACH_MS, settings.timeoutMs));
      return client;
    } catch (error) {
      client.close();
      failures.push(`${address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new CoordinatorsUnreachableError(failures);
}

/** None of the coordinators given accepted a connection. */
export class CoordinatorsUnreachableError extends Error {
  constructor(readonly failures: readonly string[]) {
    super(`no coordinator could be reached: ${failures.join('; ')}`);
    this.name = 'CoordinatorsUnreachableError';
  }
}

function connectionSettings(options: GlobalOptions, env: NodeJS.ProcessEnv): { token: string; caPem: string; timeoutMs: number } {
  const token = options.tokenFile ? readText(options.tokenFile, 'token file').trim() : env['MOORING_TOKEN']?.trim();
  if (!token) throw new UsageError('no token: give --token-file FILE or set MOORING_TOKEN');
  const caPath = options.ca ?? env['MOORING_CA'];
  if (!caPath) throw new UsageError('no CA certificate: give --ca FILE or set MOORING_CA');
  const timeoutMs = options.timeout === undefined ? 30_000 : Number(options.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout: expected a positive number of seconds');
  return { token, caPem: readText(caPath, 'CA certificate'), timeoutMs };
}
