// Replays a floor script (floor-script.ts) against the floor's server (floor-server.ts), playing
// its callers from this process: the deploy calls and the event watcher on one connection, like
// the bench's own client, and each agent session on a connection of its own with a client
// certificate, as each booting agent opens one. The server runs at nice 0, as the coordinator does.
// Resolves with what the server did and its CPU, or rejects naming what did not happen.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { newKeyAndCsr } from '../../agent/src/link/credentials.js';
import { systemClock } from '../../coordinator/src/clock.js';
import { CertificateAuthority } from '../../coordinator/src/pki/certificate-authority.js';
import { readCsr } from '../../coordinator/src/pki/csr-reader.js';
import { TlsChannelCredentials } from '../../proto/shared/tls-channel-credentials.js';
import { REPO_ROOT } from '../../test/harness/coordinator-process.js';
import { within } from './deadline.js';
import type { FloorScript } from './floor-script.js';
import type { FloorServerConfig } from './floor-server.js';
import { FLOOR_SERVICE, message, TAG, type FloorClient, type FloorServerResult } from './floor-wire.js';

const HELLO_BYTES = 1200;
const REPORT_BYTES = 512;
const RESULT_BYTES = 96;
const DEPLOY_REQUEST_BYTES = 96;
/** The server's entry point, built (the bench and the tests run it from dist/). */
const FLOOR_SERVER_MAIN = path.join(REPO_ROOT, 'dist', 'bench', 'sequence', 'floor-server.js');
/** How long the watcher is given to receive the last events the server sent. */
const EVENTS_BOUND_MS = 10_000;
/** The replay starts this long after the server is told, so that every timer is set first. */
const START_LEAD_MS = 1000;

export interface FloorRun {
  readonly server: FloorServerResult;
  readonly deploysAnswered: number;
  readonly eventsReceived: number;
  readonly resultsSent: number;
  readonly windowSeconds: number;
}

/**
 * Replays `script` `rounds` times (default once) against one server process and resolves with the
 * last replay: with rounds > 1 its code has run as often as a coordinator's that deployed as many
 * rounds.
 */
export async function replayFloor(script: FloorScript, dir: string, rounds = 1): Promise<FloorRun> {
  const ca = CertificateAuthority.fromPem(CertificateAuthority.generate(systemClock), systemClock);
  const server = ca.issueServer(['127.0.0.1'], 1);
  const agentKey = newKeyAndCsr('floor-agent');
  const agent = ca.signCsr(readCsr(agentKey.csrPem), 'floor-agent', 1);
  const token = randomBytes(32).toString('base64url');
  const config: FloorServerConfig = {
    dataDir: path.join(dir, 'floor-lmdb'),
    caPem: ca.certPem,
    server,
    tokenSha256: createHash('sha256').update(token).digest('hex'),
    machines: script.machines,
  };
  const configFile = path.join(dir, 'floor-config.json');
  await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  const child = spawn(process.execPath, [FLOOR_SERVER_MAIN, configFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    // This process may run at the simulated hardware's nice; the server stands for the coordinator (nice 0).
    if (os.getPriority(child.pid) !== 0) os.setPriority(child.pid!, 0);
    return await within(
      run(child, script, ca.certPem, { key: agentKey.keyPem, cert: agent.certPem }, token, rounds),
      (script.spanMs + START_LEAD_MS) * rounds + 120_000,
      'the floor replay',
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function run(
  child: ChildProcess,
  script: FloorScript,
  caPem: string,
  agent: { key: string; cert: string },
  token: string,
  rounds: number,
): Promise<FloorRun> {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the floor server exited (code ${child.exitCode}) before answering`);
    return JSON.parse(value) as Record<string, unknown>;
  };
  const { port } = (await nextLine()) as { port: number };
  const address = `127.0.0.1:${port}`;
  let last: FloorRun | undefined;
  for (let round = 0; round < rounds; round++) last = await replay(child, nextLine, address, script, caPem, agent, token);
  child.stdin!.end();
  return last!;
}

/** One replay of the script: the client's ops from here, the server's on its `start` line. */
async function replay(
  child: ChildProcess,
  nextLine: () => Promise<Record<string, unknown>>,
  address: string,
  script: FloorScript,
  caPem: string,
  agent: { key: string; cert: string },
  token: string,
): Promise<FloorRun> {
  const Client = grpc.makeGenericClientConstructor(FLOOR_SERVICE, 'Floor');
  const connect = (credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions): FloorClient =>
    new Client(address, credentials, options) as unknown as FloorClient;
  // The agents' own channel credentials (agent/src/link/grpc-channel.ts).
  const admin = connect(new TlsChannelCredentials({ caPem }));
  const agentCredentials = new TlsChannelCredentials({ caPem, client: { keyPem: agent.key, certPem: agent.cert } });
  let eventsReceived = 0;
  const watch = admin.Watch(message(0, 0, 16));
  watch.on('data', () => eventsReceived++);
  watch.on('error', () => undefined); // cancelled at the end

  let deploysAnswered = 0;
  let resultsSent = 0;
  const pending: Promise<void>[] = [];
  const sessions = new Map<number, { client: FloorClient; stream: grpc.ClientDuplexStream<Buffer, Buffer> }>();
  const startAt = Date.now() + START_LEAD_MS;
  const at = (ms: number, act: () => Promise<void>): void => {
    pending.push(new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, startAt + ms - Date.now()))).then(act));
  };
  const deploy = (machine: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      admin.Deploy(message(0, machine, DEPLOY_REQUEST_BYTES), metadata, (error) =>
        error ? reject(new Error(`the floor's deploy call for machine ${machine}: ${error.message}`)) : (deploysAnswered++, resolve()),
      );
    });
  const open = (machine: number, reports: number): Promise<void> =>
    new Promise((resolve, reject) => {
      // A connection of its own, as each booting agent opens one (no shared channel, so a TLS handshake each).
      const client = connect(agentCredentials, { 'grpc.use_local_subchannel_pool': 1 });
      const stream = client.Session();
      sessions.set(machine, { client, stream });
      let welcomed = false;
      stream.on('data', (m: Buffer) => {
        const tag = m.readUInt8(0);
        if (!welcomed && tag === TAG.welcome) {
          welcomed = true;
          for (let i = 0; i < reports; i++) stream.write(message(TAG.report, machine, REPORT_BYTES));
          resolve();
        } else if (tag === TAG.command) {
          resultsSent++;
          stream.write(message(TAG.result, machine, RESULT_BYTES));
        }
      });
      stream.on('error', (error) => reject(new Error(`the floor's session for machine ${machine}: ${error.message}`)));
      stream.write(message(TAG.hello, machine, HELLO_BYTES));
    });
  const close = (machine: number): Promise<void> => {
    const s = sessions.get(machine);
    if (!s) return Promise.reject(new Error(`the floor's session for machine ${machine} was not open at its end`));
    return new Promise((resolve) => {
      s.stream.on('end', () => {
        s.client.close();
        resolve();
      });
      s.stream.end();
      s.stream.resume();
    });
  };
  for (const m of script.machines) {
    for (const op of m.ops) {
      if (op.kind === 'deploy') at(op.at, () => deploy(m.machine));
      else if (op.kind === 'open') at(op.at, () => open(m.machine, op.reports));
      else if (op.kind === 'close') at(op.at, () => close(m.machine));
    }
  }
  child.stdin!.write(`start ${startAt}\n`);
  await Promise.all(pending);
  const left = startAt + script.spanMs - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  const windowSeconds = (Date.now() - startAt) / 1000;
  child.stdin!.write('end\n');
  const { done } = (await nextLine()) as { done: FloorServerResult };
  // The last events may still be on their way.
  const eventsBy = Date.now() + EVENTS_BOUND_MS;
  while (eventsReceived < done.events && Date.now() < eventsBy) await new Promise((resolve) => setTimeout(resolve, 20));
  watch.cancel();
  admin.close();
  for (const s of sessions.values()) s.client.close();
  return { server: done, deploysAnswered, eventsReceived, resultsSent, windowSeconds };
}
