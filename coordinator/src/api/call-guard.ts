// A server interceptor run before every handler: it applies each method's request size limit
// (request-limits.ts) and the bound on unauthenticated calls in progress (unauthenticated-gate.ts).
//
// What counts as unauthenticated: a call whose credentials (a bearer token, an enrollment token,
// a client certificate) have not been checked yet. A bearer token in the headers is checked here
// (a cache hit for a token in use: no I/O), so callers with a valid token never queue behind a
// flood of callers without one and are never refused by the bound. grpc-js runs a unary or server-streaming
// handler when the client half-closes, and the handlers check the credentials at once, before
// anything costly (call-handler.ts authenticate; agent-link-service.ts checks the enrollment
// token before reading the CSR, the client certificate before anything else). So such a call
// holds a place from its headers until its half-close: the window in which a caller without
// credentials makes us hold a request of up to its size limit. A call not complete within
// `requestWaitMs` is ended, so a caller trickling bytes cannot keep a place. Client-streaming
// calls (the agent session) are not counted: their handler starts with the headers and checks
// the client certificate at once.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import { OversizeRequest } from './request-limits.js';
import { UnauthenticatedGate } from './unauthenticated-gate.js';

export interface CallGuardOptions {
  /** Unauthenticated calls in progress at once, over all connections. */
  readonly maxUnauthenticatedCalls: number;
  /** How long a counted call may take to deliver its request (message and half-close). */
  readonly requestWaitMs: number;
  /** Whether the call's headers carry valid credentials (a bearer token); such calls are not counted. */
  readonly authenticated?: (metadata: grpc.Metadata) => boolean;
  /**
   * Told once of every call's end: its method path, status code and seconds since it arrived
   * (the coordinator's RPC metrics). A call the client cancels ends with CANCELLED.
   */
  readonly finished?: (path: string, code: grpc.status, seconds: number) => void;
}

export const DEFAULT_CALL_GUARD: CallGuardOptions = { maxUnauthenticatedCalls: 64, requestWaitMs: 10_000 };

export function callGuard(options: CallGuardOptions, logger: Logger): { interceptor: grpc.ServerInterceptor; gate: UnauthenticatedGate } {
  const gate = new UnauthenticatedGate(options.maxUnauthenticatedCalls);
  const log = logger.child({ component: 'call-guard' });
  const interceptor: grpc.ServerInterceptor = (method, call) => {
    const path = method.path;
    const counted = !method.requestStream;
    const arrived = performance.now();
    let ended = false;
    const end = (code: grpc.status): void => {
      if (ended) return;
      ended = true;
      options.finished?.(path, code, (performance.now() - arrived) / 1000);
    };
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
      end(code);
      call.sendStatus({ code, details, metadata: new grpc.Metadata() });
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            if (counted && !(options.authenticated?.(metadata) ?? false)) {
              if (!gate.tryEnter()) {
                log.warn({ method: path, limit: gate.limit }, 'unauthenticated call refused: limit reached');
                return refuse(
                  grpc.status.RESOURCE_EXHAUSTED,
                  `too many unauthenticated calls in progress (at most ${gate.limit} calls whose request has not arrived and been ` +
                    'authenticated yet); retry later',
                );
              }
              held = true;
              waiting = setTimeout(
                () =>
                  refuse(
                    grpc.status.DEADLINE_EXCEEDED,
                    `the request did not arrive (message and half-close) within ${options.requestWaitMs} ms of the call's start`,
                  ),
                options.requestWaitMs,
              );
              waiting.unref();
            }
            nextMetadata(metadata);
          },
          onReceiveMessage: (message: unknown, nextMessage) => {
            if (message instanceof OversizeRequest) {
              log.warn({ method: path, bytes: message.bytes, limit: message.limit }, 'request refused: too large');
              return refuse(
                grpc.status.RESOURCE_EXHAUSTED,
                `request too large: ${path} accepts at most ${message.limit} bytes per message, this one has ${message.bytes}`,
              );
            }
            nextMessage(message);
          },
          onReceiveHalfClose: (nextHalfClose) => {
            // grpc-js runs a unary or server-streaming handler on the client's half-close; it
            // checks the credentials at once. Until then the call holds its place (and its timer).
            nextHalfClose();
            release();
          },
          onCancel: () => {
            release();
            end(grpc.status.CANCELLED);
          },
        }),
      sendStatus: (status, next) => {
        release();
        end(status.code);
        next(status);
      },
    });
  };
  return { interceptor, gate };
}
