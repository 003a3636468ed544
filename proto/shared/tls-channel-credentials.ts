// TLS channel credentials for grpc-js clients that may dial the coordinator by IP address.
//
// grpc-js's own createSsl() sets the TLS ServerName (SNI) to the target's host whatever it is, and
// for an IP address Node then prints "DeprecationWarning: Setting the TLS ServerName to an IP
// address is not permitted by RFC 6066" (DEP0123) on the first connection. RFC 6066 §3: "Literal
// IPv4 and IPv6 addresses are not permitted in HostName". These credentials send SNI only for a
// DNS name. The certificate check is unchanged: Node's tls.connect verifies the peer against
// `servername || host`, so an IP target must still appear among the certificate's IP SANs.
//
// ChannelCredentials._createSecureConnector is the extension point grpc-js declares for this (the
// connector types are exported under grpc.experimental); nothing of grpc-js is patched.

import net from 'node:net';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';

type SecureConnector = grpc.experimental.SecureConnector;
type SecureConnectResult = grpc.experimental.SecureConnectResult;

export interface TlsChannelMaterial {
  /** The CA the server's certificate must chain to. */
  caPem: string;
  /** A client key and certificate for mutual TLS; absent for server-authenticated TLS only. */
  client?: { keyPem: string; certPem: string };
  /**
   * The name the server's certificate must carry when the target is an address that name resolved
   * to (an agent dialing each address of a coordinator DNS name): sent as SNI and checked in place
   * of the target's host. Absent: the target's host, as before.
   */
  serverName?: string;
}

/** The host part of a gRPC target's path ("10.0.0.5:7443", "[::1]:7443", "coord.example"). */
export function targetHost(target: grpc.experimental.GrpcUri): string {
  return grpc.experimental.splitHostPort(target.path)?.host ?? target.path;
}

/** The TLS options for one connection to host: SNI for a name only, ALPN h2 as gRPC needs. */
export function connectionOptions(context: tls.SecureContext, host: string, serverName?: string): tls.ConnectionOptions {
  const name = serverName ?? host;
  return {
    secureContext: context,
    host,
    ALPNProtocols: ['h2'],
    ...(net.isIP(name) === 0 ? { servername: name } : {}),
    // Node checks the certificate against `servername || host`; an IP serverName sends no SNI, so
    // check it explicitly.
    ...(serverName !== undefined && net.isIP(serverName) !== 0
      ? { checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(serverName, cert) }
      : {}),
  };
}

class TlsConnector implements SecureConnector {
  constructor(
    private readonly options: tls.ConnectionOptions,
    private readonly callCredentials: grpc.CallCredentials,
  ) {}

  connect(socket: net.Socket): Promise<SecureConnectResult> {
    return new Promise((resolve, reject) => {
      const tlsSocket = tls.connect({ ...this.options, socket }, () => {
        // rejectUnauthorized is on (Node's default), so an unverified peer has already failed; kept
        // as grpc-js keeps it, in case that default ever changes.
        if (!tlsSocket.authorized) {
          reject(tlsSocket.authorizationError ?? new Error('TLS peer not authorized'));
          tlsSocket.destroy();
          return;
        }
        resolve({ socket: tlsSocket, secure: true });
      });
      // Kept after the handshake too: an error with no listener would be thrown out of the process.
      tlsSocket.on('error', reject);
    });
  }

  waitForReady(): Promise<void> {
    return Promise.resolve();
  }

  getCallCredentials(): grpc.CallCredentials {
    return this.callCredentials;
  }

  destroy(): void {}
}

export class TlsChannelCredentials extends grpc.ChannelCredentials {
  private readonly context: tls.SecureContext;
  private readonly serverName: string | undefined;

  constructor(material: TlsChannelMaterial) {
    super();
    this.serverName = material.serverName;
    this.context = tls.createSecureContext({
      ca: material.caPem,
      ...(material.client ? { key: material.client.keyPem, cert: material.client.certPem } : {}),
    });
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(
    channelTarget: grpc.experimental.GrpcUri,
    _options: grpc.ChannelOptions,
    callCredentials?: grpc.CallCredentials,
  ): SecureConnector {
    return new TlsConnector(
      connectionOptions(this.context, targetHost(channelTarget), this.serverName),
      callCredentials ?? grpc.CallCredentials.createEmpty(),
    );
  }
}
