// Getting this host's client certificate trusted by LXD over HTTPS (POST /1.0/certificates), by a
// trust token (`lxc config trust add`) or by the server's trust password (core.trust_password).
// LXD 5.0 has no trust_token field: the token goes in `password`, whole, as the 5.0 client sends it
// (checked against LXD 5.0.2: the token's secret alone is refused). The token also names the server
// certificate's fingerprint, so with a token the server is pinned without asking the operator.

import { readFile } from 'node:fs/promises';
import { certificateFingerprint } from './endpoint.js';
import { LxdCredentialsError } from './errors.js';
import { fetchServerCertificate, type LxdCredentialFiles } from './client-credentials.js';
import { LxdClient } from './rest-client.js';

export interface TrustToken {
  clientName: string;
  fingerprint: string;
  addresses: string[];
  secret: string;
}

/** LXD's certificate add token: base64 of {client_name, fingerprint, addresses, secret, expires_at}. */
export function decodeTrustToken(token: string): TrustToken {
  let raw: { client_name?: unknown; fingerprint?: unknown; addresses?: unknown; secret?: unknown };
  try {
    raw = JSON.parse(Buffer.from(token.trim(), 'base64').toString('utf8')) as typeof raw;
  } catch {
    throw new LxdCredentialsError('the trust token is not an LXD certificate add token (base64 JSON from `lxc config trust add`)');
  }
  if (typeof raw.fingerprint !== 'string' || typeof raw.secret !== 'string' || !raw.secret) {
    throw new LxdCredentialsError('the trust token has no server fingerprint or secret');
  }
  return {
    clientName: typeof raw.client_name === 'string' ? raw.client_name : '',
    fingerprint: raw.fingerprint.toLowerCase(),
    addresses: Array.isArray(raw.addresses) ? raw.addresses.filter((a): a is string => typeof a === 'string') : [],
    secret: raw.secret,
  };
}

export interface TrustRequest {
  url: string;
  files: LxdCredentialFiles;
  /** Exactly one of token and password. */
  token?: string;
  password?: string;
  /**
   * The server certificate fingerprint the operator expects (required with a password unless the
   * server certificate file is there already; with a token it defaults to the token's).
   */
  serverFingerprint?: string;
  name?: string;
}

export interface TrustResult {
  serverFingerprint: string;
  clientFingerprint: string;
  /** LXD's auth field afterwards: "trusted". */
  auth: string;
  /** The projects the certificate is restricted to; null when unrestricted (or LXD did not say). */
  restrictedTo: string[] | null;
}

interface RawCertificate {
  fingerprint?: string;
  restricted?: boolean;
  projects?: string[];
}

/**
 * The projects LXD restricts a trusted client certificate to, or null when it is unrestricted or
 * not listed. /1.0/certificates lists every certificate to an unrestricted client and only its own
 * to a restricted one (LXD 5.0.2, checked).
 */
export async function certificateRestriction(client: LxdClient, fingerprint: string): Promise<string[] | null> {
  const certs = await client.get<RawCertificate[]>('/1.0/certificates', { query: { recursion: '1' } });
  const own = (Array.isArray(certs) ? certs : []).find((c) => c.fingerprint?.toLowerCase() === fingerprint.toLowerCase());
  return own?.restricted ? [...(own.projects ?? [])] : null;
}

export async function trustLxd(req: TrustRequest): Promise<TrustResult> {
  if (Boolean(req.token) === Boolean(req.password)) throw new LxdCredentialsError('give exactly one of a trust token or a trust password');
  const token = req.token ? decodeTrustToken(req.token) : null;
  const serverPem = await fetchServerCertificate(req.url);
  const got = certificateFingerprint(serverPem);
  const expected = (req.serverFingerprint ?? token?.fingerprint ?? (await pinnedFingerprint(req.files)))?.replace(/:/g, '').toLowerCase();
  if (!expected)
    throw new LxdCredentialsError(
      `LXD at ${req.url} presents certificate ${got}; confirm it with --server-fingerprint (lxc info | grep certificate_fingerprint ` +
        'on the host)',
    );
  if (expected !== got)
    throw new LxdCredentialsError(
      `LXD at ${req.url} presents certificate ${got}, not the expected ${expected}; refusing to send credentials`,
    );
  await req.files.saveServerCertificate(serverPem);
  const endpoint = await req.files.endpoint(req.url);
  const client = new LxdClient(endpoint, { connections: 1 });
  try {
    const before = await client.get<{ auth?: string }>('/1.0');
    if (before.auth !== 'trusted') {
      const body: Record<string, unknown> = { type: 'client', password: req.token ? req.token.trim() : req.password };
      if (req.name) body.name = req.name;
      await client.call('POST', '/1.0/certificates', { body });
    }
    const after = await client.get<{ auth?: string }>('/1.0');
    if (after.auth !== 'trusted')
      throw new LxdCredentialsError(`LXD accepted the request but still reports this certificate as ${after.auth ?? 'unknown'}`);
    const clientFingerprint = certificateFingerprint(endpoint.certPem);
    return {
      serverFingerprint: got,
      clientFingerprint,
      auth: after.auth,
      restrictedTo: await certificateRestriction(client, clientFingerprint),
    };
  } finally {
    await client.close();
  }
}

async function pinnedFingerprint(files: LxdCredentialFiles): Promise<string | undefined> {
  try {
    return certificateFingerprint(await readFile(files.paths.serverCertFile, 'utf8'));
  } catch {
    return undefined;
  }
}
