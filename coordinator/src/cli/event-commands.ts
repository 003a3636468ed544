// moorctl events list|watch.
import { Command } from 'commander';
import type { Event__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { emit } from './output.js';
import { parseCount } from './sizes.js';

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
    .option('--limit <n>', 'at most this many', '500')
    .action(async (o: { since: string; machine?: string; limit: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const { events: list } = await client.call('EventService', 'ListEvents', {
          sinceSeq: parseCount(o.since, '--since'),
          machine: o.machine ?? '',
          limit: parseCount(o.limit, '--limit'),
        });
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
