// Original file: mooring/v1/machines.proto

import type { Machine as _mooring_v1_Machine, Machine__Output as _mooring_v1_Machine__Output } from '../../mooring/v1/Machine.js';
import type { StatusCount as _mooring_v1_StatusCount, StatusCount__Output as _mooring_v1_StatusCount__Output } from '../../mooring/v1/StatusCount.js';

export interface ListMachinesResponse {
  'machines'?: (_mooring_v1_Machine)[];
  /**
   * Empty at the end. One call reads a bounded number of machines, so a page whose filters match
   * few of them may be short, even empty, before the end: follow the token until it is empty.
   */
  'nextPageToken'?: (string);
  /**
   * With with_status_counts: per status (those with any), the machines the caller may see, whatever
   * the other filters of the request (the fleet at a glance beside a filtered page).
   */
  'statusCounts'?: (_mooring_v1_StatusCount)[];
}

export interface ListMachinesResponse__Output {
  'machines': (_mooring_v1_Machine__Output)[];
  /**
   * Empty at the end. One call reads a bounded number of machines, so a page whose filters match
   * few of them may be short, even empty, before the end: follow the token until it is empty.
   */
  'nextPageToken': (string);
  /**
   * With with_status_counts: per status (those with any), the machines the caller may see, whatever
   * the other filters of the request (the fleet at a glance beside a filtered page).
   */
  'statusCounts': (_mooring_v1_StatusCount__Output)[];
}
