// Original file: mooring/v1/agent.proto

import type { BindPort as _mooring_v1_BindPort, BindPort__Output as _mooring_v1_BindPort__Output } from '../../mooring/v1/BindPort.js';
import type { UnbindPort as _mooring_v1_UnbindPort, UnbindPort__Output as _mooring_v1_UnbindPort__Output } from '../../mooring/v1/UnbindPort.js';
import type { ReconcilePorts as _mooring_v1_ReconcilePorts, ReconcilePorts__Output as _mooring_v1_ReconcilePorts__Output } from '../../mooring/v1/ReconcilePorts.js';
import type { SriovConfigure as _mooring_v1_SriovConfigure, SriovConfigure__Output as _mooring_v1_SriovConfigure__Output } from '../../mooring/v1/SriovConfigure.js';
import type { SriovRefresh as _mooring_v1_SriovRefresh, SriovRefresh__Output as _mooring_v1_SriovRefresh__Output } from '../../mooring/v1/SriovRefresh.js';
import type { LxdAssignProject as _mooring_v1_LxdAssignProject, LxdAssignProject__Output as _mooring_v1_LxdAssignProject__Output } from '../../mooring/v1/LxdAssignProject.js';
import type { LxdRefresh as _mooring_v1_LxdRefresh, LxdRefresh__Output as _mooring_v1_LxdRefresh__Output } from '../../mooring/v1/LxdRefresh.js';
import type { LxdCompose as _mooring_v1_LxdCompose, LxdCompose__Output as _mooring_v1_LxdCompose__Output } from '../../mooring/v1/LxdCompose.js';
import type { LxdPower as _mooring_v1_LxdPower, LxdPower__Output as _mooring_v1_LxdPower__Output } from '../../mooring/v1/LxdPower.js';
import type { LxdDelete as _mooring_v1_LxdDelete, LxdDelete__Output as _mooring_v1_LxdDelete__Output } from '../../mooring/v1/LxdDelete.js';
import type { LxdRelease as _mooring_v1_LxdRelease, LxdRelease__Output as _mooring_v1_LxdRelease__Output } from '../../mooring/v1/LxdRelease.js';

export interface AgentCommand {
  /**
   * Commands are idempotent by id: an agent that has applied an id answers with the stored result.
   */
  'id'?: (string);
  'bindPort'?: (_mooring_v1_BindPort | null);
  'unbindPort'?: (_mooring_v1_UnbindPort | null);
  'reconcilePorts'?: (_mooring_v1_ReconcilePorts | null);
  /**
   * SR-IOV (sriov.proto); 7-9 reserved for more.
   */
  'sriovConfigure'?: (_mooring_v1_SriovConfigure | null);
  'sriovRefresh'?: (_mooring_v1_SriovRefresh | null);
  'lxdAssignProject'?: (_mooring_v1_LxdAssignProject | null);
  'lxdRefresh'?: (_mooring_v1_LxdRefresh | null);
  'lxdCompose'?: (_mooring_v1_LxdCompose | null);
  'lxdPower'?: (_mooring_v1_LxdPower | null);
  'lxdDelete'?: (_mooring_v1_LxdDelete | null);
  'lxdRelease'?: (_mooring_v1_LxdRelease | null);
  'kind'?: "bindPort"|"unbindPort"|"reconcilePorts"|"sriovConfigure"|"sriovRefresh"|"lxdAssignProject"|"lxdRefresh"|"lxdCompose"|"lxdPower"|"lxdDelete"|"lxdRelease";
}

export interface AgentCommand__Output {
  /**
   * Commands are idempotent by id: an agent that has applied an id answers with the stored result.
   */
  'id': (string);
  'bindPort'?: (_mooring_v1_BindPort__Output | null);
  'unbindPort'?: (_mooring_v1_UnbindPort__Output | null);
  'reconcilePorts'?: (_mooring_v1_ReconcilePorts__Output | null);
  /**
   * SR-IOV (sriov.proto); 7-9 reserved for more.
   */
  'sriovConfigure'?: (_mooring_v1_SriovConfigure__Output | null);
  'sriovRefresh'?: (_mooring_v1_SriovRefresh__Output | null);
  'lxdAssignProject'?: (_mooring_v1_LxdAssignProject__Output | null);
  'lxdRefresh'?: (_mooring_v1_LxdRefresh__Output | null);
  'lxdCompose'?: (_mooring_v1_LxdCompose__Output | null);
  'lxdPower'?: (_mooring_v1_LxdPower__Output | null);
  'lxdDelete'?: (_mooring_v1_LxdDelete__Output | null);
  'lxdRelease'?: (_mooring_v1_LxdRelease__Output | null);
  'kind'?: "bindPort"|"unbindPort"|"reconcilePorts"|"sriovConfigure"|"sriovRefresh"|"lxdAssignProject"|"lxdRefresh"|"lxdCompose"|"lxdPower"|"lxdDelete"|"lxdRelease";
}
