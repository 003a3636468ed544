// Runs test/harness/reflection_client.py (Debian's python3-grpcio and python3-protobuf) against a
// coordinator: a foreign reflection client, validating what it fetches with a protobuf
// implementation other than protobufjs. The request, token included, goes on its standard input.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(new URL('../..', import.meta.url).pathname, 'test/harness/reflection_client.py');
/** Debian's interpreter, where python3-grpcio is installed (not a pyenv or venv python3 on PATH). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface ReflectionClientRequest {
  readonly address: string;
  readonly caFile: string;
  readonly token: string;
  readonly reflection?: 'v1' | 'v1alpha';
  /** Messages whose fields to report, by full name. */
  readonly describe?: readonly string[];
  /** Unary calls made with the reflected descriptors: `method` is `package.Service/Method`, `json` the request. */
  readonly calls?: readonly { method: string; json: string }[];
}

export interface ReflectedField {
  readonly name: string;
  readonly json_name: string;
  /** A message field's full type name, else the protobuf type number. */
  readonly type: string | number;
  readonly map_entry: boolean;
}

export type ReflectedCall =
  | { readonly method: string; readonly response: Record<string, unknown> }
  | { readonly method: string; readonly code: string; readonly details: string };

export interface ReflectionClientResult {
  readonly services: string[];
  readonly files: string[];
  readonly methods: Record<string, { name: string; input: string; output: string }[]>;
  readonly messages: Record<string, ReflectedField[]>;
  readonly calls: ReflectedCall[];
}

export class ReflectionClientError extends Error {
  override readonly name = 'ReflectionClientError';
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`reflection_client.py exited ${exitCode}: ${stderr.trim()}`);
  }
}

export function runReflectionClient(request: ReflectionClientRequest, timeoutMs = 60_000): Promise<ReflectionClientResult> {
  const input = JSON.stringify({
    address: request.address,
    ca_file: request.caFile,
    token: request.token,
    reflection: request.reflection ?? 'v1',
    describe: request.describe ?? [],
    calls: request.calls ?? [],
  });
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new ReflectionClientError(code, stderr));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ReflectionClientResult);
      } catch (error) {
        reject(new Error(`reflection_client.py printed no JSON: ${stdout.slice(0, 200)} ${stderr}`, { cause: error }));
      }
    });
    child.stdin.end(input);
  });
}
