// A server interceptor run before every handler: it applies each method's request size limit
// (request-limits.ts) and the bound on unauthenticated calls in progress (unauthenticated-gate.ts).
//
// What counts as unauthenticated: a call whose credentials have not been checked yet. Handlers of
// unary and server-streaming methods check the bearer token or client certificate when the
// request message arrives (call-handler.ts, agent-link-service.ts), so such a call holds a place
// from its headers until its request is handed over; enrollment (a token, no identity yet) holds
// its place until it ends. A call whose request has not arrived within `requestWaitMs` is ended,
// so a caller trickling bytes cannot keep a place. Client-streaming calls (the agent session) are
// not counted: their handler starts with the headers and checks the client certificate at once.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import { OversizeRequest } from './request-limits.js';
import { UnauthenticatedGate } from './unauthenticated-gate.js';

export interface CallGuardOptions {
  /** Unauthenticated calls in progress at once, over all connections. */
  readonly maxUnauthenticatedCalls: number;
  /** How long a counted call may take to deliver its request message. */
  readonly requestWaitMs: number;
}

export const DEFAULT_CALL_GUARD: CallGuardOptions = { maxUnauthenticatedCalls: 64, requestWaitMs: 10_000 };

/** Calls with no identity until they end. */
const ENROLLMENT_METHODS: ReadonlySet<string> = new Set(['/mooring.v1.AgentService/Enroll']);

export function callGuard(options: CallGuardOptions, logger: Logger): { interceptor: grpc.ServerInterceptor; gate: UnauthenticatedGate } {
  const gate = new UnauthenticatedGate(options.maxUnauthenticatedCalls);
  const log = logger.child({ component: 'call-guard' });
  const interceptor: grpc.ServerInterceptor = (method, call) => {
    const path = method.path;
    const counted = !method.requestStream;
    const enrollment = ENROLLMENT_METHODS.has(path);
    let held = false;
    let waiting: NodeJS.Timeout | undefined;
    const release = (): void => {
      clearTimeout(waiting);
      if (!held) return;
      held = false;
      gate.leave();
    };
    const refuse = (code: grpc.status, details: string): void => {
      release();
      call.sendStatus({ code, details, metadata: new grpc.Metadata() });
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            if (counted) {
              if (!gate.tryEnter()) {
                log.warn({ method: path, limit: gate.limit }, 'unauthenticated call refused: limit reached');
                return refuse(
                  grpc.status.RESOURCE_EXHAUSTED,
                  `too many unauthenticated calls in progress (at most ${gate.limit}: enrollments, and calls whose request has not arrived yet); retry later`,
                );
              }
              held = true;
              waiting = setTimeout(
                () => refuse(grpc.status.DEADLINE_EXCEEDED, `the request message did not arrive within ${options.requestWaitMs} ms of the call's start`),
                options.requestWaitMs,
              );
              waiting.unref();
            }
            nextMetadata(metadata);
          },
          onReceiveMessage: (message: unknown, nextMessage) => {
            clearTimeout(waiting);
            if (message instanceof OversizeRequest) {
              log.warn({ method: path, bytes: message.bytes, limit: message.limit }, 'request refused: too large');
              return refuse(grpc.status.RESOURCE_EXHAUSTED, `request too large: ${path} accepts at most ${message.limit} bytes per message, this one has ${message.bytes}`);
            }
            nextMessage(message);
            // The handler has its request and checks the credentials on receipt: no longer unauthenticated.
            if (!enrollment) release();
          },
          onCancel: release,
        }),
      sendStatus: (status, next) => {
        release();
        next(status);
      },
    });
  };
  return { interceptor, gate };
}
