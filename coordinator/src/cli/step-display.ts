// Live display of a machine's sequence steps from its event stream: a spinner on the running step
// on a terminal (ora), one plain line per finished step otherwise; each step with its duration.
// ora is loaded only for a terminal: it takes about 90 ms to load, a quarter of a moorctl call.
import type { Ora } from 'ora';
import type { Event__Output } from '../../../proto/generated/index.js';
import type { Output } from './output.js';

export interface StepDisplay {
  event(e: Event__Output): void;
  stop(): void;
}

const seconds = (ms: string | undefined): string => `${(Number(ms ?? 0) / 1000).toFixed(1)}s`;

/** One human line per event that matters to a sequence, or null for the others. */
export function describeEvent(e: Event__Output): { text: string; ok: boolean } | null {
  const d = e.details ?? {};
  switch (e.kind) {
    case 'sequence.started':
      return { text: `${d['sequenceKind'] ?? ''} sequence started (${d['smartNicPorts'] ?? 0} smartNIC ports)`, ok: true };
    case 'sequence.step':
      return { text: `${e.why} (${seconds(d['durationMs'])})`, ok: true };
    case 'sequence.step-failed':
      return { text: `${e.why} (${seconds(d['durationMs'])})`, ok: false };
    case 'sequence.failed':
      return { text: e.why, ok: false };
    case 'network.attached':
    case 'network.attachment-changed':
    case 'network.detached':
      return { text: e.why, ok: true };
    case 'power.manual-request':
      return { text: `waiting for the operator: ${e.why}`, ok: true };
    case 'machine.transition':
      return {
        text: `${e.fromStatus} -> ${e.toStatus}${e.why ? `: ${e.why}` : ''}`,
        ok: e.toStatus !== 'FAILED_DEPLOYMENT' && e.toStatus !== 'BROKEN',
      };
    default:
      return null;
  }
}

export async function stepDisplay(out: Output, tty: boolean): Promise<StepDisplay> {
  if (out.json || !tty) {
    return {
      event: (e) => {
        if (out.json) return out.write(`${JSON.stringify(e)}\n`);
        const line = describeEvent(e);
        if (line) out.write(`${line.ok ? 'ok ' : 'FAIL'} ${e.time} ${line.text}\n`);
      },
      stop: () => undefined,
    };
  }
  const { default: ora } = await import('ora');
  const spinner: Ora = ora({ text: 'waiting for the sequence', stream: process.stderr }).start();
  return {
    event: (e) => {
      const line = describeEvent(e);
      if (!line) return;
      if (line.ok) spinner.succeed(line.text);
      else spinner.fail(line.text);
      spinner.start(e.details?.['next'] && e.details['next'] !== 'done' ? `running: ${e.details['next']}` : 'waiting');
    },
    stop: () => spinner.stop(),
  };
}
