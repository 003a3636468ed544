// Carries out the coordinator's commands, one at a time, through the OVS layer. Commands are
// idempotent by id: a definitive outcome (success, or a failure that retrying cannot fix) is
// stored with its id and a repeated id is answered from the store without touching OVS.
// Transient failures (OVSDB away, vswitchd slow) are not stored, so a re-sent command retries.
// The desired port set is written before OVS is touched, so a crash mid-command is finished by
// the reconcile that follows every restart. On VM hosts the LXD commands go to the LocalLxd; their
// result (LxdResult) is stored with the id like the port reports are.

import type { Logger } from 'pino';
import type {
  AgentCommand__Output,
  CommandResult__Output,
  LxdResult__Output,
  PortReport__Output,
  PortSpec__Output,
  SriovReport__Output,
} from '../../../proto/generated/index.js';
import { isLxdCommand, runLxdCommand } from '../lxd/lxd-commands.js';
import type { LocalLxd } from '../lxd/local-lxd.js';
import type { ChangeResult, PortBinder } from '../ovs/port-binder.js';
import { changeUnlessRefused } from '../ovs/refusal-check.js';
import { checkPortName, normalisePortSpec, type PortSpec, type PortStatus } from '../ovs/port-spec.js';
import type { AgentStore, AppliedCommand } from '../state/agent-store.js';
import type { PortNameResolver } from '../sriov/port-reference.js';
import { SriovReconcileError, type SriovController } from '../sriov/sriov-controller.js';
import { commandFailureOf, lxdErrorOf } from './command-errors.js';
import { LxdUnsupportedError, UnknownCommandError } from './errors.js';

/**
 * A command's result as the agent sends it: the generated CommandResult__Output, except that the
 * SR-IOV and LXD parts are left out unless the command had one (the wire decodes them as null).
 */
export type CommandOutcome = Omit<CommandResult__Output, 'sriov' | 'lxd'> & Partial<Pick<CommandResult__Output, 'sriov' | 'lxd'>>;

/** Hands out the port binder once OVSDB is connected, waiting at most timeoutMs. */
export interface OvsAccess {
  binder(timeoutMs: number): Promise<PortBinder>;
}

export interface CommandOutcomeListener {
  (kind: string, ok: boolean, errorCode: string): void;
}

/**
 * Optional parts: SR-IOV commands, the VM host's LXD side (LXD commands are refused without it),
 * and port names that refer to representors ("pf0vf3").
 */
export interface ExecutorExtensions {
  sriov?: SriovController;
  lxd?: LocalLxd | null;
  resolvePort?: PortNameResolver;
}

interface Applied {
  ports: PortStatus[];
  sriov?: SriovReport__Output;
}

export class CommandExecutor {
  private chain: Promise<unknown> = Promise.resolve();
  /** Outcomes answered before their record's commit landed (see run), by command id, until it lands. */
  private readonly recording = new Map<string, { record: AppliedCommand; committed: Promise<void> }>();
  private readonly resolvePort: PortNameResolver;
  private readonly lxd: LocalLxd | null;

  constructor(
    private readonly store: AgentStore,
    private readonly ovs: OvsAccess,
    private readonly waitMs: number,
    private readonly log: Logger,
    private readonly onOutcome: CommandOutcomeListener = () => undefined,
    private readonly extensions: ExecutorExtensions = {},
  ) {
    this.resolvePort = extensions.resolvePort ?? ((name) => Promise.resolve(name));
    this.lxd = extensions.lxd ?? null;
  }

  /** Runs the command after every earlier one; never rejects. */
  execute(cmd: AgentCommand__Output): Promise<CommandOutcome> {
    const run = this.chain.then(() => this.run(cmd));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the commands queued so far have finished and their records are written (before the store closes). */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.recording.values()].map((r) => r.committed));
  }

  /** Stores an outcome, answered from memory until its commit lands (idle() waits for it); a failed commit is logged. */
  private writeBehind(record: AppliedCommand): void {
    const committed = this.store
      .recordApplied(record)
      .catch((err: unknown) => this.log.warn({ commandId: record.id, err: (err as Error).message }, 'storing a command outcome failed'))
      .finally(() => this.recording.delete(record.id));
    this.recording.set(record.id, { record, committed });
  }

  /**
   * Makes OVS match the stored desired port set (after every reconnect of OVSDB or the coordinator).
   * A stored spec that can never be applied is dropped from the desired set instead of being sent on
   * every reconnect: one that fails today's checks (stored by an agent that let a NUL through), and
   * one OVSDB refuses (found by applying the specs one by one once the whole set is refused).
   */
  reconcile(): Promise<void> {
    const run = this.chain.then(async () => {
      const desired = await this.dropInvalidDesired();
      let r: ChangeResult;
      try {
        r = await changeUnlessRefused(
          this.ovs,
          this.waitMs,
          'the reconcile of the desired ports',
          async (binder) => {
            await binder.ensureBridge();
            return binder.reconcile(desired);
          },
          this.log,
        );
      } catch (err) {
        if (!commandFailureOf(err).permanent) throw err;
        this.log.warn({ err: (err as Error).message }, 'the desired port set was refused as a whole; applying its ports one at a time');
        r = await this.reconcileEach(desired);
      }
      if (r.added.length + r.updated.length + r.removed.length > 0) {
        this.log.info({ added: r.added, updated: r.updated, removed: r.removed }, 'reconciled ports with the desired state');
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Removes desired specs that fail the port checks; returns the rest. */
  private async dropInvalidDesired(): Promise<PortSpec[]> {
    const valid: PortSpec[] = [];
    const invalid: string[] = [];
    for (const spec of this.store.desiredPorts()) {
      try {
        valid.push(normalisePortSpec(spec));
      } catch (err) {
        invalid.push(spec.name);
        this.log.error(
          { port: JSON.stringify(spec.name), err: (err as Error).message },
          'dropping a stored desired port that can never be applied',
        );
      }
    }
    if (invalid.length > 0) await this.store.setDesired({ remove: invalid });
    return valid;
  }

  /** Stale ports removed first, then each desired port alone; a port refused for good leaves the desired set. */
  private async reconcileEach(desired: readonly PortSpec[]): Promise<ChangeResult> {
    const out: ChangeResult = { added: [], updated: [], removed: [], unchanged: [], ports: [], nextCfg: undefined };
    const merge = (r: ChangeResult): void => {
      out.added.push(...r.added);
      out.updated.push(...r.updated);
      out.removed.push(...r.removed);
      out.unchanged.push(...r.unchanged);
      out.ports.push(...r.ports);
      out.nextCfg = r.nextCfg ?? out.nextCfg;
    };
    const want = new Set(desired.map((d) => d.name));
    merge(
      await changeUnlessRefused(
        this.ovs,
        this.waitMs,
        'the removal of stale ports',
        async (binder) => {
          await binder.ensureBridge();
          return binder.unbindMany(
            binder
              .list()
              .filter((p) => p.owned && !want.has(p.name))
              .map((p) => p.name),
          );
        },
        this.log,
      ),
    );
    for (const spec of desired) {
      try {
        merge(
          await changeUnlessRefused(
            this.ovs,
            this.waitMs,
            `the binding of port ${spec.name}`,
            (binder) => binder.bindMany([spec]),
            this.log,
          ),
        );
      } catch (err) {
        const failure = commandFailureOf(err);
        if (!failure.permanent) throw err;
        this.log.error(
          { port: spec.name, errorCode: failure.errorCode, err: (err as Error).message },
          'dropping a desired port that cannot be applied',
        );
        await this.store.setDesired({ remove: [spec.name] });
      }
    }
    return out;
  }

  private async run(cmd: AgentCommand__Output): Promise<CommandOutcome> {
    const done = this.recording.get(cmd.id)?.record ?? this.store.appliedCommand(cmd.id);
    if (done) {
      this.log.info({ commandId: cmd.id }, 'command already applied; answering from the store');
      const stored = storedResult(done.result);
      return {
        commandId: cmd.id,
        ok: done.ok,
        errorCode: done.errorCode,
        error: done.error,
        ports: stored.ports,
        ...(stored.lxd ? { lxd: { ...stored.lxd, report: stored.lxd.report ?? this.lxd?.report ?? null } } : {}),
      };
    }
    const started = Date.now();
    const kind = cmd.kind ?? 'unknown';
    let result: CommandOutcome;
    let permanent = false;
    try {
      if (isLxdCommand(cmd.kind)) {
        if (!this.lxd) throw new LxdUnsupportedError();
        result = { commandId: cmd.id, ok: true, errorCode: '', error: '', ports: [], lxd: await runLxdCommand(this.lxd, cmd) };
      } else {
        const applied = await this.apply(cmd);
        result = {
          commandId: cmd.id,
          ok: true,
          errorCode: '',
          error: '',
          ports: applied.ports.map(portReport),
          ...(applied.sriov ? { sriov: { report: applied.sriov } } : {}),
        };
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const lxd = isLxdCommand(cmd.kind) ? { lxd: { report: this.lxd?.report ?? null, instance: null, lxdError: lxdErrorOf(e) } } : {};
      const sriov = e instanceof SriovReconcileError ? { sriov: { report: e.report } } : {};
      const failure = commandFailureOf(e);
      permanent = failure.permanent;
      result = { commandId: cmd.id, ok: false, errorCode: failure.errorCode, error: e.message, ports: [], ...lxd, ...sriov };
    }
    if (result.ok || permanent) {
      // An LXD result is stored without the report: a repeat answers the report as it stands then.
      const stored = result.lxd ? { lxd: { ...result.lxd, report: null } } : result.ports;
      const record = {
        id: cmd.id,
        ok: result.ok,
        errorCode: result.errorCode,
        error: result.error,
        result: stored,
        at: Date.now(),
      };
      // A compose is safe to carry out twice (ProjectScope.create answers the instance an earlier
      // one made) and LXD keeps its outcome durably, so its answer does not wait for the record's
      // commit (a repeat meanwhile is answered from memory); every other command's answer does.
      if (cmd.kind === 'lxdCompose') this.writeBehind(record);
      else await this.store.recordApplied(record);
    }
    this.log.info(
      { commandId: cmd.id, kind, ok: result.ok, errorCode: result.errorCode || undefined, ms: Date.now() - started },
      'command finished',
    );
    this.onOutcome(kind, result.ok, result.errorCode);
    return result;
  }

  private async apply(cmd: AgentCommand__Output): Promise<Applied> {
    if (cmd.kind === 'sriovConfigure' || cmd.kind === 'sriovRefresh') {
      const sriov = this.extensions.sriov;
      if (sriov === undefined) throw new UnknownCommandError(cmd.kind);
      const desired = cmd.sriovConfigure?.desired ?? { revision: 0, pfs: [] };
      return { ports: [], sriov: cmd.kind === 'sriovConfigure' ? await sriov.configure(desired) : await sriov.refresh() };
    }
    return { ports: await this.applyPorts(cmd) };
  }

  /** A port named by the function it stands for ("pf0vf3") is bound as its representor netdev. */
  private async resolved(p: PortSpec__Output | null | undefined): Promise<PortSpec> {
    const spec = fromMessage(p);
    // The name as given must pass the checks too, so a bad one is named as sent, not as resolved.
    return { ...spec, name: spec.name === '' ? '' : await this.resolvePort(checkPortName(spec.name)) };
  }

  /** A port change through OVSDB, failing permanently when the server refuses it (refusal-check.ts). */
  private change<T>(what: string, fn: (binder: PortBinder) => Promise<T>): Promise<T> {
    return changeUnlessRefused(this.ovs, this.waitMs, what, fn, this.log);
  }

  private async applyPorts(cmd: AgentCommand__Output): Promise<PortStatus[]> {
    switch (cmd.kind) {
      case 'bindPort': {
        // Checked before the desired state is touched: a bad spec never enters it.
        const spec = normalisePortSpec(await this.resolved(cmd.bindPort?.port));
        const before = this.store.desiredPorts().find((p) => p.name === spec.name);
        await this.store.setDesired({ put: [spec] });
        try {
          return [await this.change(`the binding of port ${spec.name}`, (binder) => binder.bind(spec))];
        } catch (err) {
          if (commandFailureOf(err).permanent) await this.store.setDesired(before ? { put: [before] } : { remove: [spec.name] });
          throw err;
        }
      }
      case 'unbindPort': {
        const given = checkPortName(cmd.unbindPort?.name ?? '');
        const name = await this.resolvePort(given).catch(() => given);
        await this.store.setDesired({ remove: [name] });
        await this.change(`the removal of port ${name}`, (binder) => binder.unbindMany([name]));
        return [];
      }
      case 'reconcilePorts': {
        const specs: PortSpec[] = [];
        for (const p of cmd.reconcilePorts?.ports ?? []) specs.push(normalisePortSpec(await this.resolved(p)));
        const before = this.store.desiredPorts();
        await this.store.setDesired({ replaceAll: specs });
        try {
          return await this.change('the reconcile of the given ports', async (binder) => {
            await binder.ensureBridge();
            return (await binder.reconcile(specs)).ports;
          });
        } catch (err) {
          // A set refused for good must not stay behind to be sent after every reconnect.
          if (commandFailureOf(err).permanent) await this.store.setDesired({ replaceAll: before });
          throw err;
        }
      }
      default:
        throw new UnknownCommandError(cmd.kind);
    }
  }
}

/** A stored result: the port reports (an array), or {lxd} for an LXD command. */
function storedResult(r: unknown): { ports: PortReport__Output[]; lxd: LxdResult__Output | null } {
  if (Array.isArray(r)) return { ports: r as PortReport__Output[], lxd: null };
  const lxd = (r as { lxd?: LxdResult__Output } | null)?.lxd ?? null;
  return { ports: [], lxd };
}

function fromMessage(p: PortSpec__Output | null | undefined): PortSpec {
  return { name: p?.name ?? '', ifaceId: p?.ifaceId ?? '', mac: p?.mac ?? '', vmUuid: p?.vmUuid ?? '' };
}

export function portReport(p: PortStatus): PortReport__Output {
  return {
    spec: { name: p.name, ifaceId: p.ifaceId, mac: p.mac, vmUuid: p.vmUuid },
    state: p.state,
    ofport: p.ofport ?? 0,
    error: p.error ?? '',
  };
}
