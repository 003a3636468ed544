// Original file: mooring/v1/lxd.proto

import type { LxdResources as _mooring_v1_LxdResources, LxdResources__Output as _mooring_v1_LxdResources__Output } from '../../mooring/v1/LxdResources.js';
import type { LxdInstance as _mooring_v1_LxdInstance, LxdInstance__Output as _mooring_v1_LxdInstance__Output } from '../../mooring/v1/LxdInstance.js';

export interface LxdReport {
  /**
   * False until the agent reaches LXD (error says why).
   */
  'connected'?: (boolean);
  /**
   * The assigned project; empty when none is assigned yet.
   */
  'project'?: (string);
  'serverVersion'?: (string);
  /**
   * unix:/path/unix.socket or https://host:port.
   */
  'endpoint'?: (string);
  'resources'?: (_mooring_v1_LxdResources | null);
  /**
   * Instances in the assigned project only.
   */
  'instances'?: (_mooring_v1_LxdInstance)[];
  'error'?: (string);
  'refreshedAt'?: (string);
  /**
   * Instance types this LXD can run (container, virtual-machine).
   */
  'instanceTypes'?: (string)[];
  /**
   * When `resources` were read from LXD's hardware scan (/1.0/resources), RFC 3339. The scan is
   * LXD's slowest answer: an lxd_refresh answers with the last one and re-reads it beside, and a
   * report with the new scan follows; the agent's start and a reopened event stream wait for it.
   * Pools, usage and instances are as of refreshed_at. Empty from agents before this field.
   */
  'resourcesReadAt'?: (string);
}

export interface LxdReport__Output {
  /**
   * False until the agent reaches LXD (error says why).
   */
  'connected': (boolean);
  /**
   * The assigned project; empty when none is assigned yet.
   */
  'project': (string);
  'serverVersion': (string);
  /**
   * unix:/path/unix.socket or https://host:port.
   */
  'endpoint': (string);
  'resources': (_mooring_v1_LxdResources__Output | null);
  /**
   * Instances in the assigned project only.
   */
  'instances': (_mooring_v1_LxdInstance__Output)[];
  'error': (string);
  'refreshedAt': (string);
  /**
   * Instance types this LXD can run (container, virtual-machine).
   */
  'instanceTypes': (string)[];
  /**
   * When `resources` were read from LXD's hardware scan (/1.0/resources), RFC 3339. The scan is
   * LXD's slowest answer: an lxd_refresh answers with the last one and re-reads it beside, and a
   * report with the new scan follows; the agent's start and a reopened event stream wait for it.
   * Pools, usage and instances are as of refreshed_at. Empty from agents before this field.
   */
  'resourcesReadAt': (string);
}
