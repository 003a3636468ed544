// How a gRPC call that is expected to fail failed: its status name and details, or the error itself.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'vitest';

/** The status (by name) and details a call failed with; throws if it succeeded. */
export async function failure(call: Promise<unknown>): Promise<{ code: string; details: string }> {
  const e = await refusal(call);
  return { code: grpc.status[e.code] ?? String(e.code), details: e.details };
}

/** The details of a call that must fail with INVALID_ARGUMENT. */
export async function invalid(call: Promise<unknown>): Promise<string> {
  const { code, details } = await failure(call);
  expect(code, details).toBe('INVALID_ARGUMENT');
  return details;
}

/** The error a call was refused with; throws if it was accepted. */
export async function refusal(call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call was unexpectedly accepted');
}
