// An etcd3 client for a list of endpoints, over TLS when given. etcd3 (and the gRPC stubs it builds
// from etcd's protos) is loaded here, on the first connection, not with the modules that use it: a
// coordinator on LMDB, and each of its commands, never pays for it (about 0.1-0.2 s of CPU a start).
import type { Etcd3 } from 'etcd3';

export interface EtcdTls {
  /** PEM: the CA that signed the members' certificates. */
  readonly ca: Buffer;
  /** PEM client certificate and key, when the members require client certificates. */
  readonly cert: Buffer | null;
  readonly key: Buffer | null;
}

/** How many failed calls in a row take a member out of the pool, and for how long (etcd3's defaults). */
const MEMBER_FAILURES = 3;
const MEMBER_OUT_MS = 5000;

/**
 * A client; no call is made yet. Its fault handling is etcd3's default (a call a member failed is
 * tried on another, up to three times; three failures in a row take that member out of the pool
 * for 5 s) but for what counts as the member failing: etcd3 counts RESOURCE_EXHAUSTED too, which
 * is etcd refusing a write for want of space (alarm NOSPACE) or a request too large, answers of a
 * member that works. Counted, a cluster out of space took every member out after three refused
 * writes, and the reads and the lease's keepalives with them.
 */
export async function connectEtcd(endpoints: readonly string[], tls: EtcdTls | null): Promise<Etcd3> {
  const { Etcd3, GRPCResourceExhastedError, isRecoverableError } = await import('etcd3');
  const { circuitBreaker, ConsecutiveBreaker, handleWhen, retry } = await import('cockatiel');
  const memberFailed = handleWhen((error) => isRecoverableError(error) && !(error instanceof GRPCResourceExhastedError));
  return new Etcd3({
    hosts: [...endpoints],
    faultHandling: {
      host: () => circuitBreaker(memberFailed, { halfOpenAfter: MEMBER_OUT_MS, breaker: new ConsecutiveBreaker(MEMBER_FAILURES) }),
      global: retry(memberFailed, { maxAttempts: MEMBER_FAILURES }),
    },
    ...(tls
      ? {
          credentials: {
            rootCertificate: tls.ca,
            ...(tls.key ? { privateKey: tls.key } : {}),
            ...(tls.cert ? { certChain: tls.cert } : {}),
          },
        }
      : {}),
  });
}
