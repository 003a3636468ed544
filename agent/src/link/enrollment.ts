// Enrollment and renewal: a key and CSR made here, a certificate signed by the coordinator.
// Nothing is written unless the coordinator accepted the request.

import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { AgentError } from '../common/agent-error.js';
import { type Credentials, CredentialFiles, newKeyAndCsr } from './credentials.js';
import { agentClient, isRefusal, unary, type DialTarget } from './grpc-channel.js';

export class EnrollmentRefusedError extends AgentError {
  readonly code = 'enrollment-refused';
}

/** Enrolls with a single-use token; stores key (0600), certificate and CA only on success. */
export async function enroll(
  address: DialTarget,
  caPem: string,
  token: string,
  agentName: string,
  files: CredentialFiles,
  timeoutMs: number,
  log: Logger,
): Promise<Credentials> {
  const { keyPem, csrPem } = newKeyAndCsr(agentName);
  const client = agentClient(address, caPem);
  try {
    const res = await unary(client, 'Enroll', { token, csrPem }, timeoutMs);
    const creds = await files.save(keyPem, res.certificatePem, res.caPem || caPem);
    log.info({ agentId: creds.agentId, notAfter: creds.notAfter.toISOString() }, 'enrolled with the coordinator');
    return creds;
  } catch (err) {
    const e = err as Error & { code?: grpc.status; details?: string };
    // The request itself is refused: a bad token or CSR, or a token that is not (or no longer) valid.
    if (e.code !== undefined && (e.code === grpc.status.INVALID_ARGUMENT || isRefusal(e.code)))
      throw new EnrollmentRefusedError(`enrollment refused: ${e.details ?? e.message}`);
    throw err;
  } finally {
    client.close();
  }
}

/** Renews the certificate with a new key over mTLS; the old files stay until the new ones are in place. */
export async function renew(
  address: DialTarget,
  current: Credentials,
  files: CredentialFiles,
  timeoutMs: number,
  log: Logger,
): Promise<Credentials> {
  const { keyPem, csrPem } = newKeyAndCsr(current.agentId);
  const client = agentClient(address, current.caPem, current);
  try {
    const res = await unary(client, 'Renew', { csrPem }, timeoutMs);
    const creds = await files.save(keyPem, res.certificatePem, current.caPem);
    log.info({ agentId: creds.agentId, notAfter: creds.notAfter.toISOString() }, 'renewed the agent certificate');
    return creds;
  } finally {
    client.close();
  }
}

/** When to renew: two thirds into the certificate's lifetime. */
export function renewAt(creds: Credentials): number {
  const start = creds.notBefore.getTime();
  return start + ((creds.notAfter.getTime() - start) * 2) / 3;
}
