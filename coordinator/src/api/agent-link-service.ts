// gRPC handlers of mooring.v1.AgentService: Enroll (token, no client certificate), Renew and
// Session (mutual TLS: the client certificate's subject CN is the agent id, and its serial must
// be the agent's current certificate, agent-registry.ts admitCertificate). Errors become gRPC
// statuses once, through status-mapping.
import * as grpc from '@grpc/grpc-js';
import type {
  AgentMessage__Output,
  AgentServiceHandlers,
  CoordinatorMessage__Output,
  EnrollRequest__Output,
  EnrollResponse__Output,
  RenewRequest__Output,
  RenewResponse__Output,
} from '../../../proto/generated/index.js';
import { StateMachine, type TransitionTable } from '../../../proto/shared/state-machine.js';
import { toServiceError } from './status-mapping.js';
import { InvalidArgumentError } from '../domain-error.js';
import type { Logger } from '../logger.js';
import type { CertificateAuthority } from '../pki/certificate-authority.js';
import { serialOfDer } from '../pki/certificate-serial.js';
import { readCsr, type CheckedCsr } from '../pki/csr-reader.js';
import { InvalidCsrError } from '../pki/errors.js';
import type { Store } from '../store/store.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { EnrollmentTokens } from '../agents/enrollment-tokens.js';
import { AgentUnauthenticatedError, CsrNameMismatchError } from '../agents/errors.js';
import type { SessionHub } from '../agents/session-hub.js';

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

/** A Session stream: its hello, the hub opening it (store write, welcome), open, and finished for good. */
type SessionPhase = 'awaiting-hello' | 'opening' | 'open' | 'finished';

const SESSION_TRANSITIONS: TransitionTable<SessionPhase> = {
  'awaiting-hello': ['opening', 'finished'],
  opening: ['open', 'finished'],
  open: ['finished'],
  finished: [],
};

/** The CSR field must be there before anything else is looked at. */
function requiredCsr(csrPem: string): string {
  if (!csrPem) throw new InvalidArgumentError('csr_pem', 'required');
  return csrPem;
}

/** readCsr's refusals name the field the way the API does. */
function checkedCsr(csrPem: string): CheckedCsr {
  try {
    return readCsr(requiredCsr(csrPem));
  } catch (err) {
    if (err instanceof InvalidCsrError) throw new InvalidArgumentError('csr_pem', err.problem);
    throw err;
  }
}

interface PeerCertificate {
  readonly agentId: string;
  readonly serial: string;
}

/**
 * The agent id and certificate serial from the client certificate. The API port asks for a client
 * certificate without requiring one (people use tokens there). grpc-js hands a handler the peer
 * certificate only when TLS verified it against our CA (socket.authorized); it is checked once
 * more here, signature and validity, before its subject is believed. Whether it is the agent's
 * current certificate is the registry's question (admitCertificate).
 */
function peerCertificate(
  call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
  ca: CertificateAuthority,
): PeerCertificate {
  const cert = call.getAuthContext()?.sslPeerCertificate;
  const cn = cert?.subject?.CN;
  if (!cert?.raw || typeof cn !== 'string' || cn === '') {
    throw new AgentUnauthenticatedError(
      "this call needs the agent's client certificate issued by this coordinator's CA at enrollment (none was presented, or the one " +
        'presented was not issued by this CA)',
    );
  }
  const pem = `-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  if (!ca.verifies(pem))
    throw new AgentUnauthenticatedError(`the client certificate for "${cn}" was not issued by this coordinator's CA or is not valid now`);
  return { agentId: cn, serial: serialOfDer(cert.raw) };
}

export function agentLinkService(deps: AgentLinkDeps): AgentServiceHandlers {
  const log = deps.logger.child({ component: 'agent-link' });
  const validity = deps.certValidityDays;

  // Order matters for what an unauthenticated caller can cost us: the token (format, id, secret,
  // use, expiry) is checked first, from one record read; the CSR's size next; only then is the
  // CSR parsed and its signature verified. The request itself was capped in size before it was
  // decoded (api/request-limits.ts).
  const Enroll: grpc.handleUnaryCall<EnrollRequest__Output, EnrollResponse__Output> = (call, callback) => {
    void (async () => {
      try {
        const { token, csrPem } = call.request;
        if (!token) throw new InvalidArgumentError('token', 'required');
        deps.tokens.check(token);
        const csr = checkedCsr(csrPem);
        const { res, replaced } = await deps.store.write((scope) => {
          const record = deps.tokens.consume(scope, token);
          if (csr.commonName !== record.agentName) throw new CsrNameMismatchError(csr.commonName, record.agentName);
          const replaced = deps.registry.get(record.agentName) !== undefined;
          const signed = deps.ca.signCsr(csr, record.agentName, validity);
          deps.registry.enrolled(scope, record.agentName, record.role, signed.serial, signed.notAfter, record.createdBy);
          const res = {
            agentId: record.agentName,
            certificatePem: signed.certPem,
            caPem: deps.ca.certPem,
            role: record.role,
            notAfter: new Date(signed.notAfter).toISOString(),
            serial: signed.serial,
          };
          return { res, replaced };
        });
        // Enrolling again replaces the agent's identity: a session on an earlier certificate ends.
        if (replaced)
          deps.hub.disconnectUnlessOn(
            res.agentId,
            res.serial,
            `agent ${res.agentId} enrolled again; sessions on its earlier certificates end`,
          );
        log.info({ agentId: res.agentId, again: replaced }, 'agent enrolled');
        callback(null, {
          agentId: res.agentId,
          certificatePem: res.certificatePem,
          caPem: res.caPem,
          role: res.role,
          notAfter: res.notAfter,
        });
      } catch (err) {
        const status = toServiceError(err, log, 'Enroll');
        log.warn({ code: status.code, details: status.details }, 'enrollment refused');
        callback(status);
      }
    })();
  };

  const Renew: grpc.handleUnaryCall<RenewRequest__Output, RenewResponse__Output> = (call, callback) => {
    void (async () => {
      try {
        const peer = peerCertificate(call, deps.ca);
        deps.registry.admitCertificate(peer.agentId, peer.serial);
        const csr = checkedCsr(call.request.csrPem);
        if (csr.commonName !== peer.agentId) throw new CsrNameMismatchError(csr.commonName, peer.agentId);
        const signed = deps.ca.signCsr(csr, peer.agentId, validity);
        await deps.registry.renewed(peer.agentId, peer.serial, signed.serial, signed.notAfter);
        deps.hub.renewed(peer.agentId, peer.serial, signed.serial);
        callback(null, { certificatePem: signed.certPem, notAfter: new Date(signed.notAfter).toISOString() });
      } catch (err) {
        callback(toServiceError(err, log, 'Renew'));
      }
    })();
  };

  const Session: grpc.handleBidiStreamingCall<AgentMessage__Output, CoordinatorMessage__Output> = (call) => {
    let agentId: string;
    let certSerial: string;
    try {
      ({ agentId, serial: certSerial } = peerCertificate(call, deps.ca));
      deps.registry.admitCertificate(agentId, certSerial);
    } catch (err) {
      call.emit('error', toServiceError(err, log, 'Session'));
      return;
    }
    // One session's lifecycle. Messages that arrive while the hub is still opening the session
    // (the agent does not wait for the welcome to send a report) are handed on once it is open.
    let epoch = 0;
    const early: AgentMessage__Output[] = [];
    const session = new StateMachine<SessionPhase>({
      name: `session of ${agentId}`,
      initial: 'awaiting-hello',
      allowed: SESSION_TRANSITIONS,
    });
    const finish = (why: string): void => {
      if (!session.is('finished')) session.transition('finished', why);
    };
    /** Ends the call with a status; the stream's own 'error' listener then finds the session finished. */
    const fail = (status: Partial<grpc.StatusObject>, why: string = status.details ?? 'session failed'): void => {
      if (session.is('finished')) return;
      finish(why);
      call.emit('error', status);
    };
    const stream = {
      write: (m: CoordinatorMessage__Output): void => {
        if (!session.is('finished')) call.write(m);
      },
      end: (reason: string): void => fail({ code: grpc.status.UNAVAILABLE, details: reason }),
    };
    const helloTimer = setTimeout(() => stream.end(`no hello within ${HELLO_TIMEOUT_MS} ms`), HELLO_TIMEOUT_MS);
    helloTimer.unref();
    session.onTransition(({ from, to, reason }) => {
      if (from === 'awaiting-hello') clearTimeout(helloTimer);
      // Only an open session is the hub's to close; one finished while opening is closed when open() resolves.
      if (to === 'finished' && from === 'open') deps.hub.closed(agentId, epoch, reason);
    });
    call.on('data', (m: AgentMessage__Output) => {
      switch (session.state) {
        case 'open':
          deps.hub.onMessage(agentId, epoch, m);
          return;
        case 'opening':
          early.push(m);
          return;
        case 'finished':
          return;
        case 'awaiting-hello':
          break;
      }
      if (!m.hello) return stream.end('the first message of a session must be hello');
      if (m.hello.agentId !== agentId) {
        return fail({
          code: grpc.status.INVALID_ARGUMENT,
          details: `hello.agent_id: "${m.hello.agentId}" does not match the certificate's agent id "${agentId}"`,
        });
      }
      session.transition('opening', 'hello received');
      deps.hub.open(agentId, certSerial, stream, m.hello).then(
        (e) => {
          if (session.is('finished')) {
            deps.hub.closed(agentId, e, 'stream ended during hello');
            return;
          }
          epoch = e;
          session.transition('open', `epoch ${e}`);
          for (const message of early.splice(0)) deps.hub.onMessage(agentId, epoch, message);
        },
        (err: unknown) => {
          const status = toServiceError(err, log, 'Session');
          fail(status, `session refused: ${status.details}`);
        },
      );
    });
    call.on('end', () => {
      finish('the agent closed the session');
      call.end();
    });
    call.on('cancelled', () => finish('the session was cancelled (agent gone)'));
    call.on('error', (err: Error) => finish(`session error: ${err.message}`));
  };

  return { Enroll, Renew, Session };
}
