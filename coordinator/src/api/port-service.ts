// mooring.v1.PortService: the ports of a machine (machines/port-editor.ts). Whole ports are
// validated by the same `port` schema EnlistMachine uses; an update validates only the fields its
// update_mask names, and the editor checks the merged port against the same rules.
import { z } from 'zod';
import type { PortInfo__Output, PortServiceHandlers } from '../../../proto/generated/index.js';
import type { Machine, Port } from '../machines/machine.js';
import { PORT_FIELDS, protoPortField, type PortChanges, type PortEditor, type PortField } from '../machines/port-editor.js';
import { unary, type ApiContext } from './call-handler.js';
import { machineRefSchema, port, portFields } from './request-schemas.js';

/** What the smartNIC's agent reports about a port: its eswitch mode and the VF or representor. */
export interface PortNetworkView {
  readonly smartNicMode: string;
  readonly mapsTo: string;
}

/** Fills PortInfo.smart_nic_mode and maps_to; injected so the agents' SR-IOV report can feed it. */
export type PortViewResolver = (machine: Machine, port: Port) => PortNetworkView;

/** Until agents report SR-IOV state, nothing is known: both fields stay empty. */
export const unknownPortView: PortViewResolver = () => ({ smartNicMode: '', mapsTo: '' });

export interface PortServiceDeps {
  readonly editor: PortEditor;
  readonly resolveView?: PortViewResolver;
}

const machineRef = machineRefSchema.shape.machine;
const macRef = portFields.shape.mac;

export const createPortSchema = z.object({ machine: machineRef, port });
export const listPortsSchema = z.object({ machine: machineRef });
export const portRefSchema = z.object({ machine: machineRef, mac: macRef });

/** update_mask paths as the proto names the Port fields ("smart_nic_port_id"). */
const MASK_PATHS: ReadonlyMap<string, PortField> = new Map(PORT_FIELDS.map((field) => [protoPortField(field), field]));
const OPTIONAL_TEXT: ReadonlySet<PortField> = new Set(['smartNicAgentId', 'smartNicPortId', 'sshPublicKey', 'ovsdbCaCert']);

export const updatePortSchema = z
  .object({
    machine: machineRef,
    mac: macRef,
    port: z.record(z.string(), z.unknown()).nullable(),
    updateMask: z.array(z.string()).min(1, `name the fields to change: ${[...MASK_PATHS.keys()].join(', ')}`),
  })
  .transform((request, ctx) => {
    const changes: PortChanges = {};
    for (const [i, path] of request.updateMask.entries()) {
      const field = MASK_PATHS.get(path);
      if (!field) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown field ${path}: one of ${[...MASK_PATHS.keys()].join(', ')}`,
          path: ['updateMask', i],
        });
        return z.NEVER;
      }
      if (!request.port) {
        ctx.addIssue({ code: 'custom', message: 'required: the new values of the fields in update_mask', path: ['port'] });
        return z.NEVER;
      }
      // Only the masked fields are validated: the others are defaults the update leaves alone.
      const parsed = portFields.shape[field].safeParse(request.port[field]);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid', path: ['port', field] });
        return z.NEVER;
      }
      const value = parsed.data;
      Object.assign(changes, { [field]: OPTIONAL_TEXT.has(field) && value === '' ? null : value });
    }
    return { machine: request.machine, mac: request.mac, changes };
  });

function portToWire(port: Port): NonNullable<PortInfo__Output['port']> {
  return {
    mac: port.mac,
    isSmartNic: port.isSmartNic,
    smartNicAgentId: port.smartNicAgentId ?? '',
    smartNicPortId: port.smartNicPortId ?? '',
    sshPublicKey: port.sshPublicKey ?? '',
    ovsdbCaCert: port.ovsdbCaCert ?? '',
  };
}

export function portInfo(machine: Machine, port: Port, resolveView: PortViewResolver): PortInfo__Output {
  const view = port.isSmartNic ? resolveView(machine, port) : { smartNicMode: '', mapsTo: '' };
  return { machineId: machine.id, port: portToWire(port), smartNicMode: view.smartNicMode, mapsTo: view.mapsTo };
}

export function portService(ctx: ApiContext, deps: PortServiceDeps): PortServiceHandlers {
  const { editor } = deps;
  const resolveView = deps.resolveView ?? unknownPortView;
  const info = ({ machine, port: p }: { machine: Machine; port: Port }): PortInfo__Output => portInfo(machine, p, resolveView);
  return {
    CreatePort: unary(ctx, 'CreatePort', createPortSchema, async (principal, request) =>
      info(await editor.create(principal, request.machine, request.port)),
    ),
    ListPorts: unary(ctx, 'ListPorts', listPortsSchema, (principal, request) => {
      const { machine, ports } = editor.list(principal, request.machine);
      return { ports: ports.map((p) => portInfo(machine, p, resolveView)) };
    }),
    GetPort: unary(ctx, 'GetPort', portRefSchema, (principal, request) => info(editor.get(principal, request.machine, request.mac))),
    UpdatePort: unary(ctx, 'UpdatePort', updatePortSchema, async (principal, request) =>
      info(await editor.update(principal, request.machine, request.mac, request.changes)),
    ),
    DeletePort: unary(ctx, 'DeletePort', portRefSchema, async (principal, request) => {
      await editor.delete(principal, request.machine, request.mac);
      return {};
    }),
  };
}
