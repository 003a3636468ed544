// The agent's SR-IOV side, wired once: the desired state persisted in the agent store, the
// reconcile that makes the NIC match it (on start and on every command), and the report of the
// actual state with the last reconcile's outcome. Operations run one at a time: a command and the
// start-up reconcile never interleave their sysfs writes and tool calls.

import type { Logger } from 'pino';
import type { SriovDesired__Output, SriovReport__Output } from '../../../proto/generated/index.js';
import { AgentError, agentErrorCodeOf, type AgentErrorCode } from '../common/agent-error.js';
import { compileDesired, EMPTY_DESIRED, type SriovDesired } from './sriov-desired.js';
import { SriovReconciler, type ReconcileOutcome } from './sriov-reconciler.js';
import { collectSriovReport } from './sriov-report.js';
import type { SysfsWriter } from './sysfs-writer.js';
import type { SriovTools } from './tool-runner.js';
import { VfCounter } from './vf-count.js';
import type { DirWatch } from './vf-wait.js';

export interface SriovDesiredStore {
  desiredSriov(): SriovDesired__Output | null;
  setDesiredSriov(desired: SriovDesired__Output): Promise<void>;
}

export interface SriovControllerOptions {
  sysfsRoot: string;
  tools: SriovTools;
  writer: SysfsWriter;
  /** process.arch, injectable for the smartNIC-side/host-side tests. */
  arch: string;
  vfWaitTimeoutMs: number;
  dirWatch?: DirWatch;
  /** Told of every reconcile that ran (the agent's metrics count them); failed: any error. */
  onReconciled?: (failed: boolean) => void;
}

/** Thrown by configure() when the reconcile failed: the first error, with all of them. */
export class SriovReconcileError extends AgentError {
  /** That of the first failure, or sriov-reconcile-failed when it was not a typed error. */
  readonly code: AgentErrorCode;
  constructor(
    readonly errors: Error[],
    readonly report: SriovReport__Output,
  ) {
    super(errors.map((e) => e.message).join('; '), { cause: errors[0] });
    this.code = agentErrorCodeOf(errors[0]) ?? 'sriov-reconcile-failed';
  }
}

export class SriovController {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly reconciler: SriovReconciler;
  private last: { revision: number; at: string; error: string } = { revision: 0, at: '', error: '' };
  private latest: SriovReport__Output | null = null;

  constructor(
    private readonly store: SriovDesiredStore,
    private readonly options: SriovControllerOptions,
    private readonly log: Logger,
    /** Called with every new report (the status board, and through it the coordinator). */
    private readonly onReport: (report: SriovReport__Output) => void = () => undefined,
  ) {
    const counter = new VfCounter(options.sysfsRoot, options.writer, log.child({ part: 'vf-count' }), options.dirWatch);
    this.reconciler = new SriovReconciler(options.sysfsRoot, options.tools, counter, { waitTimeoutMs: options.vfWaitTimeoutMs }, log);
  }

  get report(): SriovReport__Output | null {
    return this.latest;
  }

  /** The stored desired state, compiled (a stored state was valid when stored). */
  desired(): SriovDesired {
    const stored = this.store.desiredSriov();
    return stored === null ? EMPTY_DESIRED : compileDesired(stored);
  }

  /** After a restart: make the NIC match what was stored, then report. Never rejects. */
  start(): Promise<SriovReport__Output> {
    return this.serial(async () => {
      const desired = this.desired();
      if (desired.pfs.length > 0) await this.apply(desired);
      return this.refreshNow();
    });
  }

  /** A command: check, persist, reconcile, report. Rejects with the reconcile's errors. */
  configure(message: SriovDesired__Output): Promise<SriovReport__Output> {
    return this.serial(async () => {
      const desired = compileDesired(message);
      await this.store.setDesiredSriov(message);
      const outcome = await this.apply(desired);
      const report = await this.refreshNow();
      if (outcome.errors.length > 0) throw new SriovReconcileError(outcome.errors, report);
      return report;
    });
  }

  /** Resolves once the operation in progress (if any) has finished. */
  async idle(): Promise<void> {
    await this.chain;
  }

  refresh(): Promise<SriovReport__Output> {
    return this.serial(() => this.refreshNow());
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async apply(desired: SriovDesired): Promise<ReconcileOutcome> {
    const outcome = await this.reconciler.reconcile(desired);
    this.last = { revision: desired.revision, at: new Date().toISOString(), error: outcome.errors.map((e) => e.message).join('; ') };
    this.options.onReconciled?.(outcome.errors.length > 0);
    return outcome;
  }

  private async refreshNow(): Promise<SriovReport__Output> {
    const collected = await collectSriovReport({ sysfsRoot: this.options.sysfsRoot, tools: this.options.tools, arch: this.options.arch });
    const report = {
      ...collected,
      desiredRevision: this.last.revision,
      lastReconcileAt: this.last.at,
      lastReconcileError: this.last.error,
    };
    this.latest = report;
    this.onReport(report);
    return report;
  }
}
