// Original file: mooring/v1/ports.proto

import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';

export interface CreatePortRequest {
  'machine'?: (string);
  'port'?: (_mooring_v1_Port | null);
}

export interface CreatePortRequest__Output {
  'machine': (string);
  'port': (_mooring_v1_Port__Output | null);
}
