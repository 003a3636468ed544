// The console's proto3 JSON codec (coordinator/src/console/proto-json.ts), pure: JSON in either
// naming, checked against the message type and refused naming the field; binary out as proto3 JSON
// with snake_case names, enum names, 64-bit integers as strings and every field present.
import { describe, expect, it } from 'vitest';
import { ProtoJsonError } from '../../coordinator/src/console/errors.js';
import { ProtoJson } from '../../coordinator/src/console/proto-json.js';

const json = ProtoJson.load();
const roundTrip = (type: string, value: unknown): Record<string, unknown> => json.fromBinary(type, json.toBinary(type, value));
const refusal = (type: string, value: unknown): string => {
  try {
    json.toBinary(type, value);
  } catch (error) {
    if (error instanceof ProtoJsonError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('ProtoJson', () => {
  it('reads snake_case and lowerCamelCase alike, enums by name or number, 64-bit integers as numbers or strings', () => {
    const snake = roundTrip('mooring.v1.ListMachinesRequest', { status: 'MACHINE_STATUS_READY', page_size: 5, page_token: 'x' });
    const camel = roundTrip('mooring.v1.ListMachinesRequest', { status: 'MACHINE_STATUS_READY', pageSize: '5', pageToken: 'x' });
    expect(snake).toEqual(camel);
    expect(snake).toEqual({
      status: 'MACHINE_STATUS_READY',
      pool: '',
      owner: '',
      page_size: 5,
      page_token: 'x',
      zone: '',
      tags: [],
      reserved_for: '',
      with_status_counts: false,
    });
    const event = roundTrip('mooring.v1.Event', { seq: '9007199254740991', machine_id: 'm-1', details: { step: 'power-on' } });
    expect(event).toMatchObject({ seq: '9007199254740991', machine_id: 'm-1', details: { step: 'power-on' }, why: '' });
    expect(roundTrip('mooring.v1.Event', { seq: 42 })['seq']).toBe('42');
    const user = roundTrip('mooring.v1.User', { name: 'a', role: 2, groups: ['g'] });
    expect(user).toEqual({ name: 'a', role: 'ROLE_MEMBER', groups: ['g'], created_at: '' });
  });

  it('writes a oneof member only when set, and null reads as the default', () => {
    expect(roundTrip('mooring.v1.ReserveMachineRequest', { machine: 'm', holder: { group: 'ops' } })).toEqual({
      machine: 'm',
      holder: { group: 'ops' },
    });
    expect(roundTrip('mooring.v1.ListMachinesRequest', { pool: null })['pool']).toBe('');
  });

  it('refuses what protobufjs would silently drop or coerce, naming the field', () => {
    expect(refusal('mooring.v1.ListMachinesRequest', { page_sise: 1 })).toBe(
      'page_sise: unknown field (mooring.v1.ListMachinesRequest has no field "page_sise")',
    );
    expect(refusal('mooring.v1.ListMachinesRequest', { status: 'READY' })).toMatch(
      /^status: string "READY" is not a mooring\.v1\.MachineStatus \(expected one of MACHINE_STATUS_UNSPECIFIED, /,
    );
    expect(refusal('mooring.v1.ListMachinesRequest', { page_size: -1 })).toBe(
      'page_size: expected an integer in 0..4294967295 (uint32), got number -1',
    );
    expect(refusal('mooring.v1.ListMachinesRequest', { page_size: 1.5 })).toBe('page_size: expected an integer (uint32), got number 1.5');
    expect(refusal('mooring.v1.ListMachinesRequest', { pool: 7 })).toBe('pool: expected a string, got number 7');
    expect(refusal('mooring.v1.ListMachinesRequest', { page_size: 1, pageSize: 2 })).toBe('pageSize: field page_size is given twice');
    expect(refusal('mooring.v1.Event', { seq: '-1' })).toMatch(/^seq: expected an integer \(uint64/);
    expect(refusal('mooring.v1.Event', { seq: '18446744073709551616' })).toMatch(/^seq: expected an integer in 0\.\.18446744073709551615/);
    expect(refusal('mooring.v1.Event', { details: ['a'] })).toBe('details: expected an object (a map), got an array');
    expect(refusal('mooring.v1.User', { groups: 'g' })).toBe('groups: expected an array, got string "g"');
    expect(refusal('mooring.v1.ReserveMachineRequest', { holder: { user: 'a', team: 'b' } })).toBe(
      'holder.team: unknown field (mooring.v1.Holder has no field "team")',
    );
    expect(refusal('mooring.v1.ListMachinesRequest', [])).toBe(
      'ListMachinesRequest: expected an object (mooring.v1.ListMachinesRequest), got an array',
    );
  });

  it("lists a service's methods with their types, marking the streaming ones", () => {
    const methods = json.methods('mooring.v1.EventService');
    expect(methods).toEqual([
      { name: 'ListEvents', requestType: 'mooring.v1.ListEventsRequest', responseType: 'mooring.v1.ListEventsResponse', streaming: false },
      { name: 'WatchEvents', requestType: 'mooring.v1.WatchEventsRequest', responseType: 'mooring.v1.Event', streaming: true },
    ]);
    expect(json.methods('mooring.v1.NoSuchService')).toEqual([]);
  });
});
