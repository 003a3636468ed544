// Small pieces the pages share: the API's error as an alert, a status badge, a usage bar.
import type { ComponentChildren, JSX } from 'preact';
import { errorText } from './api-client.js';
import { bytes, num } from './format.js';

export function ErrorNote({ error }: { error: unknown }): JSX.Element | null {
  if (error === undefined || error === null) return null;
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }): JSX.Element {
  return <span class={`badge status-${status.toLowerCase().replace(/_/g, '-')}`}>{status}</span>;
}

export function Loading({ what }: { what: string }): JSX.Element {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export interface Segment {
  readonly label: string;
  readonly value: number;
  readonly kind: 'mooring' | 'other' | 'free';
}

/**
 * A horizontal bar of segments out of `total`; overcommit (segments beyond the total) is drawn past
 * the end in a hatched colour and said in words, so the bar never hides it.
 */
export function UsageBar({
  title,
  total,
  segments,
  unit,
}: {
  title: string;
  total: number;
  segments: readonly Segment[];
  unit: 'count' | 'bytes';
}): JSX.Element {
  const show = (n: number): string => (unit === 'bytes' ? bytes(n) : String(n));
  const used = segments.filter((s) => s.kind !== 'free').reduce((a, s) => a + s.value, 0);
  const scale = Math.max(total, used, 1);
  const over = used > total ? used - total : 0;
  const words = segments.map((s) => `${s.label} ${show(s.value)}`).join(', ');
  return (
    <div class="usage">
      <div class="usage-head">
        <span>{title}</span>
        <span class="muted">
          {words} of {show(total)}
          {over > 0 ? ` (overcommitted by ${show(over)})` : ''}
        </span>
      </div>
      <div
        class="usage-bar"
        role="img"
        aria-label={`${title}: ${words} of ${show(total)}${over > 0 ? `, overcommitted by ${show(over)}` : ''}`}
      >
        {segments.map((s) => (
          <span key={s.label} class={`seg seg-${s.kind}`} style={{ width: `${(100 * s.value) / scale}%` }} />
        ))}
        {over > 0 ? <span class="seg-over-mark" style={{ left: `${(100 * total) / scale}%` }} /> : null}
      </div>
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }): JSX.Element {
  const headingId = `h-${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={headingId} class="panel">
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** A table in its own scrolling box: on a narrow screen the table scrolls, not the page. */
export function TableBox({ label, children }: { label: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** A data table with its column headings, in a TableBox; `children` are the body rows. */
export function DataTable({
  label,
  columns,
  tableClass,
  testId,
  children,
}: {
  label: string;
  columns: readonly string[];
  tableClass?: string;
  testId?: string;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <TableBox label={label}>
      <table class={tableClass} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableBox>
  );
}

export function Facts({ rows }: { rows: readonly (readonly [string, ComponentChildren])[] }): JSX.Element {
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === '' || v === undefined || v === null ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export const total = (values: readonly (number | string | undefined)[]): number => values.reduce<number>((a, v) => a + num(v), 0);
