// Report -> machines (ARCHITECTURE.md "VM hosts"): every instance the agent reports in its
// project is a machine with the lxd power driver, commissioned to READY in the transaction that
// creates it (so the pool's auto-reservation applies at once, as for bare metal). An instance
// that is gone from the project takes its machine with it when nobody holds the machine; a
// machine somebody holds (allocated, deployed, or on its way) becomes BROKEN with the reason, so
// its owner learns why instead of finding it vanished. Runs inside one write transaction.
import { randomBytes } from 'node:crypto';
import type { LxdInstance__Output, LxdReport__Output } from '../../../proto/generated/index.js';
import type { Clock } from '../clock.js';
import type { Machine, MachineStatus } from '../machines/machine.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { lxdStatusToPower } from '../power/lxd-driver.js';
import type { WriteScope } from '../store/store.js';
import type { Tables } from '../store/tables.js';
import type { PendingComposes } from './pending-composes.js';
import { instanceAddress, type VmHost } from './vm-host.js';

const MIB = 2 ** 20;
const MACHINE_ID = /^m-[0-9a-f]{12}$/;
/** Statuses in which nobody holds the machine: it may simply go with its instance. */
const UNHELD: ReadonlySet<MachineStatus> = new Set(['NEW', 'COMMISSIONING', 'READY', 'BROKEN', 'FAILED_COMMISSIONING']);

export interface ReconcileOutcome {
  readonly created: string[];
  readonly removed: string[];
  readonly broken: string[];
}

export interface InstanceMachinesDeps {
  readonly tables: Tables;
  readonly writer: MachineWriter;
  readonly poolExists: (pool: string) => boolean;
  readonly clock: Clock;
}

export class InstanceMachines {
  constructor(private readonly deps: InstanceMachinesDeps) {}

  /** Machine ids of the host's instances, by instance name. */
  links(host: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const { key, value } of this.deps.tables.vmInstances.getRange({ start: [host, ''], end: [host, '\uffff'] }))
      out.set(key[1], value);
    return out;
  }

  machineOf(host: string, instance: string): string | undefined {
    return this.deps.tables.vmInstances.get([host, instance]);
  }

  unlink(host: string, instance: string): void {
    this.deps.tables.vmInstances.removeSync([host, instance]);
  }

  /**
   * Brings the host's machines in line with `report` (the instances of its project). `pending`
   * names changes made through Mooring that the report may predate: a composed instance it does
   * not list yet is kept, a deleted one it still lists is not brought back.
   */
  reconcile(scope: WriteScope, host: VmHost, report: LxdReport__Output, pending: PendingComposes): ReconcileOutcome {
    const outcome: ReconcileOutcome = { created: [], removed: [], broken: [] };
    const links = this.links(host.name);
    const seen = new Set<string>();
    for (const instance of report.instances) {
      seen.add(instance.name);
      if (pending.isDeleted(host.name, instance.name)) continue;
      const id = links.get(instance.name);
      const machine = id === undefined ? undefined : this.deps.writer.table.get(id);
      if (machine) this.refreshMachine(scope, host, machine, instance);
      else outcome.created.push(this.ensure(scope, host, instance, report).id);
    }
    for (const [instance, id] of links) {
      if (seen.has(instance) || pending.has(host.name, instance)) continue;
      const gone = this.forget(scope, host, instance, id, `instance ${instance} is no longer in LXD project ${host.project}`);
      if (gone === 'removed') outcome.removed.push(id);
      if (gone === 'broken') outcome.broken.push(id);
    }
    return outcome;
  }

  /** The instance's machine, created READY when it has none. */
  ensure(scope: WriteScope, host: VmHost, instance: LxdInstance__Output, report: LxdReport__Output | null): Machine {
    const linked = this.machineOf(host.name, instance.name);
    const existing = linked === undefined ? undefined : this.deps.writer.table.get(linked);
    if (existing) return existing;
    const id =
      MACHINE_ID.test(instance.machineId) && !this.deps.writer.table.get(instance.machineId)
        ? instance.machineId
        : `m-${randomBytes(6).toString('hex')}`;
    const resources = report?.resources ?? host.report?.resources ?? null;
    const now = this.deps.clock.now();
    const fresh: Machine = {
      id,
      hostname: this.freeHostname(instance.name.toLowerCase(), host.name, id),
      arch: host.arch,
      // No limits.cpu / limits.memory: the instance may use the whole host.
      cores: instance.cores || resources?.threads || resources?.cores || 1,
      memoryMib: Math.max(1, Math.round((instance.memoryBytes || resources?.memoryTotal || MIB) / MIB)),
      tags: ['lxd', instance.type || 'container'].sort(),
      pool: this.deps.poolExists(host.pool) ? host.pool : 'default',
      zone: host.zone,
      status: 'NEW',
      statusReason: '',
      owner: null,
      reservedFor: null,
      power: {
        driver: 'lxd',
        address: instanceAddress(host.name, instance.name),
        user: '',
        passwordFile: null,
        hasPassword: false,
        bootMode: 'uefi',
        ipmiCipherSuite: null,
        redfishTls: null,
      },
      powerState: lxdStatusToPower(instance.status),
      ports: [],
      annotations: {},
      brokenFrom: null,
      commissioned: false,
      createdAt: now,
      updatedAt: now,
    };
    this.deps.tables.vmInstances.putSync([host.name, instance.name], id);
    const why = `LXD instance ${instance.name} in project ${host.project} on VM host ${host.name}`;
    const enlisted = this.deps.writer.update(scope, host.agent, null, fresh, 'machine.enlisted', why, {
      pool: fresh.pool,
      vmHost: host.name,
    });
    return this.deps.writer.transitionThrough(scope, host.agent, enlisted, ['COMMISSIONING', 'READY'], 'commission', why, {
      commissioned: true,
    });
  }

  /** Drops the instance's link; its machine goes away, or becomes BROKEN when somebody holds it. */
  forget(scope: WriteScope, host: VmHost, instance: string, id: string, why: string): 'removed' | 'broken' | 'none' {
    this.unlink(host.name, instance);
    const machine = this.deps.writer.table.get(id);
    if (!machine) return 'none';
    if (machine.owner === null && UNHELD.has(machine.status)) {
      this.deps.writer.remove(scope, host.agent, machine);
      return 'removed';
    }
    const reason = `${why} (VM host ${host.name})`;
    if (machine.status === 'BROKEN') {
      this.deps.writer.update(
        scope,
        host.agent,
        machine,
        { ...machine, statusReason: reason, powerState: 'unknown' },
        'machine.updated',
        reason,
      );
    } else {
      this.deps.writer.transition(scope, host.agent, machine, 'BROKEN', 'instance gone', reason, {
        brokenFrom: machine.status,
        statusReason: reason,
        powerState: 'unknown',
      });
    }
    return 'broken';
  }

  /** Power state and size follow the instance (changes made with `lxc` included). */
  private refreshMachine(scope: WriteScope, host: VmHost, machine: Machine, instance: LxdInstance__Output): void {
    const powerState = lxdStatusToPower(instance.status);
    const cores = instance.cores || machine.cores;
    const memoryMib = instance.memoryBytes ? Math.max(1, Math.round(instance.memoryBytes / MIB)) : machine.memoryMib;
    if (powerState === machine.powerState && cores === machine.cores && memoryMib === machine.memoryMib) return;
    const details: Record<string, string> = { vmHost: host.name, instance: instance.name, lxdStatus: instance.status };
    this.deps.writer.update(
      scope,
      host.agent,
      machine,
      { ...machine, powerState, cores, memoryMib },
      'machine.updated',
      `LXD reports instance ${instance.name} ${instance.status}`,
      details,
    );
  }

  private freeHostname(wanted: string, host: string, id: string): string {
    for (const candidate of [wanted, `${wanted}-${host}`, `${wanted}-${id.slice(2)}`]) {
      if (
        /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(candidate) &&
        !this.deps.writer.table.hostnameTaken(candidate)
      )
        return candidate;
    }
    return id;
  }
}
