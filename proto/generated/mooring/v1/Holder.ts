// Original file: mooring/v1/machines.proto


/**
 * Who a machine is reserved for: one user or one group. Neither set means unreserved.
 */
export interface Holder {
  'user'?: (string);
  'group'?: (string);
  'kind'?: "user"|"group";
}

/**
 * Who a machine is reserved for: one user or one group. Neither set means unreserved.
 */
export interface Holder__Output {
  'user'?: (string);
  'group'?: (string);
  'kind'?: "user"|"group";
}
