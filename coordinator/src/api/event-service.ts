// mooring.v1.EventService: list the event log, or watch it (replay from a seq, then follow).
// Members see events of machines they can see now, and their own actions; admins and observers
// see everything.
import type * as grpc from '@grpc/grpc-js';
import type { CoordinatorEvent, EventLog } from '../events/event-log.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import { canSeeMachine } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import type { EventMessage, WatchEventsRequest } from '../../../proto/mooring/v1/types.js';
import { serverStream, unary, type ApiContext } from './call-handler.js';
import { DEFAULT_PAGE_SIZE, listEventsSchema, watchEventsSchema } from './request-schemas.js';
import { eventToWire } from './wire.js';

export function eventService(ctx: ApiContext, events: EventLog, registry: MachineRegistry): grpc.UntypedServiceImplementation {
  const filterFor = (principal: Principal, machineRef: string): ((event: CoordinatorEvent) => boolean) => {
    const machineId = machineRef ? registry.getVisible(principal, machineRef).id : null;
    return (event) => {
      if (machineId !== null && event.machineId !== machineId) return false;
      if (principal.role !== 'member' || event.actor === principal.user) return true;
      if (event.machineId === null) return false;
      const machine = registry.table().get(event.machineId);
      return machine !== undefined && canSeeMachine(principal, machine);
    };
  };

  return {
    ListEvents: unary(ctx, 'ListEvents', listEventsSchema, (principal, request) => {
      const visible = filterFor(principal, request.machine);
      const limit = request.limit || DEFAULT_PAGE_SIZE;
      const out: EventMessage[] = [];
      for (const event of events.since(request.sinceSeq)) {
        if (out.length === limit) break;
        if (!visible(event)) continue;
        out.push(eventToWire(event));
      }
      return { events: out, lastSeq: events.lastSeq() };
    }),
    WatchEvents: serverStream(ctx, 'WatchEvents', watchEventsSchema, async (principal, request, call: grpc.ServerWritableStream<WatchEventsRequest, EventMessage>) => {
      const visible = filterFor(principal, request.machine);
      // Subscribe before replaying so nothing committed in between is missed; seq removes overlap.
      const live: CoordinatorEvent[] = [];
      let replaying = true;
      let lastSent = request.sinceSeq;
      const send = (event: CoordinatorEvent): boolean => {
        if (event.seq <= lastSent) return true;
        lastSent = event.seq;
        return visible(event) ? call.write(eventToWire(event)) : true;
      };
      const unsubscribe = request.noFollow
        ? () => undefined
        : events.subscribe((event) => {
            if (replaying) live.push(event);
            else send(event);
          });
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
      for (const event of events.since(request.sinceSeq)) {
        if (call.cancelled) break;
        if (!send(event)) await new Promise((resolve) => call.once('drain', resolve));
      }
      replaying = false;
      for (const event of live) send(event);
      if (request.noFollow) call.end();
    }),
  };
}
