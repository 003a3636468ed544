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
      const out: Event__Output[] = [];
      for (const event of events.since(request.sinceSeq)) {
        if (out.length === limit) break;
        if (!visible(event)) continue;
        out.push(eventToWire(event));
      }
      return { events: out, lastSeq: events.lastSeq() };
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
