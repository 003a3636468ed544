// mooring.v1.EventService: list the event log, or watch it (replay from a seq, then follow).
// Admins and observers see everything. A member sees its own actions, and the events of machines
// it can see now (tenancy/access.ts) that were not made while someone else held the machine (an
// event records the machine's owners before and after it): the allocations, annotations and
// releases of another member stay invisible even once that machine is free again. A machine it
// cannot see is NOT_FOUND, worded as a missing one, in the `machine` filter.
import type * as grpc from '@grpc/grpc-js';
import type { CoordinatorEvent, EventLog } from '../events/event-log.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import { canSeeMachine, seesAll } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { EventServiceHandlers, Event__Output, WatchEventsRequest__Output } from '../../../proto/generated/index.js';
import { serverStream, unary, type ApiContext } from './call-handler.js';
import { EventWatch } from './event-watch.js';
import { DEFAULT_PAGE_SIZE, listEventsSchema, watchEventsSchema } from './request-schemas.js';
import { eventToWire } from './wire.js';

/** The most events one ListEvents page reads (more when its limit is larger). */
const EVENTS_READ_PER_PAGE = 20_000;

export function eventService(ctx: ApiContext, events: EventLog, registry: MachineRegistry): EventServiceHandlers {
  /** `current` is who asks at each event: a watch follows its user's group changes. */
  const filterFor = (
    asker: Principal,
    machineRef: string,
    current: () => Principal = () => asker,
  ): ((event: CoordinatorEvent) => boolean) => {
    const machineId = machineRef ? registry.getVisible(asker, machineRef).id : null;
    return (event) => {
      if (machineId !== null && event.machineId !== machineId) return false;
      const principal = current();
      if (seesAll(principal) || event.actor === principal.user) return true;
      if (event.machineId === null) return false;
      if (event.heldBy?.some((owner) => owner !== principal.user)) return false;
      const machine = registry.table().get(event.machineId);
      return machine !== undefined && canSeeMachine(principal, machine);
    };
  };

  return {
    ListEvents: unary(ctx, 'ListEvents', listEventsSchema, (principal, request) => {
      const visible = filterFor(principal, request.machine);
      const limit = request.limit || DEFAULT_PAGE_SIZE;
      // A member who sees few events would otherwise have one page read the whole log.
      const readLimit = Math.max(EVENTS_READ_PER_PAGE, limit);
      const out: Event__Output[] = [];
      let read = 0;
      let lastRead = request.sinceSeq;
      for (const event of events.since(request.sinceSeq)) {
        // One more event exists past this page: the next page starts after the last one read.
        if (out.length === limit || read === readLimit) return { events: out, lastSeq: events.lastSeq(), nextSinceSeq: lastRead };
        read++;
        lastRead = event.seq;
        if (visible(event)) out.push(eventToWire(event));
      }
      return { events: out, lastSeq: events.lastSeq(), nextSinceSeq: 0 };
    }),
    WatchEvents: serverStream(
      ctx,
      'WatchEvents',
      watchEventsSchema,
      async (principal, request, call: grpc.ServerWritableStream<WatchEventsRequest__Output, Event__Output>, control) => {
        const watch = new EventWatch({
          events,
          sink: call,
          control,
          visible: filterFor(principal, request.machine, () => control.principal()),
          sinceSeq: request.sinceSeq,
          follow: !request.noFollow,
        });
        await watch.run();
      },
    ),
  };
}
