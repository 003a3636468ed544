// Where an OVSDB server is and how to open a byte stream to it: the active connection methods of
// ovsdb(7) — unix:FILE, tcp:HOST:PORT and ssl:HOST:PORT. OVS always asks for a client certificate
// on ssl (lib/stream-ssl.c sets SSL_VERIFY_FAIL_IF_NO_PEER_CERT), so TLS needs key, cert and CA.

import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

export type Remote =
  { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'ssl'; host: string; port: number };

export interface TlsMaterial {
  /** PEM strings: the client's key and certificate, and the CA that signed the server's certificate. */
  key: string;
  cert: string;
  ca: string;
  /** Name to check in the server certificate; default: the host. */
  servername?: string;
}

const DEFAULT_PORT = 6640;

/** Parses "unix:/run/openvswitch/db.sock", "tcp:127.0.0.1:6640", "ssl:[::1]:6640". */
export function parseRemote(text: string): Remote {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'unix') {
    if (!rest) throw new Error(`OVSDB remote "${text}": unix: needs a socket path`);
    return { kind, path: rest };
  }
  if (kind === 'tcp' || kind === 'ssl') {
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(rest);
    if (!m) throw new Error(`OVSDB remote "${text}": expected ${kind}:HOST[:PORT]`);
    const host = m[1] ?? m[2]!;
    const port = m[3] === undefined ? DEFAULT_PORT : Number(m[3]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`OVSDB remote "${text}": port must be 1-65535`);
    }
    return { kind, host, port };
  }
  throw new Error(`OVSDB remote "${text}": expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT`);
}

export function formatRemote(remote: Remote): string {
  if (remote.kind === 'unix') return `unix:${remote.path}`;
  const host = remote.host.includes(':') ? `[${remote.host}]` : remote.host;
  return `${remote.kind}:${host}:${remote.port}`;
}

/** Opens a stream to the remote; resolves once it is connected (after the TLS handshake for ssl). */
export function openStream(remote: Remote, tlsMaterial: TlsMaterial | undefined, timeoutMs: number): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    let socket: net.Socket;
    const readyEvent = remote.kind === 'ssl' ? 'secureConnect' : 'connect';
    if (remote.kind === 'unix') {
      socket = net.connect({ path: remote.path });
    } else if (remote.kind === 'tcp') {
      socket = net.connect({ host: remote.host, port: remote.port });
    } else {
      if (!tlsMaterial) {
        reject(new Error(`OVSDB remote ${formatRemote(remote)} needs a client key, certificate and CA`));
        return;
      }
      socket = tls.connect({
        host: remote.host,
        port: remote.port,
        key: tlsMaterial.key,
        cert: tlsMaterial.cert,
        ca: tlsMaterial.ca,
        servername: tlsMaterial.servername ?? (net.isIP(remote.host) ? undefined : remote.host),
        minVersion: 'TLSv1.2',
        // OVS certificates name switches and controllers, not hosts; trust comes from the CA. A name
        // is checked only when the caller gives one (TlsMaterial.servername says it is checked).
        checkServerIdentity: (_host, cert) =>
          tlsMaterial.servername === undefined ? undefined : tls.checkServerIdentity(tlsMaterial.servername, cert),
      });
    }
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`OVSDB connect to ${formatRemote(remote)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const onError = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`OVSDB connect to ${formatRemote(remote)} failed: ${err.message}`, { cause: err }));
    };
    socket.once('error', onError);
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      socket.off('error', onError);
      if (remote.kind !== 'unix') socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
