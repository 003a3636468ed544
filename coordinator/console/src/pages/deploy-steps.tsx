// The live step-by-step view of a machine's sequence (deploy, release, network bind): the steps
// the BIOS-halt sequencer recorded as events since the last `sequence.started`, the step running
// now (GetSequence), and how it ended: DEPLOYED, or the step that failed and why.
import type { JSX } from 'preact';
import { statusName } from '../format.js';
import type { Machine, MooringEvent, Sequence } from '../wire-types.js';

export interface StepRow {
  readonly step: string;
  readonly text: string;
  readonly ok: boolean;
  readonly durationMs: string;
}

/** The events of the latest sequence, as steps; null when the machine never ran one. */
export function latestSequenceSteps(events: readonly MooringEvent[]): { kind: string; steps: StepRow[]; failed?: MooringEvent } | null {
  let start = -1;
  for (let i = events.length - 1; i >= 0; i--)
    if (events[i]?.kind === 'sequence.started') {
      start = i;
      break;
    }
  if (start < 0) return null;
  const steps: StepRow[] = [];
  let failed: MooringEvent | undefined;
  for (const e of events.slice(start + 1)) {
    if (e.kind === 'sequence.step' || e.kind === 'sequence.step-failed') {
      const d = e.details ?? {};
      steps.push({ step: d['step'] ?? '', text: e.why ?? '', ok: e.kind === 'sequence.step', durationMs: d['durationMs'] ?? '' });
      if (e.kind === 'sequence.step-failed') failed ??= e;
    } else if (e.kind === 'sequence.failed') failed = e;
  }
  return { kind: events[start]?.details?.['sequenceKind'] ?? events[start]?.details?.['kind'] ?? 'sequence', steps, failed };
}

export function DeploySteps({
  machine,
  events,
  running,
}: {
  machine: Machine;
  events: readonly MooringEvent[];
  running: Sequence | null;
}): JSX.Element | null {
  const latest = latestSequenceSteps(events);
  if (!latest && !running) return null;
  const status = statusName(machine.status);
  const failedStep = latest?.failed?.details?.['step'];
  return (
    <div class="steps" data-testid="deploy-steps">
      <ol>
        {(latest?.steps ?? []).map((s, i) => (
          <li key={i} class={s.ok ? 'step-ok' : 'step-failed'} data-step={s.step}>
            <span class="step-mark" aria-hidden="true">
              {s.ok ? '✓' : '✗'}
            </span>
            <span class="sr-only">{s.ok ? 'done: ' : 'failed: '}</span>
            {s.text}
            {s.durationMs ? <span class="muted"> ({(Number(s.durationMs) / 1000).toFixed(1)} s)</span> : null}
          </li>
        ))}
        {running?.step ? (
          <li class="step-running" aria-current="step" data-step={running.step}>
            <span class="step-mark spinner" aria-hidden="true" />
            <span class="sr-only">running: </span>
            {running.step}
          </li>
        ) : null}
      </ol>
      <p role="status" data-testid="deploy-outcome" class={`outcome status-${status.toLowerCase().replace(/_/g, '-')}`}>
        {status === 'DEPLOYED'
          ? 'DEPLOYED'
          : status === 'FAILED_DEPLOYMENT'
            ? `FAILED_DEPLOYMENT at step ${failedStep ?? running?.step ?? '?'}: ${machine.status_reason || latest?.failed?.why || ''}`
            : running
              ? `${status}: running step ${running.step ?? ''}`
              : status}
      </p>
    </div>
  );
}
