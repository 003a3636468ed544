// The durable BIOS-halt sequencer. For a machine with smartNIC ports that is off: set the next
// boot to BIOS setup once, power on, wait until each smartNIC agent opens a session newer than
// the one it had before, attach the ports to the tenant network when there is one (OVN logical
// ports), bind (or unbind) the ports through the agents and wait until they are active (or gone)
// and OVN reports them up, detach what the machine no longer uses, then restore: power off, or
// for a deploy set the deploy boot device and boot it. Each step is written to the store before it acts and recorded as an event with its
// duration when done; waits are event-driven and bounded; a failure restores the power found.
import { randomUUID } from 'node:crypto';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { SessionHub } from '../agents/session-hub.js';
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { Machine } from '../machines/machine.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { callPower } from '../power/power-call.js';
import type { EraseMode } from '../boot/deploy-grant.js';
import type { BootDevice, PowerDrivers } from '../power/power-driver.js';
import type { SecretTable } from '../store/secret-table.js';
import type { Store, WriteScope } from '../store/store.js';
import { collectStepWrites, StepWrites } from '../store/step-writes.js';
import { activeFence, runFenced } from '../store/write-fence.js';
import { OwnershipLostError } from '../ha/errors.js';
import type { AgentReach } from '../ha/agent-reach.js';
import type { RescanReason, SequenceOwners } from '../ha/sequence-owners.js';
import { waitForSession } from './agent-waits.js';
import { PortCommandFailedError, SequenceBusyError } from './errors.js';
import { crashPointFromEnv, maybeCrash } from './failpoints.js';
import { ImageSteps } from './image-steps.js';
import { failSequence, finishSequence } from './sequence-endings.js';
import { smartNicPorts, type PortAttachments, type SmartPort } from './port-attachments.js';
import {
  STEP_TEXT,
  type ImageDeploy,
  type NetworkTarget,
  type SequenceFailure,
  type SequenceKind,
  type SequenceRecord,
  type Step,
} from './sequence.js';

export { smartNicPorts, type SmartPort } from './port-attachments.js';

export interface SequencerOptions {
  /** Bound on waiting for a smartNIC agent's new session (default 10 min). */
  agentSessionTimeoutMs: number;
  /** Bound on waiting for a port to be active or gone (default 2 min). */
  portActiveTimeoutMs: number;
  /** Bound on each power driver call. */
  powerTimeoutMs: number;
}

export interface SequencerDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly writer: MachineWriter;
  readonly drivers: PowerDrivers;
  readonly secrets: SecretTable;
  readonly agents: AgentRegistry;
  readonly hub: SessionHub;
  /** Where each agent's session is (here or on another coordinator): what the waits for agents wait on. */
  readonly reach: AgentReach;
  /** Every time the sequencer reads: sequence and step start times, step durations. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: SequencerOptions;
  /** Tenant-network attachments of the machines' smartNIC ports. */
  readonly attachments: PortAttachments;
  /** Which coordinator runs each sequence (ha/sequence-owners.ts): only its claim holder. */
  readonly owners: SequenceOwners;
  /** The steps of an image deploy and an erasing release (image-steps.ts). */
  readonly imageSteps: ImageSteps;
}

/** What a running sequence knows of the machine's power from its own reads and changes (not stored). */
interface KnownPower {
  state: 'on' | 'off' | undefined;
}

type Next = Partial<Omit<SequenceRecord, 'id' | 'machineId' | 'kind' | 'actor'>> & { step: Step };

export class BiosHaltSequencer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly log: Logger;
  private readonly crashPoint = crashPointFromEnv();

  constructor(private readonly deps: SequencerDeps) {
    this.log = deps.logger.child({ component: 'sequencer' });
  }

  /** The sequence stored for a machine, if one is unfinished. */
  get(machineId: string): SequenceRecord | undefined {
    return this.deps.store.tables.sequences.get(machineId) as SequenceRecord | undefined;
  }

  /**
   * Inside the caller's write transaction (the one that moves the machine to DEPLOYING or
   * RELEASING): stores a new sequence; it starts running once that transaction has committed.
   */
  begin(
    scope: WriteScope,
    machine: Machine,
    kind: SequenceKind,
    actor: string,
    deployBoot: BootDevice = 'pxe',
    network: NetworkTarget | null = null,
    netboot: { image?: ImageDeploy; erase?: EraseMode } = {},
  ): SequenceRecord {
    const existing = this.get(machine.id);
    if (existing) throw new SequenceBusyError(machine.id, existing.kind);
    const now = this.deps.clock.now();
    const record: SequenceRecord = {
      id: randomUUID(),
      machineId: machine.id,
      kind,
      actor,
      step: 'read-power',
      startedAt: now,
      stepStartedAt: now,
      powerFound: null,
      biosHalt: false,
      epochsBefore: {},
      portsDone: [],
      deployBoot,
      failure: null,
      network,
      attached: [],
      image: netboot.image ?? null,
      erase: netboot.erase ?? null,
    };
    this.deps.store.tables.sequences.putSync(machine.id, record);
    this.deps.events.append(scope, {
      actor,
      kind: 'sequence.started',
      machineId: machine.id,
      why: `${kind} sequence started`,
      details: {
        sequence: record.id,
        sequenceKind: kind,
        smartNicPorts: String(smartNicPorts(machine).length),
        networkId: network?.networkId ?? '',
        image: netboot.image?.name ?? '',
        erase: netboot.erase ?? '',
      },
    });
    scope.onCommit(() => this.launch(record));
    return record;
  }

  /**
   * Runs every sequence a previous coordinator left unfinished (or one that died, on etcd), from
   * its stored step: those no coordinator owns, once this one has claimed them.
   */
  resume(why: RescanReason = 'start'): number {
    let n = 0;
    for (const { value } of this.deps.store.tables.sequences.getRange()) {
      const r = value as SequenceRecord;
      if (this.running.has(r.machineId) || !this.deps.owners.candidate(r.machineId, why)) continue;
      this.log.info({ machineId: r.machineId, sequence: r.id, step: r.step }, 'resuming sequence');
      this.launch(r);
      n++;
    }
    return n;
  }

  /** Resolves when the machine's running sequence (if any) has ended. */
  async settled(machineId: string): Promise<void> {
    await this.running.get(machineId);
  }

  private launch(record: SequenceRecord): void {
    if (this.running.has(record.machineId)) return;
    const run = this.runOwned(record.machineId)
      .catch((err: unknown) => {
        if (err instanceof OwnershipLostError) this.log.error({ err, machineId: record.machineId }, 'sequence left to its new owner');
        else this.log.error({ err, machineId: record.machineId }, 'sequence stopped on an internal error');
      })
      .finally(() => this.running.delete(record.machineId));
    this.running.set(record.machineId, run);
  }

  /**
   * Claims the machine's sequence and runs it from the step stored when the claim was taken, with
   * every write fenced by the claim; another coordinator's claim leaves it alone.
   */
  private async runOwned(machineId: string): Promise<void> {
    const ownership = await this.deps.owners.take(machineId);
    if (!ownership) return;
    try {
      const record = this.get(machineId); // read after the claim: every step its last owner stored
      if (record) await runFenced(ownership, () => this.run(record));
    } finally {
      await ownership.release();
    }
  }

  private async run(start: SequenceRecord): Promise<void> {
    let r = start;
    // The power state this run read or set itself; empty for a resumed sequence until it does.
    const power: KnownPower = { state: undefined };
    for (;;) {
      const began = this.deps.clock.now();
      let next: Next | null;
      // What the step proves on the way (a power state) goes into the write that records its outcome.
      const proved = new StepWrites();
      try {
        activeFence()?.check(); // at each step boundary: a coordinator that lost its lease stops here
        maybeCrash(this.crashPoint, 'before', r.step);
        next = await collectStepWrites(proved, () => this.act(r, power, proved));
        maybeCrash(this.crashPoint, 'after', r.step);
      } catch (err) {
        if (err instanceof OwnershipLostError) throw err; // no failure recorded: the new owner carries on
        const reason = err instanceof Error ? err.message : String(err);
        // What the step stored before it failed (ports done, ports attached) is kept.
        r = this.get(r.machineId) ?? r;
        if (r.step === 'fail-restore' || r.step === 'fail-finish') {
          this.log.error({ machineId: r.machineId, step: r.step, err: reason }, 'restoring after a failure failed too');
          next = r.step === 'fail-restore' ? { step: 'fail-finish', failure: r.failure ?? { step: r.step, reason } } : null;
        } else {
          this.log.warn({ machineId: r.machineId, step: r.step, err: reason }, 'sequence step failed');
          next = { step: 'fail-restore', failure: { step: r.step, reason } };
        }
      }
      r = await this.persist(r, next, this.deps.clock.now() - began, proved);
      if (next === null) return;
    }
  }

  /** Whether a sequence has bound the machine's smartNIC ports and none has unbound them since. */
  networkBound(machineId: string): boolean {
    return this.deps.store.tables.networkBindings.get(machineId) !== undefined;
  }

  /**
   * Records the finished step as an event and stores the next one (or removes the record at the
   * end), in one write with what the step proved or finished (`proved`). The record that a sequence
   * binds the machine's smartNIC ports is stored with the step that goes to them, before any port
   * command (a crash mid-way must still unbind on release).
   */
  private async persist(r: SequenceRecord, next: Next | null, durationMs: number, proved: StepWrites): Promise<SequenceRecord> {
    const after: SequenceRecord | null = next ? { ...r, ...next, stepStartedAt: this.deps.clock.now() } : null;
    const binding = binds(r);
    await this.deps.store.write((scope) => {
      proved.applyIn(scope);
      if (binding && after?.step === 'ports') this.deps.store.tables.networkBindings.putSync(r.machineId, r.id);
      if (after) this.deps.store.tables.sequences.putSync(r.machineId, after);
      else this.deps.store.tables.sequences.removeSync(r.machineId);
      const failed = next?.step === 'fail-restore' && r.step !== 'fail-restore';
      this.deps.events.append(scope, {
        actor: r.actor,
        kind: failed ? 'sequence.step-failed' : 'sequence.step',
        machineId: r.machineId,
        why: failed ? `${this.text(r, r.step)} failed: ${after?.failure?.reason ?? ''}` : this.text(r, r.step),
        details: { sequence: r.id, sequenceKind: r.kind, step: r.step, durationMs: String(durationMs), next: next?.step ?? 'done' },
      });
    });
    return after ?? r;
  }

  private text(r: SequenceRecord, step: Step): string {
    if (step === 'ports') return r.kind === 'release' || r.kind === 'unbind' ? 'unbind the smartNIC ports' : STEP_TEXT.ports;
    if (step === 'set-boot-deploy') return `set the next boot to ${r.deployBoot} (once)`;
    return STEP_TEXT[step];
  }

  private machine(r: SequenceRecord): Machine {
    const m = this.deps.writer.table.get(r.machineId);
    if (!m) throw new Error(`machine ${r.machineId} no longer exists`);
    return m;
  }

  private power<T>(m: Machine, call: Parameters<typeof callPower<T>>[4], known?: KnownPower): Promise<T> {
    activeFence()?.check(); // no BMC call from a coordinator that lost its lease
    return callPower(this.deps.drivers, this.deps.secrets, m, this.deps.options.powerTimeoutMs, call, known?.state);
  }

  /** Carries out r.step and says what comes next (null: the sequence is over). */
  private async act(r: SequenceRecord, power: KnownPower, proved: StepWrites): Promise<Next | null> {
    const binding = binds(r);
    switch (r.step) {
      case 'read-power': {
        const m = this.machine(r);
        const smart = smartNicPorts(m);
        const found = await this.power(m, (d, t, s) => d.queryState(t, s));
        power.state = found === 'unknown' ? undefined : found;
        if (smart.length === 0) return { step: this.afterPorts(r), powerFound: found };
        if (found === 'off') {
          const epochsBefore: Record<string, number> = {};
          for (const p of smart) epochsBefore[p.agentId] = this.deps.agents.get(p.agentId)?.epoch ?? 0;
          return { step: 'set-boot-bios', powerFound: found, biosHalt: true, epochsBefore };
        }
        return { step: 'wait-agents', powerFound: found };
      }
      case 'set-boot-bios': {
        const m = this.machine(r);
        await this.power(m, (d, t, s) => d.setBootDevice(t, { device: 'bios', persistent: false, mode: m.power.bootMode }, s));
        return { step: 'power-on' };
      }
      case 'power-on':
        // Found off by read-power moments ago: the driver need not read it again.
        await this.power(this.machine(r), (d, t, s) => d.powerOn(t, s), power);
        power.state = 'on';
        return { step: 'wait-agents' };
      case 'wait-agents': {
        const agents = [...new Set(smartNicPorts(this.machine(r)).map((p) => p.agentId))];
        await Promise.all(
          agents.map((a) =>
            waitForSession(this.deps.reach, a, r.biosHalt ? (r.epochsBefore[a] ?? 0) : -1, this.deps.options.agentSessionTimeoutMs),
          ),
        );
        return { step: 'attach' };
      }
      case 'attach': {
        if (ImageSteps.netboots(r)) {
          await this.deps.imageSteps.attach(r, this.machine(r));
          return { step: 'ports' };
        }
        const target = this.target(r);
        if (!target) return { step: 'ports' };
        await this.deps.attachments.attach(r.actor, this.machine(r), target, (_scope, lspName) => {
          const stored = this.get(r.machineId) ?? r;
          this.deps.store.tables.sequences.putSync(r.machineId, { ...stored, attached: [...(stored.attached ?? []), lspName] });
        });
        return { step: 'ports', attached: this.get(r.machineId)?.attached ?? [] };
      }
      case 'ports': {
        const m = this.machine(r);
        const done = [...r.portsDone];
        // A sequence resumed in this step from before the binding record was stored with the step
        // that led here (an older coordinator's): stored now, before any command.
        if (binding && !this.networkBound(r.machineId))
          await this.deps.store.write(() => this.deps.store.tables.networkBindings.putSync(r.machineId, r.id));
        const todo = smartNicPorts(m).filter((p) => !done.includes(`${p.agentId}/${p.portId}`));
        for (const [i, p] of todo.entries()) {
          await this.portCommand(r, m, p, binding);
          done.push(`${p.agentId}/${p.portId}`);
          // Each port done is stored before the next command; the last one with the step's outcome
          // (a crash before that re-sends its command, which the agent answers from its record).
          if (i < todo.length - 1)
            await this.deps.store.write(() => this.deps.store.tables.sequences.putSync(r.machineId, { ...r, portsDone: done }));
        }
        if (!binding) proved.add(() => this.deps.store.tables.networkBindings.removeSync(r.machineId));
        return { step: this.target(r) ? 'wait-ovn' : 'detach', portsDone: done };
      }
      case 'wait-ovn':
        await this.deps.attachments.waitUp(this.machine(r), this.target(r)!, this.deps.options.portActiveTimeoutMs);
        return { step: 'detach' };
      case 'detach': {
        // Everything but the target network's ports: a move leaves the old network, an unbind all.
        const keep = this.target(r)?.networkId;
        await this.deps.attachments.detach(r.actor, this.machine(r), (a) => a.networkId !== keep);
        return { step: this.afterPorts(r) };
      }
      case 'set-boot-deploy': {
        const m = this.machine(r);
        await this.power(m, (d, t, s) => d.setBootDevice(t, { device: r.deployBoot, persistent: false, mode: m.power.bootMode }, s));
        return { step: 'restore-off' };
      }
      case 'restore-off':
        // Powered on by this run (or found on): off is sent without a read (an off to an off
        // chassis changes nothing).
        await this.power(this.machine(r), (d, t, s) => d.powerOff(t, s), power);
        power.state = 'off';
        return { step: r.kind === 'deploy' || ImageSteps.netboots(r) ? 'restore-on' : 'finish' };
      case 'restore-on':
        await this.power(this.machine(r), (d, t, s) => d.powerOn(t, s), power);
        power.state = 'on';
        return { step: ImageSteps.afterPowerOn(r) };
      case 'finish':
        // The machine's last transition goes in the write that ends the sequence.
        proved.add((scope) => finishSequence(this.deps, r, scope));
        return null;
      case 'fail-restore': {
        const m = this.machine(r);
        // A failed move goes back to the network it left, first: a host powered off below takes
        // its smartNICs' agents down with it.
        const failure = await this.rebindAfterFailedMove(r, m);
        // A host is never left running in BIOS setup: if it was off, it goes off again.
        try {
          if (r.biosHalt || r.powerFound === 'off') await this.power(m, (d, t, s) => d.powerOff(t, s));
        } finally {
          // A netbooting sequence: no token left, the ports only on provisioning (no boot file).
          if (ImageSteps.netboots(r)) await this.deps.imageSteps.failed(r, m);
          // The logical ports this sequence attached go too: nothing of a failed attach stays in OVN.
          const attached = new Set(r.attached ?? []);
          if (attached.size > 0) await this.deps.attachments.detach(r.actor, m, (a) => attached.has(a.lspName));
        }
        return { step: 'fail-finish', failure };
      }
      case 'fail-finish':
        await failSequence(this.deps, r, this.text(r, r.failure?.step ?? r.step));
        this.log.warn({ machineId: r.machineId, failure: r.failure }, 'sequence failed');
        return null;
      default: {
        const next = await this.deps.imageSteps.act(r, this.machine(r), (m, call) => this.power(m, call));
        if (!next) throw new Error(`step ${r.step} is not one of this sequence`);
        return next;
      }
    }
  }

  /** The tenant network a deploy or bind attaches to (null: none, or an unbind or release). */
  private target(r: SequenceRecord): NetworkTarget | null {
    if (ImageSteps.netboots(r)) return this.deps.imageSteps.target();
    return r.kind === 'deploy' || r.kind === 'bind' ? (r.network ?? null) : null;
  }

  /** Where a sequence goes once its ports are done (or when it has none). */
  private afterPorts(r: SequenceRecord): Step {
    if (r.kind === 'deploy') return 'set-boot-deploy';
    if (r.kind === 'release') return r.erase ? 'set-boot-deploy' : 'restore-off';
    return r.biosHalt ? 'restore-off' : 'finish';
  }

  private async portCommand(r: SequenceRecord, m: Machine, p: SmartPort, bind: boolean): Promise<void> {
    await waitForSession(this.deps.reach, p.agentId, -1, this.deps.options.agentSessionTimeoutMs);
    // One id per sequence, agent and port: a resumed sequence re-sends the same command, which
    // the agent answers from its record instead of applying it twice.
    const id = `${r.id}:${bind ? 'bind' : 'unbind'}:${p.agentId}:${p.portId}`;
    if (bind) return this.bindPort(m, p, this.deps.attachments.ifaceId(m.id, p, this.target(r)), id);
    activeFence()?.check(); // no agent command from a coordinator that lost its lease
    const body = { kind: 'unbindPort' as const, unbindPort: { name: p.portId } };
    const result = await this.deps.hub.command(
      p.agentId,
      body,
      this.deps.options.portActiveTimeoutMs,
      `unbind-port ${p.portId} for machine ${m.id}`,
      id,
    );
    if (!result.ok) throw new PortCommandFailedError(p.agentId, p.portId, result.errorCode, result.error);
  }

  private async bindPort(m: Machine, p: SmartPort, ifaceId: string, id: string): Promise<void> {
    activeFence()?.check();
    const body = { kind: 'bindPort' as const, bindPort: { port: { name: p.portId, ifaceId, mac: p.mac, vmUuid: m.id } } };
    const result = await this.deps.hub.command(
      p.agentId,
      body,
      this.deps.options.portActiveTimeoutMs,
      `bind-port ${p.portId} for machine ${m.id}`,
      id,
    );
    if (!result.ok) throw new PortCommandFailedError(p.agentId, p.portId, result.errorCode, result.error);
  }

  /**
   * After a bind (a move) failed with ports already rebound: binds each of those ports again with
   * the iface-id it had before, the LSP of its attachment that this sequence did not create (the
   * network it was on), or Mooring's port id when it was on none. The failure that stopped the
   * sequence stays the reason; a rebind that fails is logged and added to it, never replaces it.
   * The agent is not waited for (it answered the move moments ago): each command is bounded by
   * the port timeout, all ports at once, so a host to power off is not held up for long.
   */
  private async rebindAfterFailedMove(r: SequenceRecord, m: Machine): Promise<SequenceFailure | null> {
    if (r.kind !== 'bind' || r.portsDone.length === 0) return r.failure;
    const created = new Set(r.attached ?? []);
    const before = this.deps.attachments.of(m.id).filter((a) => !created.has(a.lspName));
    const rebound = smartNicPorts(m).filter((p) => r.portsDone.includes(`${p.agentId}/${p.portId}`));
    const errors = await Promise.all(
      rebound.map(async (p): Promise<string | null> => {
        const ifaceId = before.find((a) => a.portId === p.uuid)?.lspName ?? p.uuid;
        // Its own id: a resumed fail-restore re-sends it and the agent answers from its record.
        const id = `${r.id}:restore:${p.agentId}:${p.portId}`;
        try {
          await this.bindPort(m, p, ifaceId, id);
          this.log.info({ machineId: m.id, agentId: p.agentId, port: p.portId, ifaceId }, 'port rebound as before the failed move');
          return null;
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          this.log.error(
            { machineId: m.id, agentId: p.agentId, port: p.portId, ifaceId, err: reason },
            'rebinding a port after a failed move failed',
          );
          return `rebinding port ${p.portId} on smartNIC ${p.agentId} as before (iface-id ${ifaceId}) failed too: ${reason}`;
        }
      }),
    );
    const failed = errors.filter((e): e is string => e !== null);
    const f = r.failure ?? { step: r.step, reason: 'unknown failure' };
    // A resumed fail-restore finds the note already added.
    const missing = failed.filter((e) => !f.reason.includes(e));
    if (missing.length === 0) return r.failure;
    const failure: SequenceFailure = { step: f.step, reason: [f.reason, ...missing].join('; ') };
    // Stored now: a power-off failing next keeps this reason (run() reads the stored record).
    await this.deps.store.write(() => this.deps.store.tables.sequences.putSync(r.machineId, { ...(this.get(r.machineId) ?? r), failure }));
    return failure;
  }
}

/** Whether a sequence binds the machine's smartNIC ports (an erasing release binds them to provisioning, as a deploy does). */
function binds(r: SequenceRecord): boolean {
  return r.kind === 'deploy' || r.kind === 'bind' || ImageSteps.netboots(r);
}
