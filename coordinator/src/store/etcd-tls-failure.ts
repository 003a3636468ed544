// A TLS handshake with etcd that failed, told apart from an unreachable cluster. grpc-js reports
// both as UNAVAILABLE "No connection established" with OpenSSL's or Node's text as the last
// error; that text is read here, once, at the boundary, into what the operator must fix: etcd's
// certificate is not from --etcd-ca, it does not carry the address dialed, or etcd refused (or
// needed) this coordinator's client certificate.
import { StoreError } from './errors.js';
import type { EtcdTlsFiles } from './store-location.js';

export class EtcdTlsError extends StoreError {
  constructor(
    readonly endpoints: readonly string[],
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`etcd at ${endpoints.join(',')}: TLS: ${problem}`, options);
    this.name = 'EtcdTlsError';
  }
}

const UNTRUSTED = new RegExp(
  [
    'unable to verify the first certificate',
    'self[- ]signed certificate',
    'unable to get (local )?issuer',
    'certificate signature failure',
  ].join('|'),
  'i',
);
const WRONG_NAME = /Hostname\/IP does not match|ERR_TLS_CERT_ALTNAME_INVALID/i;
const CLIENT_REFUSED = /alert (bad certificate|certificate required|unknown ca|certificate unknown)|SSL alert number (42|46|48|116)\b/i;

/** The TLS problem `error` (or a cause of it) reports, or null when it is not one. */
export function etcdTlsFailure(error: unknown, endpoints: readonly string[], tls: EtcdTlsFiles | null): EtcdTlsError | null {
  const text = messages(error);
  const client = tls?.certFile ? `the client certificate ${tls.certFile}` : 'no client certificate (--etcd-cert/--etcd-key not given)';
  let problem: string | null = null;
  if (UNTRUSTED.test(text))
    problem = `etcd's server certificate is not signed by --etcd-ca ${tls?.caFile ?? '(none)'}: give the CA that issued etcd's --cert-file`;
  else if (WRONG_NAME.test(text)) problem = "etcd's server certificate does not name the address dialed: give URLs its certificate names";
  else if (CLIENT_REFUSED.test(text))
    problem = `etcd refused ${client}: etcd asks for a client certificate (--client-cert-auth) from a CA it trusts (--trusted-ca-file)`;
  return problem === null ? null : new EtcdTlsError(endpoints, `${problem} (${firstLine(text)})`, { cause: error });
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) parts.push(e.message);
  return parts.join(' | ');
}

function firstLine(text: string): string {
  const last = /Last error: ([^\n]*)/.exec(text)?.[1] ?? text;
  return last.replace(/\. Resolution note:.*$/, '').slice(0, 200);
}
