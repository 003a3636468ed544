// Where the agent reaches LXD: the local unix socket, found the way LXD's own client finds it, or
// the HTTPS API with a client certificate and the server certificate pinned (as `lxc remote add`
// does: the one certificate accepted is the one stored, whatever name it carries).

import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { LxdCredentialsError } from './errors.js';

export interface UnixEndpoint {
  kind: 'unix';
  socketPath: string;
}

export interface HttpsEndpoint {
  kind: 'https';
  /** https://host:port */
  url: string;
  certPem: string;
  keyPem: string;
  /** The server certificate to pin; its SHA-256 fingerprint is what is checked. */
  serverCertPem: string;
}

export type LxdEndpoint = UnixEndpoint | HttpsEndpoint;

/**
 * LXD's client order: $LXD_SOCKET, then $LXD_DIR/unix.socket, then the snap's socket, then the
 * packaged daemon's /var/lib/lxd/unix.socket. The first that exists wins; when none exists the
 * last candidate is returned so the error names a real default.
 */
export function resolveLxdSocket(
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (p: string) => boolean = existsSync,
): string {
  if (env.LXD_SOCKET) return env.LXD_SOCKET;
  if (env.LXD_DIR) return path.join(env.LXD_DIR, 'unix.socket');
  const candidates = ['/var/snap/lxd/common/lxd/unix.socket', '/var/lib/lxd/unix.socket'];
  return candidates.find((c) => exists(c)) ?? candidates[candidates.length - 1]!;
}

export function describeEndpoint(e: LxdEndpoint): string {
  return e.kind === 'unix' ? `unix:${e.socketPath}` : e.url;
}

/** SHA-256 fingerprint (lowercase hex, no colons) of a PEM certificate, as LXD prints fingerprints. */
export function certificateFingerprint(pem: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    throw new LxdCredentialsError(`not a PEM certificate: ${(err as Error).message}`);
  }
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

export interface PinnedTlsOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  /** Expected server certificate fingerprint (certificateFingerprint format). */
  fingerprint: string;
}

/**
 * A TLS connection that presents the client certificate and accepts the server only when its
 * certificate has the pinned fingerprint; the callback sees the socket only after that check, so no
 * request is written to an impostor.
 */
export function connectPinned(o: PinnedTlsOptions, cb: (err: Error | null, socket: tls.TLSSocket | null) => void): tls.TLSSocket {
  const socket = tls.connect({
    host: o.host,
    port: o.port,
    cert: o.certPem,
    key: o.keyPem,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
  });
  let done = false;
  const finish = (err: Error | null): void => {
    if (done) return;
    done = true;
    if (err) {
      socket.destroy();
      cb(err, null);
    } else cb(null, socket);
  };
  socket.once('secureConnect', () => {
    const peer = socket.getPeerX509Certificate();
    const got = peer?.fingerprint256.replace(/:/g, '').toLowerCase() ?? '(none)';
    finish(
      got === o.fingerprint
        ? null
        : new LxdCredentialsError(`server certificate ${got} at ${o.host}:${o.port} is not the pinned one ${o.fingerprint}`),
    );
  });
  socket.once('error', (err: Error) => finish(err));
  return socket;
}
