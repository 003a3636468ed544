// Singleton duties (the periodic power sync, the OVN reconcile, the agents' OFFLINE sweep, etcd's
// history compaction, the event log's retention): each is run by exactly one coordinator, the one
// holding its claim (claim-board.ts). Every coordinator campaigns for every duty; the one whose
// claim succeeds starts it; the others wait until the claim is freed (its holder's lease ended, or
// it shut down) and campaign again. A coordinator that loses its lease stops every duty it held at
// once. On LMDB the one coordinator holds them all.
import type { Logger } from '../logger.js';
import type { Claim, ClaimBoard } from './claim-board.js';
import type { CoordinatorLease } from './coordinator-lease.js';

export const DUTIES = {
  powerSync: 'power-sync',
  ovnReconcile: 'ovn-reconcile',
  agentOfflineSweep: 'agent-offline-sweep',
  etcdCompaction: 'etcd-compaction',
  eventRetention: 'event-retention',
} as const;

export interface Duty {
  /** Begins the duty (this coordinator now holds it). */
  start(): void;
  /** Ends it (the coordinator lost its lease or is shutting down). */
  stop(): void;
}

type DutyState = { type: 'waiting' } | { type: 'campaigning' } | { type: 'held'; claim: Claim } | { type: 'stopped' };

interface Entry {
  readonly duty: Duty;
  state: DutyState;
}

export interface DutyElectionDeps {
  readonly board: ClaimBoard;
  readonly lease: CoordinatorLease;
  readonly logger: Logger;
  /** How often a waiting duty campaigns again even without a freed claim (a missed watch event). */
  readonly recampaignMs: number;
}

export class DutyElection {
  private readonly duties = new Map<string, Entry>();
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private stopFreed: () => void = () => undefined;
  private stopLost: () => void = () => undefined;

  constructor(private readonly deps: DutyElectionDeps) {
    this.log = deps.logger.child({ component: 'duties', coordinatorId: deps.lease.coordinatorId });
  }

  /** Registers a duty; it campaigns from start(). */
  add(name: string, duty: Duty): void {
    this.duties.set(name, { duty, state: { type: 'waiting' } });
  }

  /** The duties this coordinator holds now (for `moorctl coordinators`), sorted. */
  heldDuties(): string[] {
    return [...this.duties]
      .filter(([, e]) => e.state.type === 'held')
      .map(([name]) => name)
      .sort();
  }

  /** Who holds `name` as last seen (a coordinator id), or undefined. */
  holder(name: string): string | undefined {
    return this.deps.board.holder(name);
  }

  start(): void {
    if (!this.deps.board.shared) {
      // The only coordinator (LMDB): every duty is its own, started now, as before elections.
      for (const [name, entry] of this.duties) {
        entry.state = { type: 'held', claim: { name, key: '', createRevision: '0' } };
        entry.duty.start();
      }
      return;
    }
    this.stopFreed = this.deps.board.onFreed((name) => {
      if (this.duties.has(name)) this.campaign(name);
    });
    this.stopLost = this.deps.lease.onLost((why) => this.stopAll(`lease lost: ${why}`));
    this.timer = setInterval(() => {
      for (const name of this.duties.keys()) this.campaign(name);
    }, this.deps.recampaignMs);
    this.timer.unref();
    for (const name of this.duties.keys()) this.campaign(name);
  }

  /** Stops every held duty and gives its claim up (a clean shutdown hands it over at once). */
  async close(): Promise<void> {
    const claims = this.stopAll('shutting down');
    for (const claim of claims) await this.deps.board.release(claim);
  }

  private campaign(name: string): void {
    const entry = this.duties.get(name)!;
    if (entry.state.type !== 'waiting' || !this.deps.lease.holds()) return;
    entry.state = { type: 'campaigning' };
    this.deps.board.claim(name).then(
      (claim) => {
        if (entry.state.type !== 'campaigning') {
          if (claim) void this.deps.board.release(claim);
          return;
        }
        if (!claim) {
          entry.state = { type: 'waiting' };
          return;
        }
        entry.state = { type: 'held', claim };
        this.log.info({ duty: name }, 'duty taken: this coordinator runs it');
        entry.duty.start();
      },
      (error: unknown) => {
        if (entry.state.type === 'campaigning') entry.state = { type: 'waiting' };
        this.log.warn({ err: error, duty: name }, 'campaigning for a duty failed; trying again later');
      },
    );
  }

  private stopAll(why: string): Claim[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopFreed();
    this.stopLost();
    const claims: Claim[] = [];
    for (const [name, entry] of this.duties) {
      if (entry.state.type === 'held') {
        claims.push(entry.state.claim);
        entry.duty.stop();
        this.log.warn({ duty: name, why }, 'duty stopped');
      }
      entry.state = { type: 'stopped' };
    }
    return claims;
  }
}
