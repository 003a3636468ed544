// A coordinator process with its web console on a free port, for the browser tests.
import { startCoordinatorProcess, type CoordinatorProcess } from './coordinator-process.js';
import { freePort } from './lxd.js';

export interface ConsoleCoordinator {
  readonly process: CoordinatorProcess;
  /** https://127.0.0.1:PORT/ */
  readonly url: string;
}

export async function startConsoleCoordinator(
  dataDir: string,
  options: Parameters<typeof startCoordinatorProcess>[1] = {},
): Promise<ConsoleCoordinator> {
  const port = await freePort();
  const process = await startCoordinatorProcess(dataDir, {
    logLevel: 'warn',
    ...options,
    extraArgs: [...(options.extraArgs ?? []), '--console-listen', `127.0.0.1:${port}`],
  });
  return { process, url: `https://127.0.0.1:${port}/` };
}
