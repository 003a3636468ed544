// Where moorctl finds its coordinator: --coordinator / --token-file / --ca, else MOORING_COORDINATOR,
// MOORING_TOKEN (the token itself) and MOORING_CA (a file). Tokens never come from argv values.
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

export function connect(options: GlobalOptions, env: NodeJS.ProcessEnv): CoordinatorClient {
  const address = options.coordinator ?? env['MOORING_COORDINATOR'];
  if (!address) throw new UsageError('no coordinator: give --coordinator HOST:PORT or set MOORING_COORDINATOR');
  const token = options.tokenFile ? readText(options.tokenFile, 'token file').trim() : env['MOORING_TOKEN']?.trim();
  if (!token) throw new UsageError('no token: give --token-file FILE or set MOORING_TOKEN');
  const caPath = options.ca ?? env['MOORING_CA'];
  if (!caPath) throw new UsageError('no CA certificate: give --ca FILE or set MOORING_CA');
  const timeoutMs = options.timeout === undefined ? 30_000 : Number(options.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout: expected a positive number of seconds');
  return new CoordinatorClient({ address, token, caPem: readText(caPath, 'CA certificate'), timeoutMs });
}
