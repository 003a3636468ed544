// moorctl events list|watch.
import { Command } from 'commander';
import type { Event__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { emit } from './output.js';
import { parseCount } from './sizes.js';

/** Events asked for per call. */
const PAGE_SIZE = 1000;

const EVENT_HEADERS = ['SEQ', 'TIME', 'ACTOR', 'KIND', 'MACHINE', 'CHANGE', 'WHY'];

function eventRow(e: Event__Output): string[] {
  const change = e.fromStatus || e.toStatus ? `${e.fromStatus || '-'} -> ${e.toStatus || '-'}` : '';
  return [String(e.seq), e.time, e.actor, e.kind, e.machineId, change, e.why];
}

function eventLine(e: Event__Output): string {
  return eventRow(e).filter(Boolean).join('  ') + '\n';
}

export function eventsCommand(): Command {
  const events = new Command('events').description('the event log of every state change');
  events
    .command('list')
    .option('--since <seq>', 'only events after this sequence number', '0')
    .option('--machine <machine>', 'only events of this machine')
    .option('--limit <n>', 'at most this many (default: every page of them)')
    .action(async (o: { since: string; machine?: string; limit?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const limit = o.limit === undefined ? Infinity : parseCount(o.limit, '--limit');
        const list: Event__Output[] = [];
        let sinceSeq = parseCount(o.since, '--since');
        while (list.length < limit) {
          const page = await client.call('EventService', 'ListEvents', {
            sinceSeq,
            machine: o.machine ?? '',
            limit: Math.min(limit - list.length, PAGE_SIZE),
          });
          list.push(...page.events.slice(0, limit - list.length));
          sinceSeq = page.nextSinceSeq;
          if (sinceSeq === 0) break;
        }
        emit(out, { events: list }, EVENT_HEADERS, list.map(eventRow));
      }),
    );
  events
    .command('watch')
    .description('print events as they happen (one JSON object per line with --json)')
    .option('--since <seq>', 'replay events after this sequence number first', '')
    .option('--machine <machine>', 'only events of this machine')
    .option('--count <n>', 'exit after this many events')
    .action(async (o: { since: string; machine?: string; count?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const limit = o.count === undefined ? Infinity : parseCount(o.count, '--count');
        // Without --since, follow from now: ask for the current end of the log first.
        const sinceSeq =
          o.since === ''
            ? (await client.call('EventService', 'ListEvents', { sinceSeq: 0, limit: 1 })).lastSeq
            : parseCount(o.since, '--since');
        const watch = client.watchEvents({ sinceSeq, machine: o.machine ?? '' });
        let seen = 0;
        try {
          for await (const event of watch.events) {
            out.write(out.json ? `${JSON.stringify(event)}\n` : eventLine(event));
            if (++seen >= limit) break;
          }
        } finally {
          watch.cancel();
        }
      }),
    );
  return events;
}
