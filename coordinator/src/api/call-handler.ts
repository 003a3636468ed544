// Wraps service methods: refuse calls already past their deadline, authenticate the bearer token,
// validate the request, run, and map errors to a status exactly once (status-mapping.ts).
import * as grpc from '@grpc/grpc-js';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ApiTokens } from '../tenancy/api-tokens.js';
import { UnauthenticatedError } from '../tenancy/errors.js';
import type { Principal } from '../tenancy/user.js';
import { parseRequest } from './request-schemas.js';
import { toServiceError } from './status-mapping.js';
import { DomainError } from '../domain-error.js';

export interface ApiContext {
  readonly tokens: ApiTokens;
  readonly logger: Logger;
}

export interface CallInfo {
  /** True once the client has cancelled or its deadline has passed. */
  readonly cancelled: () => boolean;
}

/** A server stream's end, as its handler sees it. */
export interface StreamControl {
  /**
   * Aborted once the stream is over for whatever reason: the client cancelled or went away, the
   * token it was opened with was revoked or expired, or the stream failed. Free everything then.
   */
  readonly signal: AbortSignal;
  /** Ends the stream with the status of `error` (the first call wins; later ones do nothing). */
  fail(error: unknown): void;
  /**
   * Who the stream's token stands for now: a long stream sees group membership change under it.
   * (Cheap: verified tokens are cached, and the cache is cleared by any user, group or token change.)
   */
  principal(): Principal;
}

function bearerToken(metadata: grpc.Metadata): string {
  const values = metadata.get('authorization');
  const header = typeof values[0] === 'string' ? values[0] : '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new UnauthenticatedError('missing bearer token (authorization metadata)');
  return match[1];
}

// The call guard authenticates the headers as they arrive (hasValidBearerToken) and the handler
// asks again for the same metadata object: ApiTokens answers the second ask without checking again.
function authenticate(tokens: ApiTokens, metadata: grpc.Metadata): Principal {
  return tokens.authenticateCall(metadata, () => bearerToken(metadata));
}

/** Whether `metadata` carries a bearer token that authenticates now (the call guard's question). */
export function hasValidBearerToken(tokens: ApiTokens, metadata: grpc.Metadata): boolean {
  try {
    authenticate(tokens, metadata);
    return true;
  } catch {
    return false;
  }
}

// The caller's deadline is wall-clock time set by the client, and grpc-js enforces it by real
// timers: it is compared with the real time, not with the coordinator's injected Clock.
function pastDeadline(call: { getDeadline(): grpc.Deadline }): boolean {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) && ms <= Date.now();
}

/**
 * What a request schema may expect of a decoded request `Req` (the generated X__Output type): any
 * of its fields, nested alike, with enum names read as plain strings (the schema checks them).
 * A schema expecting a field the message lacks, or a field of another type, does not compile.
 */
export type RequestShape<Req> = Req extends readonly (infer E)[]
  ? RequestShape<E>[]
  : Req extends string
    ? string
    : Req extends object
      ? { [K in keyof Req]?: RequestShape<Req[K]> }
      : Req;

/** A zod schema for the decoded request `Req`, producing the domain input `Input`. */
export type RequestSchema<Req, Input> = z.ZodType<Input, RequestShape<Req>>;

/** Fields a schema reads that the message `Req` lacks (a schema with a catch-all is not checked). */
type UnknownFields<Input, Req> = string extends keyof Input ? never : Exclude<keyof Input, keyof Req>;

/** Accepts a schema reading only fields of `Req`; otherwise tsc names the fields the .proto lacks. */
type OnlyFieldsOf<Req, S extends z.ZodType> = [UnknownFields<z.input<S>, Req>] extends [never]
  ? unknown
  : { 'fields the .proto message lacks': UnknownFields<z.input<S>, Req> };

const DEADLINE_EXCEEDED = { code: grpc.status.DEADLINE_EXCEEDED, details: 'deadline exceeded before the call started' };

export function unary<Req, Res, S extends RequestSchema<NoInfer<Req>, unknown>>(
  ctx: ApiContext,
  method: string,
  schema: S & OnlyFieldsOf<NoInfer<Req>, S>,
  run: (principal: Principal, input: z.output<S>, info: CallInfo) => Promise<NoInfer<Res>> | NoInfer<Res>,
): grpc.handleUnaryCall<Req, Res> {
  const debug = ctx.logger.isLevelEnabled('debug');
  return (call, callback) => {
    if (pastDeadline(call)) return callback(DEADLINE_EXCEEDED);
    const started = performance.now();
    const info: CallInfo = { cancelled: () => call.cancelled || pastDeadline(call) };
    void (async () => {
      let principal: Principal | undefined;
      try {
        principal = authenticate(ctx.tokens, call.metadata);
        const input = parseRequest(schema, call.request);
        const result = await run(principal, input, info);
        callback(null, result);
        if (debug) ctx.logger.debug({ method, user: principal.user, durationMs: performance.now() - started }, 'call');
      } catch (error) {
        const status = toServiceError(error, ctx.logger, method);
        if (debug) ctx.logger.debug({ method, user: principal?.user, code: status.code, details: status.details }, 'call failed');
        callback(status);
      }
    })();
  };
}

/**
 * A server-streaming handler. Beyond what unary() does, the stream lives only as long as the token
 * it was opened with: a revocation or expiry ends it with UNAUTHENTICATED (api-tokens.ts watch()).
 * `run` is given a StreamControl whose signal aborts when the stream is over, however it ends.
 */
export function serverStream<Req, Res, S extends RequestSchema<NoInfer<Req>, unknown>>(
  ctx: ApiContext,
  method: string,
  schema: S & OnlyFieldsOf<NoInfer<Req>, S>,
  run: (principal: Principal, input: z.output<S>, call: grpc.ServerWritableStream<Req, Res>, control: StreamControl) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    if (pastDeadline(call)) {
      call.emit('error', DEADLINE_EXCEEDED);
      return;
    }
    const over = new AbortController();
    let unwatch = (): void => undefined;
    let token = '';
    const finish = (): void => {
      if (over.signal.aborted) return;
      over.abort();
      unwatch();
    };
    const control: StreamControl = {
      signal: over.signal,
      fail: (error) => {
        if (over.signal.aborted) return;
        finish();
        call.emit('error', toServiceError(error, ctx.logger, method));
      },
      principal: () => ctx.tokens.authenticate(token),
    };
    call.on('cancelled', finish);
    call.on('finish', finish);
    call.on('close', finish);
    void (async () => {
      try {
        token = bearerToken(call.metadata);
        const principal = ctx.tokens.authenticate(token);
        unwatch = ctx.tokens.watch(token, (error) => control.fail(error));
        if (over.signal.aborted) unwatch(); // cancelled before the watch was in place
        await run(principal, parseRequest(schema, call.request), call, control);
      } catch (error) {
        control.fail(error);
      }
    })();
  };
}

/** The client went away in the middle of its stream. */
export class ClientStreamCancelledError extends DomainError {
  readonly kind = 'cancelled';

  constructor(readonly method: string) {
    super(`${method}: the client cancelled the call`);
  }
}

/**
 * A client-streaming handler: deadline and authentication as unary() (at once, from the headers,
 * before any message is read); `run` reads the messages (checking each itself) and answers once.
 * A client that cancels ends the messages' iteration with ClientStreamCancelledError.
 */
export function clientStream<Req, Res>(
  ctx: ApiContext,
  method: string,
  run: (principal: Principal, messages: AsyncIterable<Req>, info: CallInfo) => Promise<NoInfer<Res>>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    if (pastDeadline(call)) return callback(DEADLINE_EXCEEDED);
    const info: CallInfo = { cancelled: () => call.cancelled || pastDeadline(call) };
    call.on('cancelled', () => call.destroy(new ClientStreamCancelledError(method)));
    void (async () => {
      try {
        const principal = authenticate(ctx.tokens, call.metadata);
        callback(null, await run(principal, call, info));
      } catch (error) {
        callback(toServiceError(error, ctx.logger, method));
      }
    })();
  };
}
