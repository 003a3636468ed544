// The deploy tokens of the boot service: minted for one machine and one step of its sequence,
// stored hashed (deploy-grant.ts), spent when the ramdisk reports the step's outcome, revoked when
// the step ends, expired after their bound. A machine has at most one live token: minting the next
// step's token ends the previous one. Callbacks are recorded as events on the machine, in the
// same transaction as the outcome, so a sequence waiting on another coordinator sees them too.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Store, WriteScope } from '../store/store.js';
import type { Machine } from '../machines/machine.js';
import { grantLive, tokenKey, type BootOutcome, type DeployGrant } from './deploy-grant.js';
import { openUserData, sealUserData } from './sealed-deploy-secrets.js';

export interface DeployTokensDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What the ramdisk reports (packaging/ramdisk/README.md "HTTP protocol"), checked. */
export type RamdiskReport =
  | { readonly event: 'progress'; readonly step: string; readonly message: string }
  | { readonly event: 'success'; readonly details: Readonly<Record<string, string>> }
  | { readonly event: 'failure'; readonly step: string; readonly command: string; readonly output: string };

/** What a new token grants: the grant with its user-data in plain text (mint seals it). */
export type GrantRequest = Omit<DeployGrant, 'created' | 'outcome' | 'sealedUserData' | 'userData'> & { readonly userData: string };

export const BOOT_EVENTS = {
  started: 'boot.started',
  progress: 'boot.progress',
  succeeded: 'boot.succeeded',
  failed: 'boot.failed',
} as const;

export class DeployTokens {
  private readonly log: Logger;

  constructor(private readonly deps: DeployTokensDeps) {
    this.log = deps.logger.child({ component: 'boot-tokens' });
  }

  /**
   * Stores `request` under a new token, its user-data sealed, ending the machine's other tokens and
   * every expired one; returns the token.
   */
  async mint(request: GrantRequest, actor: string, chosen?: string): Promise<string> {
    if (chosen !== undefined && !/^[A-Za-z0-9_-]{43,}$/.test(chosen))
      throw new Error('a chosen deploy token must be 32 random bytes or more, base64url');
    const token = chosen ?? randomBytes(32).toString('base64url');
    const key = tokenKey(token);
    const { tables, cipher } = this.deps.store;
    const { userData, ...grant } = request;
    const sealedUserData = sealUserData(cipher, grant.machineId, userData);
    await this.deps.store.write((scope) => {
      const now = this.deps.clock.now();
      for (const { key: other, value } of [...tables.bootTokens.getRange({})]) {
        const old = value as DeployGrant;
        if (old.machineId === grant.machineId || now >= old.expiresAt) tables.bootTokens.removeSync(other);
      }
      tables.bootTokens.putSync(key, { ...grant, sealedUserData, created: now, outcome: null } satisfies DeployGrant);
      this.deps.events.append(scope, {
        actor,
        kind: BOOT_EVENTS.started,
        machineId: grant.machineId,
        why: `boot step ${grant.step}: ${grant.mode}${grant.image ? ` image ${grant.image.name}` : ''}`,
        details: { step: grant.step, mode: grant.mode, ...(grant.image ? { image: grant.image.name } : {}) },
      });
    });
    this.log.info({ machineId: grant.machineId, step: grant.step, mode: grant.mode, image: grant.image?.name }, 'deploy token minted');
    return token;
  }

  /** Ends every token of the machine; returns how many there were. */
  async revokeMachine(machineId: string): Promise<number> {
    const { tables } = this.deps.store;
    const count = await this.deps.store.write(() => {
      let removed = 0;
      for (const { key, value } of [...tables.bootTokens.getRange({})]) {
        if ((value as DeployGrant).machineId !== machineId) continue;
        tables.bootTokens.removeSync(key);
        removed++;
      }
      return removed;
    });
    if (count > 0) this.log.info({ machineId, count }, 'deploy tokens revoked');
    return count;
  }

  /** The live grant a token opens, with its key, or null (unknown, spent, expired). */
  lookup(token: string): { key: string; grant: DeployGrant } | null {
    const key = tokenKey(token);
    const grant = this.deps.store.tables.bootTokens.get(key) as DeployGrant | undefined;
    return grant && grantLive(grant, this.deps.clock.now()) ? { key, grant } : null;
  }

  /** The user-data `grant` carries, opened: only for the holder of its token (the boot service's seed). */
  userData(grant: DeployGrant): string {
    return openUserData(this.deps.store.cipher, grant.machineId, grant);
  }

  /** The machine's stored grants (live or not): what a resumed sequence reads back. */
  grantsOf(machineId: string): DeployGrant[] {
    return [...this.deps.store.tables.bootTokens.getRange({})]
      .map(({ value }) => value as DeployGrant)
      .filter((grant) => grant.machineId === machineId);
  }

  /** The machines whose live deploy step writes `image` (read inside a write: the etcd store compares it). */
  usersOf(image: string): string[] {
    const now = this.deps.clock.now();
    const users = new Set<string>();
    for (const { value } of this.deps.store.tables.bootTokens.getRange({})) {
      const grant = value as DeployGrant;
      if (grant.image?.name === image && grantLive(grant, now)) users.add(this.hostnameOf(grant.machineId));
    }
    return [...users].sort();
  }

  /**
   * Records a callback of the ramdisk holding the token `key`: an event on the machine and, for a
   * success or failure, the step's outcome (the token is spent). False when the token is no longer live.
   */
  async report(key: string, report: RamdiskReport): Promise<boolean> {
    const { tables } = this.deps.store;
    return this.deps.store.write((scope) => {
      const grant = tables.bootTokens.get(key) as DeployGrant | undefined;
      const now = this.deps.clock.now();
      if (!grant || !grantLive(grant, now)) return false;
      if (report.event === 'progress') {
        this.event(scope, grant, BOOT_EVENTS.progress, `${report.step}: ${report.message}`, { ramdiskStep: report.step });
        return true;
      }
      const outcome: BootOutcome =
        report.event === 'success'
          ? { type: 'success', time: now, details: report.details }
          : { type: 'failure', time: now, reason: failureReason(report), details: { ramdiskStep: report.step, command: report.command } };
      tables.bootTokens.putSync(key, { ...grant, outcome } satisfies DeployGrant);
      if (outcome.type === 'success') this.event(scope, grant, BOOT_EVENTS.succeeded, `${grant.mode} succeeded`, outcome.details);
      else this.event(scope, grant, BOOT_EVENTS.failed, outcome.reason, outcome.details);
      return true;
    });
  }

  private event(scope: WriteScope, grant: DeployGrant, kind: string, why: string, details: Readonly<Record<string, string>>): void {
    this.deps.events.append(scope, {
      actor: 'ramdisk',
      kind,
      machineId: grant.machineId,
      why,
      details: { ...details, step: grant.step, mode: grant.mode },
    });
  }

  private hostnameOf(machineId: string): string {
    return (this.deps.store.tables.machines.get(machineId) as Machine | undefined)?.hostname ?? machineId;
  }
}

/** The failure as one line for the machine's record: step, command, the output's last line(s), bounded. */
function failureReason(report: { step: string; command: string; output: string }): string {
  const text = `${report.step}: ${report.command}: ${report.output.trim()}`;
  return text.length > 1024 ? `${text.slice(0, 1021)}...` : text;
}
