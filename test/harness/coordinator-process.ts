// A coordinator in its own process (node dist/coordinator/src/main.js), for fault tests that
// kill -9 it and for the benchmark. Needs `npm run build` first (npm test runs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { COORDINATOR_NODE_FLAGS } from '../../coordinator/src/node-flags.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..').replace(/\/dist$/, '');
export const COORDINATOR_MAIN = join(REPO_ROOT, 'dist', 'coordinator', 'src', 'main.js');
export const MOORCTL_MAIN = join(REPO_ROOT, 'dist', 'coordinator', 'src', 'cli', 'main.js');

export interface CoordinatorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly address: string;
  readonly port: number;
  /** http://HOST:PORT/metrics as the coordinator printed it; null when metrics are off. */
  readonly metricsUrl: string | null;
  /** https://HOST:PORT/ of the web console as the coordinator printed it; null when it is off. */
  readonly consoleUrl: string | null;
  readonly caPem: string;
  readonly adminToken: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** The last lines it logged (stdout and stderr, at most LOG_TAIL_LINES), for a failed test to print. */
  logTail(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** How many of its last log lines a coordinator process keeps for logTail(). */
const LOG_TAIL_LINES = 200;

export async function startCoordinatorProcess(
  dataDir: string,
  options: {
    logLevel?: string;
    port?: number;
    nodeArgs?: readonly string[];
    extraArgs?: readonly string[];
    env?: NodeJS.ProcessEnv;
    main?: string;
  } = {},
): Promise<CoordinatorProcess> {
  const main = options.main ?? COORDINATOR_MAIN; // another build of it, e.g. one a package installed
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn(
    process.execPath,
    [
      // The flags the packaged coordinator runs with (coordinator/src/node-flags.ts).
      ...COORDINATOR_NODE_FLAGS,
      ...(options.nodeArgs ?? []),
      main,
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${options.port ?? 0}`,
      '--log-level',
      options.logLevel ?? 'info',
      // A free port: the default 127.0.0.1:9181 would collide between tests (extraArgs may override it).
      '--metrics-listen',
      '127.0.0.1:0',
      // Likewise the console's default 127.0.0.1:7480.
      '--console-listen',
      '127.0.0.1:0',
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env },
  );
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const lines = createInterface({ input: child.stdout });
  // Kept for the tail, which also drains stdout for good: the child never blocks on a full pipe.
  lines.on('line', keep);
  let metricsUrl: string | null = null;
  let consoleUrl: string | null = null;
  const port = await new Promise<number>((resolvePort, reject) => {
    lines.on('line', (line) => {
      // Printed just before "coordinator listening".
      if (line.includes('"metrics listening') || line.includes('"metrics off'))
        metricsUrl = (JSON.parse(line) as { url: string | null }).url;
      if (line.includes('"console listening: ') || line.includes('"console off'))
        consoleUrl = (JSON.parse(line) as { url: string | null }).url;
      if (!line.includes('coordinator listening')) return;
      const parsed = JSON.parse(line) as { port: number };
      resolvePort(parsed.port);
    });
    void exited.then((code) => reject(new Error(`coordinator exited with ${code} before listening: ${tail.join('\n')}`)));
  });
  return {
    child,
    pid: child.pid!,
    address: `127.0.0.1:${port}`,
    port,
    metricsUrl,
    consoleUrl,
    caPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8'),
    adminToken: readFileSync(join(dataDir, 'admin.token'), 'utf8').trim(),
    exited,
    logTail: () => tail.join('\n'),
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A coordinator process driven with moorctl: its CA written to `<dir>/ca.crt`, and moorctl's environment as admin. */
export async function startCoordinatorForCli(
  dir: string,
  options: Parameters<typeof startCoordinatorProcess>[1] = {},
): Promise<{ coord: CoordinatorProcess; caFile: string; env: Record<string, string> }> {
  const coord = await startCoordinatorProcess(join(dir, 'coord'), options);
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, coord.caPem);
  return { coord, caFile, env: { MOORING_COORDINATOR: coord.address, MOORING_TOKEN: coord.adminToken, MOORING_CA: caFile } };
}
