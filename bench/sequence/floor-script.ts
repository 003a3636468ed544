// The floor under a deploy's coordinator CPU: the same transport and storage work with none of
// Mooring's code, replayed at the times the coordinator did it. From the coordinator's event log of
// the measured deploys, each machine gets a script of primitive operations at the same offsets
// from the start of the deploys (floor-server.ts carries them out, floor-client.ts plays the
// callers):
//
// - the deploy call (client): a unary call with a bearer token; the server checks the token,
//   makes one durable write and answers, and emits the events the coordinator stamped then;
// - each step's record (server): one durable write at the step's stamp, emitting its event;
// - a BMC command (server) at the start of each step that talks to the BMC: a line through a pipe
//   to a child process and its answer back (the coordinator's own part of a BMC call);
// - the power state a power step proves (server): a durable write before the step's record;
// - the agent's session (client) in time for the wait-agents step: a new TLS connection with a
//   client certificate, a bidirectional stream, a hello; the server writes (the session record)
//   and welcomes; the agent reports, and the first report is written too (its OVN facts);
// - the port binding (server) at the start of the ports step: a command on the session, which the
//   agent answers; two writes at its end (the binding, the ports done);
// - the agent's end (client) at the restore-off step: the stream ends, the server writes;
// - the end (server): at the DEPLOYED stamp, the sequence's last writes.
//
// Every write stores a record and its events in one durable LMDB transaction, and every event
// goes out on the watcher's stream. The writes and events per machine are then made equal to the
// coordinator's counted figures (store writes per deploy from its metrics, events per machine
// from its log), adding or removing the last ones, so the floor does as many of each.
import type { BenchEvent } from './timeline.js';

/** Steps whose action is a BMC command. */
const BMC_STEPS = new Set(['read-power', 'set-boot-bios', 'power-on', 'set-boot-deploy', 'restore-off', 'restore-on']);
/** Power steps whose success proves a new power state (a write of their own). */
const POWER_CHANGING_STEPS = new Set(['power-on', 'restore-off', 'restore-on']);
/** How long before the wait-agents step's stamp the agent's session starts, at most. */
const SESSION_LEAD_MS = 200;

export type FloorOp =
  | { readonly at: number; readonly kind: 'deploy'; readonly events: number }
  | { readonly at: number; readonly kind: 'write'; readonly events: number }
  | { readonly at: number; readonly kind: 'bmc' }
  | { readonly at: number; readonly kind: 'open'; readonly reports: number }
  | { readonly at: number; readonly kind: 'command' }
  | { readonly at: number; readonly kind: 'close' };

export interface FloorMachine {
  readonly machine: number;
  /** In time order; `at` in ms from the start of the replay. */
  readonly ops: readonly FloorOp[];
}

export interface FloorScript {
  readonly machines: readonly FloorMachine[];
  /** The replay's length: the last op's time, ms. */
  readonly spanMs: number;
}

export interface FloorCounts {
  /** The coordinator's store writes per deploy over the window (its metrics). */
  readonly writesPerDeploy: number;
  /** Agent reports per session the floor's agent sends. */
  readonly reportsPerSession: number;
}

/** Durable writes an op costs the server (the deploy call's, the session's and its first report's, the stream end's). */
export function writesOf(op: FloorOp): number {
  switch (op.kind) {
    case 'deploy':
    case 'write':
    case 'close':
      return 1;
    case 'open':
      return op.reports > 0 ? 2 : 1;
    default:
      return 0;
  }
}

/** Events an op emits on the watcher's stream. */
export function eventsOf(op: FloorOp): number {
  return op.kind === 'deploy' || op.kind === 'write' ? op.events : 0;
}

/**
 * One script per machine whose deploy started (sequence.started) and ended (DEPLOYED) in `events`,
 * with times relative to `startMs` (the first deploy request).
 */
export function floorScript(events: readonly BenchEvent[], startMs: number, counts: FloorCounts): FloorScript {
  const byMachine = new Map<string, BenchEvent[]>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (!e.machineId) continue;
    const list = byMachine.get(e.machineId) ?? [];
    list.push(e);
    byMachine.set(e.machineId, list);
  }
  const machines: FloorMachine[] = [];
  for (const list of byMachine.values()) {
    const started = list.find((e) => e.kind === 'sequence.started' && e.details['sequenceKind'] === 'deploy');
    const ended = list.find((e) => e.kind === 'machine.transition' && e.toStatus === 'DEPLOYED');
    if (!started || !ended) continue;
    const eventsOfMachine = list.filter((e) => e.timeMs >= started.timeMs).length;
    machines.push({ machine: machines.length, ops: machineOps(list, started, ended, startMs, counts, eventsOfMachine) });
  }
  const spanMs = Math.max(0, ...machines.flatMap((m) => m.ops.map((op) => op.at)));
  return { machines, spanMs };
}

function machineOps(
  list: readonly BenchEvent[],
  started: BenchEvent,
  ended: BenchEvent,
  startMs: number,
  counts: FloorCounts,
  eventsOfMachine: number,
): FloorOp[] {
  const at = (timeMs: number): number => Math.max(0, timeMs - startMs);
  const atStart = list.filter((e) => e.timeMs === started.timeMs).length;
  const ops: FloorOp[] = [{ at: at(started.timeMs), kind: 'deploy', events: Math.max(1, atStart) }];
  const sequence = started.details['sequence'];
  for (const e of list) {
    if (e.kind !== 'sequence.step' || e.details['sequence'] !== sequence) continue;
    const step = e.details['step'] ?? '';
    const stampedAt = at(e.timeMs);
    const beganAt = Math.max(0, stampedAt - Number(e.details['durationMs'] ?? 0));
    if (BMC_STEPS.has(step)) ops.push({ at: beganAt, kind: 'bmc' });
    if (POWER_CHANGING_STEPS.has(step)) ops.push({ at: stampedAt, kind: 'write', events: 1 });
    if (step === 'wait-agents')
      ops.push({ at: Math.max(beganAt, stampedAt - SESSION_LEAD_MS), kind: 'open', reports: counts.reportsPerSession });
    if (step === 'ports') {
      ops.push({ at: beganAt, kind: 'command' });
      ops.push({ at: stampedAt, kind: 'write', events: 0 }, { at: stampedAt, kind: 'write', events: 0 });
    }
    if (step === 'restore-off') ops.push({ at: stampedAt, kind: 'close' });
    ops.push({ at: stampedAt, kind: 'write', events: 1 });
  }
  ops.push({ at: at(ended.timeMs), kind: 'write', events: 1 });
  return evenUp(
    ops.sort((a, b) => a.at - b.at),
    Math.round(counts.writesPerDeploy),
    eventsOfMachine,
    at(ended.timeMs),
  );
}

/**
 * Adds writes at `endAt` (or removes event-less writes, then the last ones) until the script makes
 * `writes` writes, and moves events on or off the last writes until it emits `events`.
 */
function evenUp(ops: FloorOp[], writes: number, events: number, endAt: number): FloorOp[] {
  const total = (f: (op: FloorOp) => number): number => ops.reduce((sum, op) => sum + f(op), 0);
  while (total(writesOf) < writes) ops.push({ at: endAt, kind: 'write', events: 0 });
  for (let i = ops.length - 1; i >= 0 && total(writesOf) > writes; i--) {
    const op = ops[i]!;
    if (op.kind === 'write' && op.events === 0) ops.splice(i, 1);
  }
  for (let i = ops.length - 1; i >= 0 && total(writesOf) > writes; i--) {
    const op = ops[i]!;
    if (op.kind === 'write') ops.splice(i, 1);
  }
  // Events missing go with the last write (the coordinator's own extra events come with its
  // writes too); events too many come off the last writes first.
  let missing = events - total(eventsOf);
  for (let i = ops.length - 1; i >= 0 && missing !== 0; i--) {
    const op = ops[i]!;
    if (op.kind !== 'write' && op.kind !== 'deploy') continue;
    const change = missing > 0 ? missing : Math.max(missing, -op.events);
    ops[i] = { ...op, events: op.events + change };
    missing -= change;
  }
  return ops.sort((a, b) => a.at - b.at);
}
