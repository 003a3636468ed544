// Original file: mooring/v1/events.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'seq'?: (number | string | Long);
  'time'?: (string);
  'actor'?: (string);
  /**
   * e.g. machine.enlisted, machine.transition, machine.reserved, pool.created, user.created.
   */
  'kind'?: (string);
  'machineId'?: (string);
  'fromStatus'?: (string);
  'toStatus'?: (string);
  'why'?: (string);
  'details'?: ({[key: string]: string});
}

export interface Event__Output {
  'seq': (number);
  'time': (string);
  'actor': (string);
  /**
   * e.g. machine.enlisted, machine.transition, machine.reserved, pool.created, user.created.
   */
  'kind': (string);
  'machineId': (string);
  'fromStatus': (string);
  'toStatus': (string);
  'why': (string);
  'details': ({[key: string]: string});
}
