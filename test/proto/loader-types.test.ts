// The generated types (proto/generated/) against the loader (proto/loader.ts): the runtime cases
// decode real messages with the loaded definitions and compare them with values tsc checks against
// the generated X__Output types, so generator flags that drift from LOADER_OPTIONS show up here.
// The `@ts-expect-error` lines are compiled by the build (tsc covers test/): should handlers or
// the client stop being checked against the .proto, those lines stop being errors and the build fails.
import { expect, it } from 'vitest';
import { z } from 'zod';
import type {
  Event__Output,
  Holder__Output,
  ListEventsResponse__Output,
  Machine__Output,
  MachineServiceHandlers,
  PoolServiceHandlers,
} from '../../proto/generated/index.js';
import { MachineStatus } from '../../proto/generated/index.js';
import { loadMooringProto } from '../../proto/loader.js';
import { unary, type ApiContext } from '../../coordinator/src/api/call-handler.js';
import { machineRefSchema, poolRefSchema } from '../../coordinator/src/api/request-schemas.js';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';

const proto = loadMooringProto();

it('decodes an empty Machine into exactly the fields and defaults of Machine__Output', () => {
  const decoded = proto.service('MachineService').GetMachine.responseDeserialize(Buffer.alloc(0));
  const expected: Machine__Output = {
    id: '',
    hostname: '',
    arch: '',
    cores: 0,
    memoryMib: 0,
    tags: [],
    pool: '',
    zone: '',
    status: 'MACHINE_STATUS_UNSPECIFIED',
    statusReason: '',
    owner: '',
    reservedFor: null,
    power: null,
    powerState: 'POWER_STATE_UNSPECIFIED',
    ports: [],
    annotations: {},
    createdAt: '',
    updatedAt: '',
    hardware: null,
    enlistedCores: 0,
    enlistedMemoryMib: 0,
  };
  expect(decoded).toStrictEqual(expected);
});

it('decodes 64-bit integers as numbers, enums as names and a oneof with its member named', () => {
  const events = proto.service('EventService').ListEvents;
  const event: Event__Output = {
    seq: 2 ** 40,
    time: '2026-01-01T00:00:00.000Z',
    actor: 'admin',
    kind: 'machine.status',
    machineId: 'm-1',
    fromStatus: 'NEW',
    toStatus: 'READY',
    why: 'test',
    details: { a: 'b' },
  };
  const sent: ListEventsResponse__Output = { events: [event], lastSeq: 2 ** 40 + 1, nextSinceSeq: 2 ** 40 };
  const decoded = events.responseDeserialize(events.responseSerialize(sent));
  expect(decoded).toStrictEqual(sent);
  expect(typeof decoded.lastSeq).toBe('number');

  const machines = proto.service('MachineService').GetMachine;
  const holder: Holder__Output = { user: 'alice', kind: 'user' };
  const machine = machines.responseDeserialize(
    machines.responseSerialize({ status: MachineStatus.MACHINE_STATUS_READY, reservedFor: holder }),
  );
  expect(machine.status).toBe('MACHINE_STATUS_READY');
  expect(machine.reservedFor).toStrictEqual(holder);
});

// Never called: compiled only, for the @ts-expect-error lines.
function _machineHandlersAreChecked(
  ctx: ApiContext,
): Pick<MachineServiceHandlers, 'GetMachine' | 'MarkBroken' | 'CommissionMachine' | 'ListMachines' | 'DeleteMachine'> {
  return {
    // A schema reading a field of the wrong type.
    // @ts-expect-error machine is a string in MachineRef
    GetMachine: unary(ctx, 'GetMachine', z.object({ machine: z.number() }), () => ({})),
    // @ts-expect-error the schema reads `reasn`, which MachineReason lacks
    MarkBroken: unary(ctx, 'MarkBroken', z.object({ machine: z.string(), reasn: z.string() }), () => ({})),
    // @ts-expect-error the schema of another message (PoolRef) for a MachineRef request
    CommissionMachine: unary(ctx, 'CommissionMachine', poolRefSchema, () => ({})),
    // @ts-expect-error the response's next_page_token is a string
    ListMachines: unary(ctx, 'ListMachines', z.object({}), () => ({ machines: [], nextPageToken: 5 })),
    // The right one compiles.
    DeleteMachine: unary(ctx, 'DeleteMachine', machineRefSchema, () => ({})),
  };
}

// Never called: compiled only.
function _poolHandlersAreChecked(ctx: ApiContext): Pick<PoolServiceHandlers, 'CreatePool'> {
  return {
    // @ts-expect-error a Pool's description is a string
    CreatePool: unary(ctx, 'CreatePool', poolRefSchema, () => ({ name: 'p', description: 5 })),
  };
}

// Never called: compiled only.
async function _clientIsChecked(client: CoordinatorClient): Promise<void> {
  // @ts-expect-error MachineRef has no field `id`
  await client.call('MachineService', 'GetMachine', { id: 'm-1' });
  // @ts-expect-error no such method
  await client.call('MachineService', 'GetMachines', {});
  // @ts-expect-error the agent link is not a client service
  await client.call('AgentService', 'Enroll', {});
  const machine = await client.call('MachineService', 'GetMachine', { machine: 'm-1' });
  // @ts-expect-error the response is a Machine__Output: memoryMib is a number
  const memory: string = machine.memoryMib;
  void memory;
}
