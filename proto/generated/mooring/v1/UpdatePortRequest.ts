// Original file: mooring/v1/ports.proto

import type { Port as _mooring_v1_Port, Port__Output as _mooring_v1_Port__Output } from '../../mooring/v1/Port.js';

/**
 * Fields to change; only those named in update_mask are written (e.g. "smart_nic_port_id").
 * update_mask holds Port field names (mac, is_smart_nic, smart_nic_agent_id, smart_nic_port_id,
 * ssh_public_key, ovsdb_ca_cert) and must name at least one; an empty string under the mask clears
 * an optional field. The port that results must satisfy the same rules as a new one.
 */
export interface UpdatePortRequest {
  'machine'?: (string);
  'mac'?: (string);
  'port'?: (_mooring_v1_Port | null);
  'updateMask'?: (string)[];
}

/**
 * Fields to change; only those named in update_mask are written (e.g. "smart_nic_port_id").
 * update_mask holds Port field names (mac, is_smart_nic, smart_nic_agent_id, smart_nic_port_id,
 * ssh_public_key, ovsdb_ca_cert) and must name at least one; an empty string under the mask clears
 * an optional field. The port that results must satisfy the same rules as a new one.
 */
export interface UpdatePortRequest__Output {
  'machine': (string);
  'mac': (string);
  'port': (_mooring_v1_Port__Output | null);
  'updateMask': (string)[];
}
