// A coordinator process for the browser tests, with the web console's URL it printed (on a free
// port: coordinator-process.ts passes --console-listen 127.0.0.1:0).
import { startCoordinatorProcess, type CoordinatorProcess } from './coordinator-process.js';

export interface ConsoleCoordinator {
  readonly process: CoordinatorProcess;
  /** https://127.0.0.1:PORT/ */
  readonly url: string;
}

export async function startConsoleCoordinator(
  dataDir: string,
  options: Parameters<typeof startCoordinatorProcess>[1] = {},
): Promise<ConsoleCoordinator> {
  const process = await startCoordinatorProcess(dataDir, { logLevel: 'warn', ...options });
  if (!process.consoleUrl) {
    await process.kill('SIGKILL');
    throw new Error('the coordinator printed no console URL');
  }
  return { process, url: consoleRoot(process.consoleUrl) };
}

/** The console's URL ending in one slash, so page paths append to it. */
export function consoleRoot(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
