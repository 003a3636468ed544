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

/** A client; no call is made yet. */
export async function connectEtcd(endpoints: readonly string[], tls: EtcdTls | null): Promise<Etcd3> {
  const { Etcd3 } = await import('etcd3');
  return new Etcd3({
    hosts: [...endpoints],
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
