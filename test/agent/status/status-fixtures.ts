// A StatusBoard in a known state for the status endpoint tests, plus a minimal HTTP client that
// opens a fresh connection per request (agent: false) so no pooled socket outlives a test.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { PortStatus } from '../../../agent/src/ovs/port-spec.js';
import { StatusBoard, type AgentStatus } from '../../../agent/src/status/status-board.js';

export function initialStatus(): AgentStatus {
  return {
    agentId: 'agent-nic-7',
    version: '0.1.0',
    role: 'smartnic',
    coordinator: { address: 'coord:7443', state: 'connecting', epoch: null, reason: null, lastHeartbeatAt: null, resumeAt: null },
    ovsdb: {
      remote: 'unix:/run/openvswitch/db.sock',
      required: true,
      state: 'connecting',
      reason: null,
      bridge: 'br-int',
      ovsVersion: null,
      ovnRemote: '',
      ovnChassis: '',
    },
    ports: [],
    sriov: null,
    lxd: null,
    startedAt: '2026-11-21T00:00:00.000Z',
  };
}

export function port(n: number, state: PortStatus['state'], owned = true): PortStatus {
  return {
    name: `pf0vf${n}`,
    ifaceId: `port-${n}`,
    mac: `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`,
    vmUuid: `machine-${n}`,
    owned,
    state,
    ofport: state === 'active' ? n + 1 : state === 'error' ? -1 : null,
    error: state === 'error' ? 'could not open network device' : null,
    linkState: state === 'active' ? 'up' : null,
  };
}

export function newBoard(): StatusBoard {
  return new StatusBoard(initialStatus());
}

/** Marks OVSDB connected and the session online with the given epoch. */
export function makeReady(board: StatusBoard, epoch = 3): void {
  board.update((s) => ({
    ...s,
    ovsdb: { ...s.ovsdb, state: 'connected', ovsVersion: '3.3.0' },
    coordinator: { ...s.coordinator, state: 'online', epoch, lastHeartbeatAt: '2026-11-21T00:00:05.000Z' },
  }));
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw TCP client: what the server sent, and when (ms after connect was called) it closed. */
export interface RawClient {
  socket: net.Socket;
  received: () => string;
  /** Resolves when the socket is closed (by either side) with the ms since connect was called. */
  closed: Promise<number>;
}

export function rawConnect(port: number, host = '127.0.0.1'): RawClient {
  const started = performance.now();
  const socket = net.connect(port, host);
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (data += c));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
  return { socket, received: () => data, closed };
}

/** The soft limit on open files of this process (Max open files in /proc/self/limits). */
export function openFileLimit(pid: number | 'self' = 'self'): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(soft);
}

/** Open file descriptors of a process. */
export function openFiles(pid: number | 'self' = 'self'): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
