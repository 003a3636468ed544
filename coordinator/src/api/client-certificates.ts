// Server credentials that ask TLS clients for a certificate signed by our CA without requiring
// one: agents present theirs (and the agent-link handlers verify it against the CA themselves),
// people connect with a bearer token and no certificate, all on one port.
// grpc-js offers "request but do not require" only through its certificate-provider credentials
// (requestCert = a CA provider is set, rejectUnauthorized = requireClientCertificate).
import * as grpc from '@grpc/grpc-js';
import type { IssuedCertificate } from '../pki/certificate-authority.js';

type Provider = grpc.experimental.CertificateProvider;
type CaListener = grpc.experimental.CaCertificateUpdateListener;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;

/**
 * Fixed material. Listeners are called on the next microtask, not inside add...Listener: grpc-js
 * registers its server watcher only after adding the listeners, and drops every connection until
 * a watcher has seen the material.
 */
class StaticCertificates implements Provider {
  constructor(
    private readonly ca: Buffer,
    private readonly identity: { certificate: Buffer; privateKey: Buffer },
  ) {}

  addCaCertificateListener(listener: CaListener): void {
    queueMicrotask(() => listener({ caCertificate: this.ca }));
  }

  removeCaCertificateListener(): void {}

  addIdentityCertificateListener(listener: IdentityListener): void {
    queueMicrotask(() => listener(this.identity));
  }

  removeIdentityCertificateListener(): void {}
}

export function requestedClientCertificates(server: IssuedCertificate, caPem: string): grpc.ServerCredentials {
  const provider = new StaticCertificates(Buffer.from(caPem), {
    certificate: Buffer.from(server.certPem),
    privateKey: Buffer.from(server.keyPem),
  });
  return grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false);
}
