import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { LxdAssignProject as _mooring_v1_LxdAssignProject, LxdAssignProject__Output as _mooring_v1_LxdAssignProject__Output } from './mooring/v1/LxdAssignProject.js';
import type { LxdCompose as _mooring_v1_LxdCompose, LxdCompose__Output as _mooring_v1_LxdCompose__Output } from './mooring/v1/LxdCompose.js';
import type { LxdDelete as _mooring_v1_LxdDelete, LxdDelete__Output as _mooring_v1_LxdDelete__Output } from './mooring/v1/LxdDelete.js';
import type { LxdInstance as _mooring_v1_LxdInstance, LxdInstance__Output as _mooring_v1_LxdInstance__Output } from './mooring/v1/LxdInstance.js';
import type { LxdNic as _mooring_v1_LxdNic, LxdNic__Output as _mooring_v1_LxdNic__Output } from './mooring/v1/LxdNic.js';
import type { LxdNicRequest as _mooring_v1_LxdNicRequest, LxdNicRequest__Output as _mooring_v1_LxdNicRequest__Output } from './mooring/v1/LxdNicRequest.js';
import type { LxdNumaNode as _mooring_v1_LxdNumaNode, LxdNumaNode__Output as _mooring_v1_LxdNumaNode__Output } from './mooring/v1/LxdNumaNode.js';
import type { LxdPower as _mooring_v1_LxdPower, LxdPower__Output as _mooring_v1_LxdPower__Output } from './mooring/v1/LxdPower.js';
import type { LxdRefresh as _mooring_v1_LxdRefresh, LxdRefresh__Output as _mooring_v1_LxdRefresh__Output } from './mooring/v1/LxdRefresh.js';
import type { LxdRelease as _mooring_v1_LxdRelease, LxdRelease__Output as _mooring_v1_LxdRelease__Output } from './mooring/v1/LxdRelease.js';
import type { LxdReport as _mooring_v1_LxdReport, LxdReport__Output as _mooring_v1_LxdReport__Output } from './mooring/v1/LxdReport.js';
import type { LxdResources as _mooring_v1_LxdResources, LxdResources__Output as _mooring_v1_LxdResources__Output } from './mooring/v1/LxdResources.js';
import type { LxdResult as _mooring_v1_LxdResult, LxdResult__Output as _mooring_v1_LxdResult__Output } from './mooring/v1/LxdResult.js';
import type { LxdStoragePool as _mooring_v1_LxdStoragePool, LxdStoragePool__Output as _mooring_v1_LxdStoragePool__Output } from './mooring/v1/LxdStoragePool.js';
import type { LxdUsage as _mooring_v1_LxdUsage, LxdUsage__Output as _mooring_v1_LxdUsage__Output } from './mooring/v1/LxdUsage.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      LxdAssignProject: MessageTypeDefinition<_mooring_v1_LxdAssignProject, _mooring_v1_LxdAssignProject__Output>
      LxdCompose: MessageTypeDefinition<_mooring_v1_LxdCompose, _mooring_v1_LxdCompose__Output>
      LxdDelete: MessageTypeDefinition<_mooring_v1_LxdDelete, _mooring_v1_LxdDelete__Output>
      LxdInstance: MessageTypeDefinition<_mooring_v1_LxdInstance, _mooring_v1_LxdInstance__Output>
      LxdNic: MessageTypeDefinition<_mooring_v1_LxdNic, _mooring_v1_LxdNic__Output>
      LxdNicRequest: MessageTypeDefinition<_mooring_v1_LxdNicRequest, _mooring_v1_LxdNicRequest__Output>
      LxdNumaNode: MessageTypeDefinition<_mooring_v1_LxdNumaNode, _mooring_v1_LxdNumaNode__Output>
      LxdOtherUsage: EnumTypeDefinition
      LxdPower: MessageTypeDefinition<_mooring_v1_LxdPower, _mooring_v1_LxdPower__Output>
      LxdRefresh: MessageTypeDefinition<_mooring_v1_LxdRefresh, _mooring_v1_LxdRefresh__Output>
      LxdRelease: MessageTypeDefinition<_mooring_v1_LxdRelease, _mooring_v1_LxdRelease__Output>
      LxdReport: MessageTypeDefinition<_mooring_v1_LxdReport, _mooring_v1_LxdReport__Output>
      LxdResources: MessageTypeDefinition<_mooring_v1_LxdResources, _mooring_v1_LxdResources__Output>
      LxdResult: MessageTypeDefinition<_mooring_v1_LxdResult, _mooring_v1_LxdResult__Output>
      LxdStoragePool: MessageTypeDefinition<_mooring_v1_LxdStoragePool, _mooring_v1_LxdStoragePool__Output>
      LxdUsage: MessageTypeDefinition<_mooring_v1_LxdUsage, _mooring_v1_LxdUsage__Output>
    }
  }
}

