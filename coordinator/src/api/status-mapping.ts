// The one place errors become gRPC statuses. Typed domain errors map by kind; anything else is
// unexpected: logged with its stack and answered INTERNAL without internals.
import * as grpc from '@grpc/grpc-js';
import { DomainError, type ErrorKind } from '../domain-error.js';
import type { Logger } from '../logger.js';

const CODES: Record<ErrorKind, grpc.status> = {
  'invalid-argument': grpc.status.INVALID_ARGUMENT,
  'not-found': grpc.status.NOT_FOUND,
  'already-exists': grpc.status.ALREADY_EXISTS,
  'failed-precondition': grpc.status.FAILED_PRECONDITION,
  'permission-denied': grpc.status.PERMISSION_DENIED,
  'resource-exhausted': grpc.status.RESOURCE_EXHAUSTED,
  'out-of-range': grpc.status.OUT_OF_RANGE,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  cancelled: grpc.status.CANCELLED,
  'deadline-exceeded': grpc.status.DEADLINE_EXCEEDED,
  unavailable: grpc.status.UNAVAILABLE,
};

export function toServiceError(error: unknown, logger: Logger, method: string): Partial<grpc.StatusObject> {
  if (error instanceof DomainError) return { code: CODES[error.kind], details: error.message };
  logger.error({ err: error, method }, 'unexpected error');
  return { code: grpc.status.INTERNAL, details: 'internal error (logged by the coordinator)' };
}
