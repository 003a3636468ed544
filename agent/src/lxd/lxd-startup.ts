// Builds a vmhost agent's LocalLxd from its configuration: the unix socket, or HTTPS with the
// host's credential files. Missing credentials do not stop the agent: its LXD report says what is
// missing, so the operator sees it on /status and in `moorctl vmhost show`.

import type { Logger } from 'pino';
import type { AgentConfig, LxdConfig } from '../config/agent-config.js';
import type { AgentStore } from '../state/agent-store.js';
import type { StatusBoard } from '../status/status-board.js';
import { LxdCredentialFiles } from './client-credentials.js';
import type { LxdEndpoint } from './endpoint.js';
import { LxdClient } from './rest-client.js';
import { LocalLxd } from './local-lxd.js';

export function lxdEndpoint(c: LxdConfig): Promise<LxdEndpoint> {
  if (!c.url) return Promise.resolve({ kind: 'unix', socketPath: c.socketPath });
  return new LxdCredentialFiles(c.files).endpoint(c.url);
}

/** The LocalLxd (not started), or null when its endpoint cannot be built (the reason is on the board). */
export async function startLocalLxd(config: AgentConfig, store: AgentStore, board: StatusBoard, log: Logger): Promise<LocalLxd | null> {
  let endpoint: LxdEndpoint;
  try {
    endpoint = await lxdEndpoint(config.lxd);
  } catch (err) {
    const error = (err as Error).message;
    log.error({ err: error }, 'LXD endpoint unusable; the LXD side stays off until the agent restarts');
    const label = config.lxd.url ?? `unix:${config.lxd.socketPath}`;
    board.update((s) => ({
      ...s,
      lxd: {
        connected: false,
        project: store.lxdProject() ?? '',
        serverVersion: '',
        endpoint: label,
        resources: null,
        instances: [],
        error,
        refreshedAt: '',
        resourcesReadAt: '',
        instanceTypes: [],
      },
    }));
    return null;
  }
  const host = new LocalLxd(
    new LxdClient(endpoint),
    store,
    {
      defaultImage: config.lxd.image,
      stopGraceSeconds: Math.max(1, Math.round(config.lxd.stopGraceMs / 1000)),
      reconnect: { initialMs: 200, maxMs: Math.min(5000, config.reconnectMaxMs) },
    },
    log,
  );
  board.update((s) => ({ ...s, lxd: host.report }));
  host.on('report', (r) => board.update((s) => ({ ...s, lxd: r })));
  return host;
}
