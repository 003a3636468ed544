// gRPC handlers of mooring.v1.AgentService: Enroll (token, no client certificate), Renew and
// Session (mutual TLS: the client certificate's subject CN is the agent id). Errors become gRPC
// statuses once, through status-mapping.
import * as grpc from '@grpc/grpc-js';
import forge from 'node-forge';
import type {
  AgentMessage,
  CoordinatorMessage,
  EnrollRequestMessage,
  EnrollResponseMessage,
  RenewRequestMessage,
  RenewResponseMessage,
} from '../../../proto/mooring/v1/agent-types.js';
import { toServiceError } from '../api/status-mapping.js';
import { InvalidArgumentError } from '../domain-error.js';
import type { Logger } from '../logger.js';
import type { CertificateAuthority } from '../pki/certificate-authority.js';
import { InvalidCsrError } from '../pki/errors.js';
import type { Store } from '../store/store.js';
import type { AgentRegistry } from './agent-registry.js';
import type { EnrollmentTokens } from './enrollment-tokens.js';
import { AgentUnauthenticatedError, CsrNameMismatchError } from './errors.js';
import type { SessionHub } from './session-hub.js';

export interface AgentLinkDeps {
  store: Store;
  ca: CertificateAuthority;
  tokens: EnrollmentTokens;
  registry: AgentRegistry;
  hub: SessionHub;
  certValidityDays: number;
  logger: Logger;
}

/** How long a stream may go without its hello before it is dropped. */
const HELLO_TIMEOUT_MS = 10_000;

function csrCommonName(csrPem: string): string {
  if (!csrPem) throw new InvalidArgumentError('csr_pem', 'required');
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (err) {
    throw new InvalidCsrError(`cannot parse: ${(err as Error).message}`);
  }
  const cn = csr.subject.getField('CN') as { value?: unknown } | null;
  if (typeof cn?.value !== 'string' || cn.value === '') throw new InvalidCsrError('the subject has no common name (the agent id)');
  return cn.value;
}

function certFacts(certPem: string): { serial: string; notAfter: number } {
  const cert = forge.pki.certificateFromPem(certPem);
  return { serial: cert.serialNumber, notAfter: cert.validity.notAfter.getTime() };
}

/**
 * The agent id from the client certificate. The API port asks for a client certificate without
 * requiring one (people use tokens there). grpc-js hands a handler the peer certificate only when
 * TLS verified it against our CA (socket.authorized); it is checked once more here, signature and
 * validity, before its subject is believed.
 */
function peerAgentId(call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, ca: CertificateAuthority): string {
  const cert = call.getAuthContext()?.sslPeerCertificate;
  const cn = cert?.subject?.CN;
  if (!cert?.raw || typeof cn !== 'string' || cn === '') {
    throw new AgentUnauthenticatedError(
      "this call needs the agent's client certificate issued by this coordinator's CA at enrollment (none was presented, or the one presented was not issued by this CA)",
    );
  }
  const pem = `-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  if (!ca.verifies(pem)) throw new AgentUnauthenticatedError(`the client certificate for "${cn}" was not issued by this coordinator's CA or is not valid now`);
  return cn;
}

export function agentLinkService(deps: AgentLinkDeps): grpc.UntypedServiceImplementation {
  const log = deps.logger.child({ component: 'agent-link' });
  const validity = deps.certValidityDays;

  const Enroll: grpc.handleUnaryCall<EnrollRequestMessage, EnrollResponseMessage> = (call, callback) => {
    void (async () => {
      try {
        const { token, csrPem } = call.request;
        if (!token) throw new InvalidArgumentError('token', 'required');
        const cn = csrCommonName(csrPem);
        const res = await deps.store.write((scope) => {
          const record = deps.tokens.consume(scope, token);
          if (cn !== record.agentName) throw new CsrNameMismatchError(cn, record.agentName);
          const certificatePem = deps.ca.signCsr(csrPem, cn, validity);
          const facts = certFacts(certificatePem);
          deps.registry.enrolled(scope, cn, record.role, facts.serial, facts.notAfter, record.createdBy);
          return { agentId: cn, certificatePem, caPem: deps.ca.certPem, role: record.role, notAfter: new Date(facts.notAfter).toISOString() };
        });
        log.info({ agentId: res.agentId }, 'agent enrolled');
        callback(null, res);
      } catch (err) {
        const status = toServiceError(err, log, 'Enroll');
        log.warn({ code: status.code, details: status.details }, 'enrollment refused');
        callback(status);
      }
    })();
  };

  const Renew: grpc.handleUnaryCall<RenewRequestMessage, RenewResponseMessage> = (call, callback) => {
    void (async () => {
      try {
        const id = peerAgentId(call, deps.ca);
        deps.registry.admit(id);
        const cn = csrCommonName(call.request.csrPem);
        if (cn !== id) throw new CsrNameMismatchError(cn, id);
        const certificatePem = deps.ca.signCsr(call.request.csrPem, id, validity);
        const facts = certFacts(certificatePem);
        await deps.registry.renewed(id, facts.serial, facts.notAfter);
        callback(null, { certificatePem, notAfter: new Date(facts.notAfter).toISOString() });
      } catch (err) {
        callback(toServiceError(err, log, 'Renew'));
      }
    })();
  };

  const Session: grpc.handleBidiStreamingCall<AgentMessage, CoordinatorMessage> = (call) => {
    let agentId: string;
    try {
      agentId = peerAgentId(call, deps.ca);
      deps.registry.admit(agentId);
    } catch (err) {
      call.emit('error', toServiceError(err, log, 'Session'));
      return;
    }
    let epoch: number | null = null;
    let finished = false;
    const stream = {
      write: (m: CoordinatorMessage): void => {
        if (!finished) call.write(m);
      },
      end: (reason: string): void => {
        if (finished) return;
        finished = true;
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: reason });
      },
    };
    const helloTimer = setTimeout(() => stream.end(`no hello within ${HELLO_TIMEOUT_MS} ms`), HELLO_TIMEOUT_MS);
    helloTimer.unref();
    const ended = (why: string): void => {
      clearTimeout(helloTimer);
      finished = true;
      if (epoch !== null) deps.hub.closed(agentId, epoch, why);
    };
    call.on('data', (m: AgentMessage) => {
      if (epoch !== null) {
        deps.hub.onMessage(agentId, epoch, m);
        return;
      }
      if (!m.hello) return stream.end('the first message of a session must be hello');
      if (m.hello.agentId !== agentId) {
        finished = true;
        call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: `hello.agent_id: "${m.hello.agentId}" does not match the certificate's agent id "${agentId}"` });
        return;
      }
      clearTimeout(helloTimer);
      deps.hub.open(agentId, stream, m.hello).then(
        (e) => {
          epoch = e;
          if (finished) deps.hub.closed(agentId, e, 'stream ended during hello');
        },
        (err: unknown) => {
          finished = true;
          call.emit('error', toServiceError(err, log, 'Session'));
        },
      );
    });
    call.on('end', () => {
      ended('the agent closed the session');
      call.end();
    });
    call.on('cancelled', () => ended('the session was cancelled (agent gone)'));
    call.on('error', (err: Error) => ended(`session error: ${err.message}`));
  };

  return { Enroll, Renew, Session };
}
