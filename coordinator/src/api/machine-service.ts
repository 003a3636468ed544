// mooring.v1.MachineService.
import type { MachineServiceHandlers } from '../../../proto/generated/index.js';
import type { Allocator } from '../allocation/allocator.js';
import type { Commissioner } from '../machines/commissioner.js';
import type { MachineEditor } from '../machines/machine-editor.js';
import type { MachineRegistry } from '../machines/machine-registry.js';
import type { MachinePower } from '../machines/power-ops.js';
import { unary, type ApiContext } from './call-handler.js';
import {
  allocateSchema,
  annotateSchema,
  enlistSchema,
  listMachinesSchema,
  machineReasonSchema,
  machineRefSchema,
  powerMachineSchema,
  reserveSchema,
  setBootDeviceSchema,
  updateMachineSchema,
} from './request-schemas.js';
import { machineToWire, statusToWire } from './wire.js';

export interface MachineServiceDeps {
  readonly registry: MachineRegistry;
  readonly commissioner: Commissioner;
  readonly allocator: Allocator;
  readonly power: MachinePower;
  readonly editor: MachineEditor;
}

export function machineService(ctx: ApiContext, deps: MachineServiceDeps): MachineServiceHandlers {
  const { registry, commissioner, allocator, power, editor } = deps;
  return {
    EnlistMachine: unary(ctx, 'EnlistMachine', enlistSchema, async (principal, { commission, ...spec }) => {
      const machine = await registry.enlist(principal, spec);
      return machineToWire(commission ? await commissioner.commission(principal, machine.id) : machine);
    }),
    GetMachine: unary(ctx, 'GetMachine', machineRefSchema, (principal, { machine }) =>
      machineToWire(registry.getVisible(principal, machine)),
    ),
    ListMachines: unary(ctx, 'ListMachines', listMachinesSchema, (principal, request) => {
      const page = registry.list(principal, request, request.pageSize, request.pageToken);
      const counts = request.withStatusCounts ? [...registry.countVisible(principal)] : [];
      return {
        machines: page.machines.map(machineToWire),
        nextPageToken: page.next,
        statusCounts: counts.map(([status, count]) => ({ status: statusToWire(status), count })),
      };
    }),
    CommissionMachine: unary(ctx, 'CommissionMachine', machineRefSchema, async (principal, { machine }) =>
      machineToWire(await commissioner.commission(principal, machine)),
    ),
    MarkBroken: unary(ctx, 'MarkBroken', machineReasonSchema, async (principal, { machine, reason }) =>
      machineToWire(await registry.markBroken(principal, machine, reason)),
    ),
    MarkFixed: unary(ctx, 'MarkFixed', machineReasonSchema, async (principal, { machine, reason }) =>
      machineToWire(await registry.markFixed(principal, machine, reason)),
    ),
    DeleteMachine: unary(ctx, 'DeleteMachine', machineRefSchema, async (principal, { machine }) => {
      await registry.delete(principal, machine);
      return {};
    }),
    AllocateMachine: unary(ctx, 'AllocateMachine', allocateSchema, async (principal, request, info) => {
      const machine = await allocator.allocate(principal, request.constraints, {
        dryRun: request.dryRun,
        annotations: request.annotations,
        reason: request.reason,
        cancelled: info.cancelled,
      });
      return { machine: machineToWire(machine), dryRun: request.dryRun };
    }),
    ReleaseMachine: unary(ctx, 'ReleaseMachine', machineReasonSchema, async (principal, { machine, reason }) =>
      machineToWire(await registry.release(principal, machine, reason)),
    ),
    AnnotateMachine: unary(ctx, 'AnnotateMachine', annotateSchema, async (principal, request) =>
      machineToWire(await registry.annotate(principal, request.machine, request.set, request.remove)),
    ),
    ReserveMachine: unary(ctx, 'ReserveMachine', reserveSchema, async (principal, { machine, holder }) =>
      machineToWire(await registry.reserve(principal, machine, holder)),
    ),
    UnreserveMachine: unary(ctx, 'UnreserveMachine', machineRefSchema, async (principal, { machine }) =>
      machineToWire(await registry.reserve(principal, machine, null)),
    ),
    PowerMachine: unary(ctx, 'PowerMachine', powerMachineSchema, async (principal, { machine, action }) =>
      machineToWire(await power.power(principal, machine, action)),
    ),
    SetBootDevice: unary(ctx, 'SetBootDevice', setBootDeviceSchema, async (principal, { machine, device, persistent }) =>
      machineToWire(await power.setBootDevice(principal, machine, device, persistent)),
    ),
    UpdateMachine: unary(ctx, 'UpdateMachine', updateMachineSchema, async (principal, { machine, ...edit }) =>
      machineToWire(await editor.update(principal, machine, edit)),
    ),
  };
}
