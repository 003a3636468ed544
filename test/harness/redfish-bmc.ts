// A Redfish BMC SIMULATION for tests. No Redfish BMC or emulator runs here (shared/reference/
// real-components.md: the DMTF mockup server never changes PowerState and sushy-tools ignores
// BootSourceOverrideEnabled), so this one follows the DMTF ComputerSystem semantics of
// protocol-facts.md 4.3 instead:
// - /redfish/v1, /redfish/v1/Systems (one member), /redfish/v1/Systems/1 with PowerState, Boot
//   (Enabled/Target/Mode and the target's @Redfish.AllowableValues) and the Reset action;
// - an ETag that changes with every change of the system (strong, or weak W/"n" in weak mode), and
//   If-Match compared strongly (RFC 7232: a weak tag never matches) -> 412 PreconditionFailed;
// - PATCH validated (unknown property or value -> 400 with @Message.ExtendedInfo);
// - power transitions take `transitionMs` (PoweringOn/PoweringOff first); a power-on or restart
//   boots the system, which is recorded in `boots`, and a Once override becomes Disabled after it;
// - sessions (POST login -> X-Auth-Token + Location, DELETE logout, idle expiry) and basic auth,
//   or no SessionService at all (404, as sushy-tools), or a login refused with 401/403/404/405
//   whatever the credentials while basic auth works (BMCs that allow no sessions to the user);
// - in settings mode (`bootSettings`), Boot is read-only on the system (400 PropertyNotWritable) and
//   taken on the @Redfish.Settings SettingsObject (own ETag), applied at the next reset, before
//   that boot (DSP0266 "Settings resource", SupportedApplyTimes OnReset);
// - `allowedEnabled` restricts BootSourceOverrideEnabled (e.g. no Continuous, as BMCs that dropped
//   it do), listed in @Redfish.AllowableValues unless `advertiseEnabled` is false; others get 400;
// - optionally the system's hardware inventory (redfish-hardware.ts: Processors, Memory,
//   EthernetInterfaces, Storage);
// - every request is recorded in `requests` (method, path, body, auth kind, If-Match, status).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SimulatedHardware } from './redfish-hardware.js';

export type SimPowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff';
export type AuthKind = 'session' | 'basic' | 'none';

export interface RedfishBmcOptions {
  user?: string;
  password?: string;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** false: no SessionService (login answers 404), basic auth only. */
  sessionService?: boolean;
  /** The login answers this status whatever the credentials; basic auth works. */
  refuseSessions?: 401 | 403 | 404 | 405;
  /** Boot changes only through @Redfish.Settings, applied at the next reset. */
  bootSettings?: boolean;
  /** The BootSourceOverrideEnabled values the BMC takes (default Disabled, Once, Continuous). */
  allowedEnabled?: string[];
  /** false: allowedEnabled is enforced but not listed in @Redfish.AllowableValues. */
  advertiseEnabled?: boolean;
  /** Idle time after which a session token answers 401. */
  sessionTimeoutMs?: number;
  /** How long PoweringOn/PoweringOff last. */
  transitionMs?: number;
  weakEtags?: boolean;
  allowedTargets?: string[];
  allowedResetTypes?: string[];
  powerState?: 'On' | 'Off';
  /** The system's hardware inventory (redfish-hardware.ts); without it the system reports none. */
  hardware?: SimulatedHardware;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  auth: AuthKind;
  ifMatch: string | null;
  odataVersion: string | null;
  acceptEncoding: string | null;
  status: number;
}

export interface BootRecord {
  /** The override target the system booted into, or 'None' for its normal boot order. */
  target: string;
  mode: string;
}

const SYSTEM = '/redfish/v1/Systems/1';
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;
const SESSIONS = '/redfish/v1/SessionService/Sessions';
const SETTINGS = `${SYSTEM}/Settings`;
const ENABLED = ['Disabled', 'Once', 'Continuous'];
const MODES = ['UEFI', 'Legacy'];

class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function redfishError(status: number, messageId: string, message: string): Reply {
  return new Reply(status, {
    error: {
      code: 'Base.1.8.GeneralError',
      message: 'A general error has occurred. See ExtendedInfo for more information.',
      '@Message.ExtendedInfo': [{ MessageId: `Base.1.8.${messageId}`, Message: message, Severity: 'Warning' }],
    },
  });
}

/** Emits 'logout' (session id) when a session is deleted and 'power' (state) on every power change. */
export class RedfishBmcSimulation extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  readonly boots: BootRecord[] = [];
  /** Every session token handed out, so tests can check none reaches a log. */
  readonly issuedTokens: string[] = [];
  powerState: SimPowerState;
  readonly boot = { enabled: 'Disabled', target: 'None', mode: 'UEFI' };
  /** Settings mode: the Boot properties waiting for the next reset. */
  pendingBoot: Record<string, string> = {};
  private version = 1;
  private settingsVersion = 1;
  private readonly sessions = new Map<string, { id: string; lastUsed: number }>();
  private readonly failures: { status: number; method: string | null; path: string | null }[] = [];
  private interfere = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly user: string;
  private readonly password: string;

  private constructor(
    private readonly server: Server,
    private readonly options: RedfishBmcOptions,
  ) {
    super();
    this.user = options.user ?? 'admin';
    this.password = options.password ?? 'bmc-secret-pw';
    this.powerState = options.powerState ?? 'Off';
  }

  static async start(options: RedfishBmcOptions = {}): Promise<RedfishBmcSimulation> {
    const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }) : createHttpServer();
    const bmc = new RedfishBmcSimulation(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => bmc.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return bmc;
  }

  /** The BMC's base URL, the form a machine's power address takes. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  get etag(): string {
    return `${this.options.weakEtags ? 'W/' : ''}"${this.version}"`;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Every open session times out now: its token answers 401 from here on. */
  expireSessions(): void {
    for (const session of this.sessions.values()) session.lastUsed = -Infinity;
  }

  /** The next authenticated requests fail with these statuses (503: busy, 500: internal error). */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses.map((status) => ({ status, method: null, path: null })));
  }

  /** The next `method path` request fails with `status`; other requests pass. */
  failRequest(method: string, path: string, status: number): void {
    this.failures.push({ status, method, path });
  }

  /** Another client changes the system just before the next PATCH arrives: its If-Match is stale. */
  interfereBeforeNextPatch(): void {
    this.interfere = true;
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      let reply: Reply;
      let auth: AuthKind = 'none';
      try {
        body = text === '' ? undefined : JSON.parse(text);
        const authenticated = this.authenticate(req);
        auth = authenticated ?? 'none';
        reply = this.route(req, body, authenticated);
      } catch {
        reply = redfishError(400, 'MalformedJSON', 'The request body submitted was malformed JSON.');
      }
      this.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body,
        auth,
        ifMatch: req.headers['if-match'] ?? null,
        odataVersion: (req.headers['odata-version'] as string | undefined) ?? null,
        acceptEncoding: req.headers['accept-encoding'] ?? null,
        status: reply.status,
      });
      const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...reply.headers });
      res.end(payload);
    });
  }

  private authenticate(req: IncomingMessage): AuthKind | null {
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string') {
      const session = this.sessions.get(token);
      if (!session || Date.now() - session.lastUsed > (this.options.sessionTimeoutMs ?? 30 * 60_000)) return null;
      session.lastUsed = Date.now();
      return 'session';
    }
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      return decoded === `${this.user}:${this.password}` ? 'basic' : null;
    }
    return null;
  }

  private route(req: IncomingMessage, body: unknown, auth: AuthKind | null): Reply {
    const method = req.method ?? '';
    const path = (req.url ?? '').replace(/\/+$/, '') || '/';
    // DSP0266: the service root is readable without authentication, and so is the login itself.
    if (path === '/redfish/v1' && method === 'GET') return new Reply(200, this.serviceRoot());
    const sessionService = this.options.sessionService ?? true;
    if (path.startsWith('/redfish/v1/SessionService') && !sessionService) {
      return redfishError(404, 'ResourceNotFound', 'The requested resource of type SessionService was not found.');
    }
    if (path === SESSIONS && method === 'POST' && this.options.refuseSessions !== undefined) return this.refusedLogin();
    if (path === SESSIONS && method === 'POST') return this.login(body);
    const hasCredentials = req.headers['x-auth-token'] !== undefined || req.headers.authorization !== undefined;
    if (auth === null) {
      return redfishError(
        401,
        hasCredentials ? 'InsufficientPrivilege' : 'NoValidSession',
        'There is no valid session established with the implementation.',
      );
    }
    const failure = this.failures.findIndex((f) => (f.method ?? method) === method && (f.path ?? path) === path);
    if (failure >= 0) {
      const { status } = this.failures.splice(failure, 1)[0]!;
      return redfishError(status, 'InternalError', 'The request failed due to an internal service error.');
    }
    if (path.startsWith(`${SESSIONS}/`) && method === 'DELETE') return this.logout(path);
    if (path === '/redfish/v1/Systems' && method === 'GET') {
      return new Reply(200, { '@odata.id': '/redfish/v1/Systems', 'Members@odata.count': 1, Members: [{ '@odata.id': SYSTEM }] });
    }
    if (path === SYSTEM && method === 'GET') return new Reply(200, this.system(), { ETag: this.etag });
    if (path === SYSTEM && method === 'PATCH' && this.options.bootSettings) {
      return redfishError(400, 'PropertyNotWritable', 'The property Boot is a read only property and cannot be assigned a value.');
    }
    if (path === SYSTEM && method === 'PATCH') return this.patch(req.headers['if-match'], body);
    if (path === SETTINGS && this.options.bootSettings && method === 'GET') {
      return new Reply(200, { '@odata.id': SETTINGS, Boot: this.pendingBoot }, { ETag: `"s${this.settingsVersion}"` });
    }
    if (path === SETTINGS && this.options.bootSettings && method === 'PATCH') return this.patchSettings(req.headers['if-match'], body);
    if (path === RESET && method === 'POST') return this.reset(body);
    const hardware = method === 'GET' ? this.options.hardware?.get(path) : undefined;
    if (hardware !== undefined) return new Reply(200, hardware);
    if ([SYSTEM, RESET, '/redfish/v1/Systems', SESSIONS].includes(path)) {
      return redfishError(405, 'OperationNotAllowed', `The HTTP method ${method} is not allowed on ${path}.`);
    }
    return redfishError(404, 'ResourceNotFound', `The requested resource ${path} was not found.`);
  }

  private serviceRoot(): unknown {
    const sessions = (this.options.sessionService ?? true) ? { SessionService: { '@odata.id': '/redfish/v1/SessionService' } } : {};
    return { '@odata.id': '/redfish/v1', RedfishVersion: '1.15.0', Systems: { '@odata.id': '/redfish/v1/Systems' }, ...sessions };
  }

  private refusedLogin(): Reply {
    const status = this.options.refuseSessions!;
    if (status === 404) return redfishError(404, 'ResourceNotFound', `The requested resource ${SESSIONS} was not found.`);
    if (status === 405) return redfishError(405, 'OperationNotAllowed', `The HTTP method POST is not allowed on ${SESSIONS}.`);
    return redfishError(
      status,
      'InsufficientPrivilege',
      'There are insufficient privileges for the account or credentials to create a session.',
    );
  }

  private login(body: unknown): Reply {
    const { UserName, Password } = (body ?? {}) as { UserName?: unknown; Password?: unknown };
    if (UserName !== this.user || Password !== this.password) {
      return redfishError(
        401,
        'ResourceAtUriUnauthorized',
        'While accessing the resource at /redfish/v1/SessionService/Sessions, the service received an authorization error.',
      );
    }
    const id = randomBytes(4).toString('hex');
    const token = randomBytes(16).toString('hex');
    this.sessions.set(token, { id, lastUsed: Date.now() });
    this.issuedTokens.push(token);
    const location = `${SESSIONS}/${id}`;
    return new Reply(201, { '@odata.id': location, Id: id, UserName }, { 'X-Auth-Token': token, Location: location });
  }

  private logout(path: string): Reply {
    const id = path.slice(SESSIONS.length + 1);
    for (const [token, session] of this.sessions) {
      if (session.id === id) {
        this.sessions.delete(token);
        this.emit('logout', id);
        return new Reply(204);
      }
    }
    return redfishError(404, 'ResourceNotFound', `The requested session ${id} was not found.`);
  }

  private system(): unknown {
    const settings = this.options.bootSettings
      ? {
          '@Redfish.Settings': {
            '@odata.type': '#Settings.v1_3_5.Settings',
            SettingsObject: { '@odata.id': SETTINGS },
            SupportedApplyTimes: ['OnReset'],
          },
        }
      : {};
    const enabled =
      this.options.advertiseEnabled === false ? {} : { 'BootSourceOverrideEnabled@Redfish.AllowableValues': this.allowedEnabled() };
    return {
      ...settings,
      '@odata.id': SYSTEM,
      '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
      Id: '1',
      Name: 'Simulated system',
      ...this.options.hardware?.systemFields,
      PowerState: this.powerState,
      Boot: {
        BootSourceOverrideEnabled: this.boot.enabled,
        BootSourceOverrideTarget: this.boot.target,
        BootSourceOverrideMode: this.boot.mode,
        'BootSourceOverrideTarget@Redfish.AllowableValues': this.allowedTargets(),
        ...enabled,
      },
      Actions: {
        '#ComputerSystem.Reset': { target: RESET, 'ResetType@Redfish.AllowableValues': this.allowedResetTypes() },
      },
    };
  }

  private allowedTargets(): string[] {
    return this.options.allowedTargets ?? ['None', 'Pxe', 'Cd', 'Hdd', 'BiosSetup', 'UefiShell'];
  }

  private allowedEnabled(): string[] {
    return this.options.allowedEnabled ?? ENABLED;
  }

  private allowedResetTypes(): string[] {
    return this.options.allowedResetTypes ?? ['On', 'ForceOff', 'ForceRestart', 'GracefulShutdown', 'GracefulRestart', 'ForceOn'];
  }

  private patch(ifMatch: string | undefined, body: unknown): Reply {
    if (this.interfere) {
      this.interfere = false;
      this.version++;
    }
    // RFC 7232 3.1: If-Match uses the strong comparison, so a weak tag never matches.
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== `"${this.version}"`) {
      return redfishError(412, 'PreconditionFailed', 'The ETag supplied did not match the ETag required to change this resource.');
    }
    const changes = (body ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(changes)) {
      if (key !== 'Boot')
        return redfishError(400, 'PropertyUnknown', `The property ${key} is not in the list of valid properties for the resource.`);
    }
    const boot = (changes['Boot'] ?? {}) as Record<string, unknown>;
    const problem = this.bootProblem(boot);
    if (problem) return problem;
    this.applyBoot(boot as Record<string, string>);
    this.version++;
    return new Reply(204);
  }

  /** Settings mode: the PATCH is checked now and kept for the next reset. */
  private patchSettings(ifMatch: string | undefined, body: unknown): Reply {
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== `"s${this.settingsVersion}"`) {
      return redfishError(412, 'PreconditionFailed', 'The ETag supplied did not match the ETag required to change this resource.');
    }
    const changes = (body ?? {}) as Record<string, unknown>;
    const boot = (changes['Boot'] ?? {}) as Record<string, unknown>;
    if (Object.keys(changes).some((key) => key !== 'Boot')) {
      return redfishError(400, 'PropertyUnknown', 'Only Boot is in the list of valid properties for the resource.');
    }
    const problem = this.bootProblem(boot);
    if (problem) return problem;
    this.pendingBoot = { ...this.pendingBoot, ...(boot as Record<string, string>) };
    this.settingsVersion++;
    return new Reply(204);
  }

  private bootProblem(boot: Record<string, unknown>): Reply | null {
    const rules: Record<string, string[]> = {
      BootSourceOverrideTarget: this.allowedTargets(),
      BootSourceOverrideEnabled: this.allowedEnabled(),
      BootSourceOverrideMode: MODES,
    };
    for (const [key, value] of Object.entries(boot)) {
      const allowed = rules[key];
      if (!allowed)
        return redfishError(400, 'PropertyUnknown', `The property ${key} is not in the list of valid properties for the resource.`);
      if (typeof value !== 'string' || !allowed.includes(value)) {
        return redfishError(
          400,
          'PropertyValueNotInList',
          `The value ${JSON.stringify(value)} for the property ${key} is not in the list of acceptable values.`,
        );
      }
    }
    return null;
  }

  private applyBoot(boot: Record<string, string>): void {
    if (boot['BootSourceOverrideTarget'] !== undefined) this.boot.target = boot['BootSourceOverrideTarget'];
    if (boot['BootSourceOverrideEnabled'] !== undefined) this.boot.enabled = boot['BootSourceOverrideEnabled'];
    if (boot['BootSourceOverrideMode'] !== undefined) this.boot.mode = boot['BootSourceOverrideMode'];
  }

  /** Settings mode: pending changes take effect at a reset, before the boot it starts. */
  private applyPendingSettings(): void {
    if (Object.keys(this.pendingBoot).length === 0) return;
    this.applyBoot(this.pendingBoot);
    this.pendingBoot = {};
    this.settingsVersion++;
    this.version++;
  }

  private reset(body: unknown): Reply {
    const type = (body as { ResetType?: unknown } | undefined)?.ResetType;
    if (typeof type !== 'string' || !this.allowedResetTypes().includes(type)) {
      return redfishError(
        400,
        'ActionParameterValueNotInList',
        `The value ${JSON.stringify(type)} for the parameter ResetType is not in the list of acceptable values.`,
      );
    }
    if (this.powerState === 'PoweringOn' || this.powerState === 'PoweringOff') {
      return redfishError(409, 'ResourceInUse', 'The change could not be made because the system is changing power state.');
    }
    const on = this.powerState === 'On';
    const boots = type === 'On' || type === 'ForceOn' ? !on : on && type !== 'ForceOff' && type !== 'GracefulShutdown';
    if (boots) this.applyPendingSettings();
    if (type === 'On' || type === 'ForceOn') {
      if (!on) this.powerOn();
    } else if (type === 'ForceOff' || type === 'GracefulShutdown') {
      if (on) this.setPower('PoweringOff', () => this.setPower('Off'));
    } else {
      if (!on) return redfishError(409, 'ResourceInStandby', 'The system is off: it cannot restart.');
      this.setPower('PoweringOff', () => this.powerOn());
    }
    return new Reply(204);
  }

  private powerOn(): void {
    this.setPower('PoweringOn', () => {
      // The system boots: into the override while one is enabled; Once is used up by this boot.
      const override = this.boot.enabled !== 'Disabled';
      this.boots.push({ target: override ? this.boot.target : 'None', mode: this.boot.mode });
      if (this.boot.enabled === 'Once') this.boot.enabled = 'Disabled';
      this.setPower('On');
    });
  }

  private setPower(state: SimPowerState, then?: () => void): void {
    this.powerState = state;
    this.version++;
    this.emit('power', state);
    if (!then) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      then();
    }, this.options.transitionMs ?? 30);
    this.timers.add(timer);
  }
}
