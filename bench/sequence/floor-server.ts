// The floor's server (floor-script.ts): a process with none of Mooring's code that does a deploy's
// transport and storage work at the times the coordinator did it. It serves, on one port with the
// coordinator's kind of TLS credentials (an ECDSA server certificate, client certificates asked
// for and not required), raw-byte gRPC methods: Deploy (unary, bearer token), Session (the agent's
// bidirectional stream, client certificate) and Watch (the event stream). Its writes are durable
// LMDB transactions (lmdb-js as the coordinator opens it, waiting for the flush), its BMC commands
// lines through a pipe to a child process.
//
// Run by floor-client.ts: `node floor-server.js CONFIG.json`. It prints `{"port":N}` once serving,
// starts its own ops on the stdin line `start <epoch ms>`, and on `end` (the client's ops done)
// waits for its writes and prints `{"done":{...}}`, that replay's counts and CPU. A replay may
// follow (`start` again, the same ops); it exits when stdin closes.
import { spawn } from 'node:child_process';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { open } from 'lmdb';
import { requestedClientCertificates } from '../../coordinator/src/api/client-certificates.js';
import { writesOf, type FloorMachine, type FloorOp } from './floor-script.js';
import { cpuSeconds, mainThreadCpuSeconds } from './system-sampler.js';
import {
  COMMAND_BYTES,
  DEPLOY_REPLY_BYTES,
  EVENT_BYTES,
  FLOOR_SERVICE,
  message,
  RECORD_BYTES,
  TAG,
  WELCOME_BYTES,
  type FloorServerResult,
} from './floor-wire.js';

/** What floor-client.ts hands the server (a JSON file). */
export interface FloorServerConfig {
  readonly dataDir: string;
  readonly caPem: string;
  readonly server: { readonly keyPem: string; readonly certPem: string };
  readonly tokenSha256: string;
  readonly machines: readonly FloorMachine[];
}

/** How long after `end` the server waits for writes still due before it reports what it did. */
const END_BOUND_MS = 30_000;

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FloorServerConfig;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const db = open({ path: config.dataDir, compression: false, overlappingSync: true, noSync: false });
  const tokenHash = Buffer.from(config.tokenSha256, 'hex');
  const noCounts = { writes: 0, events: 0, bmcCommands: 0, commands: 0, sessions: 0 };
  const counts = { ...noCounts };
  let key = 0;
  let pendingWrites = 0;
  let timersLeft = 0;
  let onIdle: (() => void) | null = null;
  // Done once every op has fired and every write the script makes has been made (the client's
  // ops reach the server over the network, after their own `end` may have).
  const expectedWrites = config.machines.reduce((sum, m) => sum + m.ops.reduce((n, op) => n + writesOf(op), 0), 0);
  const idle = (): boolean => pendingWrites === 0 && timersLeft === 0 && counts.writes >= expectedWrites;

  const watchers = new Set<grpc.ServerWritableStream<Buffer, Buffer>>();
  const emit = (machine: number, events: number): void => {
    for (let i = 0; i < events; i++) {
      counts.events++;
      for (const w of watchers) w.write(message(0, machine, EVENT_BYTES));
    }
  };
  /** One durable transaction: a record and `events` events; then the events go out. */
  const write = async (machine: number, events: number): Promise<void> => {
    pendingWrites++;
    try {
      await db.transaction(() => {
        db.putSync(`r/${machine}/${key++}`, message(0, machine, RECORD_BYTES));
        for (let i = 0; i < events; i++) db.putSync(`e/${key++}`, message(0, machine, EVENT_BYTES));
      });
      await db.flushed;
      counts.writes++;
      emit(machine, events);
    } finally {
      pendingWrites--;
      if (idle()) onIdle?.();
    }
  };

  // The BMC side: one child, a line out and the same line back per command, answered in order.
  const bmc = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const bmcWaiting: (() => void)[] = [];
  createInterface({ input: bmc.stdout }).on('line', () => bmcWaiting.shift()?.());
  const bmcCommand = (machine: number): Promise<void> =>
    new Promise((resolve) => {
      counts.bmcCommands++;
      bmcWaiting.push(resolve);
      bmc.stdin.write(`chassis power status ${machine}\n`);
    });

  const sessions = new Map<number, grpc.ServerDuplexStream<Buffer, Buffer>>();
  const commandsWaiting = new Set<number>();
  const sendCommand = (machine: number): void => {
    const s = sessions.get(machine);
    if (!s) {
      commandsWaiting.add(machine);
      return;
    }
    counts.commands++;
    s.write(message(TAG.command, machine, COMMAND_BYTES));
  };

  /** What the server does itself at an op's time (null: the client's op). */
  const serverAct = (op: FloorOp, machine: number): (() => void) | null => {
    switch (op.kind) {
      case 'write':
        return () => void write(machine, op.events);
      case 'bmc':
        return () => void bmcCommand(machine);
      case 'command':
        return () => sendCommand(machine);
      default:
        return null;
    }
  };

  const server = new grpc.Server();
  server.addService(FLOOR_SERVICE, {
    Deploy: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const header = String(call.metadata.get('authorization')[0] ?? '');
      const given = createHash('sha256')
        .update(header.replace(/^Bearer /, ''))
        .digest();
      if (!timingSafeEqual(given, tokenHash)) {
        callback({ code: grpc.status.UNAUTHENTICATED, details: 'bad token' });
        return;
      }
      const machine = call.request.readUInt32BE(1);
      const op = config.machines[machine]?.ops.find((o) => o.kind === 'deploy');
      write(machine, op && op.kind === 'deploy' ? op.events : 1).then(
        () => callback(null, message(0, machine, DEPLOY_REPLY_BYTES)),
        (err: unknown) => callback({ code: grpc.status.INTERNAL, details: String(err) }),
      );
    },
    Session: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      const cert = call.getAuthContext()?.sslPeerCertificate;
      if (!cert?.raw || typeof cert.subject?.CN !== 'string') {
        call.destroy(new Error('no client certificate'));
        return;
      }
      let machine = -1;
      let reported = false;
      call.on('data', (m: Buffer) => {
        const tag = m.readUInt8(0);
        if (machine < 0 && tag === TAG.hello) {
          machine = m.readUInt32BE(1);
          counts.sessions++;
          void write(machine, 0).then(() => {
            sessions.set(machine, call);
            call.write(message(TAG.welcome, machine, WELCOME_BYTES));
            if (commandsWaiting.delete(machine)) sendCommand(machine);
          });
        } else if (tag === TAG.report && !reported) {
          reported = true;
          void write(machine, 0);
        }
      });
      const ended = (): void => {
        if (machine < 0 || sessions.get(machine) !== call) return;
        sessions.delete(machine);
        void write(machine, 0);
      };
      call.on('end', () => {
        ended();
        call.end();
      });
      call.on('error', ended);
    },
    Watch: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      watchers.add(call);
      call.on('cancelled', () => watchers.delete(call));
    },
  });
  const credentials = requestedClientCertificates({ keyPem: config.server.keyPem, certPem: config.server.certPem }, config.caPem);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${JSON.stringify({ port })}\n`);

  const timers: NodeJS.Timeout[] = [];
  let cpuAtStart = { all: 0, main: 0 };
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [word, arg] = line.split(' ');
    if (word === 'start') {
      const startAt = Number(arg);
      Object.assign(counts, noCounts);
      delay.reset();
      delay.enable();
      cpuAtStart = { all: cpuSeconds(process.pid), main: mainThreadCpuSeconds(process.pid) };
      for (const m of config.machines) {
        for (const op of m.ops) {
          const run = serverAct(op, m.machine);
          if (!run) continue;
          timersLeft++;
          const fire = (): void => {
            timersLeft--;
            run();
            if (idle()) onIdle?.();
          };
          timers.push(setTimeout(fire, Math.max(0, startAt + op.at - Date.now())));
        }
      }
    } else if (word === 'end') {
      if (!idle()) {
        await new Promise<void>((resolve) => {
          onIdle = resolve;
          setTimeout(resolve, END_BOUND_MS).unref();
        });
      }
      delay.disable();
      const result: FloorServerResult = {
        ...counts,
        expectedWrites,
        cpuSeconds: cpuSeconds(process.pid) - cpuAtStart.all,
        mainThreadCpuSeconds: mainThreadCpuSeconds(process.pid) - cpuAtStart.main,
        eventLoopP99Ms: delay.percentile(99) / 1e6,
      };
      process.stdout.write(`${JSON.stringify({ done: result })}\n`);
    }
  }
  for (const t of timers) clearTimeout(t);
  for (const w of watchers) w.end();
  server.forceShutdown();
  bmc.stdin.end();
  await db.close();
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`floor server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
