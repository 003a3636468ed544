// The JSON the console reads, derived from the generated proto types (proto/generated/) rather than
// written beside the .proto: proto-loader's output types have camelCase names, the console API
// answers in proto3 JSON with the .proto's snake_case names, and proto3 JSON leaves out fields at
// their default value, so every field is optional here and 64-bit integers may come as strings.
import type { AgentInfo__Output } from '../../../proto/generated/mooring/v1/AgentInfo.js';
import type { CreateEnrollmentTokenResponse__Output } from '../../../proto/generated/mooring/v1/CreateEnrollmentTokenResponse.js';
import type { CreateTokenResponse__Output } from '../../../proto/generated/mooring/v1/CreateTokenResponse.js';
import type { Event__Output } from '../../../proto/generated/mooring/v1/Event.js';
import type { Group__Output } from '../../../proto/generated/mooring/v1/Group.js';
import type { Machine__Output } from '../../../proto/generated/mooring/v1/Machine.js';
import type { Pool__Output } from '../../../proto/generated/mooring/v1/Pool.js';
import type { PortInfo__Output } from '../../../proto/generated/mooring/v1/PortInfo.js';
import type { Sequence__Output } from '../../../proto/generated/mooring/v1/Sequence.js';
import type { Token__Output } from '../../../proto/generated/mooring/v1/Token.js';
import type { User__Output } from '../../../proto/generated/mooring/v1/User.js';
import type { VmHost__Output } from '../../../proto/generated/mooring/v1/VmHost.js';

/** fooBarBaz -> foo_bar_baz, as protobuf derives the JSON name back to the field name. */
type Snake<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${Snake<Tail>}`
  : S;

/** A proto-loader output type as proto3 JSON: snake_case, every field optional, int64 maybe a string. */
export type ProtoJson<T> = T extends readonly (infer Item)[]
  ? ProtoJson<Item>[]
  : T extends number
    ? number | string
    : T extends object
      ? { [K in keyof T as K extends string ? Snake<K> : never]?: ProtoJson<T[K]> }
      : T;

export type Machine = ProtoJson<Machine__Output>;
export type AgentInfo = ProtoJson<AgentInfo__Output>;
export type MooringEvent = ProtoJson<Event__Output>;
export type VmHost = ProtoJson<VmHost__Output>;
export type User = ProtoJson<User__Output>;
export type Group = ProtoJson<Group__Output>;
export type Token = ProtoJson<Token__Output>;
export type Pool = ProtoJson<Pool__Output>;
export type PortInfo = ProtoJson<PortInfo__Output>;
export type Sequence = ProtoJson<Sequence__Output>;
export type CreateTokenResponse = ProtoJson<CreateTokenResponse__Output>;
export type EnrollmentToken = ProtoJson<CreateEnrollmentTokenResponse__Output>;
export type LxdReport = NonNullable<VmHost['report']>;
export type LxdInstance = NonNullable<LxdReport['instances']>[number];
export type Holder = NonNullable<Machine['reserved_for']>;
