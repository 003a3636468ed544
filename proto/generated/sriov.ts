import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentSriovGetRequest as _mooring_v1_AgentSriovGetRequest, AgentSriovGetRequest__Output as _mooring_v1_AgentSriovGetRequest__Output } from './mooring/v1/AgentSriovGetRequest.js';
import type { AgentSriovResponse as _mooring_v1_AgentSriovResponse, AgentSriovResponse__Output as _mooring_v1_AgentSriovResponse__Output } from './mooring/v1/AgentSriovResponse.js';
import type { AgentSriovSetRequest as _mooring_v1_AgentSriovSetRequest, AgentSriovSetRequest__Output as _mooring_v1_AgentSriovSetRequest__Output } from './mooring/v1/AgentSriovSetRequest.js';
import type { SmartNicModeReport as _mooring_v1_SmartNicModeReport, SmartNicModeReport__Output as _mooring_v1_SmartNicModeReport__Output } from './mooring/v1/SmartNicModeReport.js';
import type { SriovConfigure as _mooring_v1_SriovConfigure, SriovConfigure__Output as _mooring_v1_SriovConfigure__Output } from './mooring/v1/SriovConfigure.js';
import type { SriovDesired as _mooring_v1_SriovDesired, SriovDesired__Output as _mooring_v1_SriovDesired__Output } from './mooring/v1/SriovDesired.js';
import type { SriovPfConfig as _mooring_v1_SriovPfConfig, SriovPfConfig__Output as _mooring_v1_SriovPfConfig__Output } from './mooring/v1/SriovPfConfig.js';
import type { SriovPfReport as _mooring_v1_SriovPfReport, SriovPfReport__Output as _mooring_v1_SriovPfReport__Output } from './mooring/v1/SriovPfReport.js';
import type { SriovRefresh as _mooring_v1_SriovRefresh, SriovRefresh__Output as _mooring_v1_SriovRefresh__Output } from './mooring/v1/SriovRefresh.js';
import type { SriovReport as _mooring_v1_SriovReport, SriovReport__Output as _mooring_v1_SriovReport__Output } from './mooring/v1/SriovReport.js';
import type { SriovRepresentorReport as _mooring_v1_SriovRepresentorReport, SriovRepresentorReport__Output as _mooring_v1_SriovRepresentorReport__Output } from './mooring/v1/SriovRepresentorReport.js';
import type { SriovResult as _mooring_v1_SriovResult, SriovResult__Output as _mooring_v1_SriovResult__Output } from './mooring/v1/SriovResult.js';
import type { SriovVfConfig as _mooring_v1_SriovVfConfig, SriovVfConfig__Output as _mooring_v1_SriovVfConfig__Output } from './mooring/v1/SriovVfConfig.js';
import type { SriovVfReport as _mooring_v1_SriovVfReport, SriovVfReport__Output as _mooring_v1_SriovVfReport__Output } from './mooring/v1/SriovVfReport.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mooring: {
    v1: {
      AgentSriovGetRequest: MessageTypeDefinition<_mooring_v1_AgentSriovGetRequest, _mooring_v1_AgentSriovGetRequest__Output>
      AgentSriovResponse: MessageTypeDefinition<_mooring_v1_AgentSriovResponse, _mooring_v1_AgentSriovResponse__Output>
      AgentSriovSetRequest: MessageTypeDefinition<_mooring_v1_AgentSriovSetRequest, _mooring_v1_AgentSriovSetRequest__Output>
      SmartNicModeReport: MessageTypeDefinition<_mooring_v1_SmartNicModeReport, _mooring_v1_SmartNicModeReport__Output>
      SriovConfigure: MessageTypeDefinition<_mooring_v1_SriovConfigure, _mooring_v1_SriovConfigure__Output>
      SriovDesired: MessageTypeDefinition<_mooring_v1_SriovDesired, _mooring_v1_SriovDesired__Output>
      SriovPfConfig: MessageTypeDefinition<_mooring_v1_SriovPfConfig, _mooring_v1_SriovPfConfig__Output>
      SriovPfReport: MessageTypeDefinition<_mooring_v1_SriovPfReport, _mooring_v1_SriovPfReport__Output>
      SriovRefresh: MessageTypeDefinition<_mooring_v1_SriovRefresh, _mooring_v1_SriovRefresh__Output>
      SriovReport: MessageTypeDefinition<_mooring_v1_SriovReport, _mooring_v1_SriovReport__Output>
      SriovRepresentorReport: MessageTypeDefinition<_mooring_v1_SriovRepresentorReport, _mooring_v1_SriovRepresentorReport__Output>
      SriovResult: MessageTypeDefinition<_mooring_v1_SriovResult, _mooring_v1_SriovResult__Output>
      SriovVfConfig: MessageTypeDefinition<_mooring_v1_SriovVfConfig, _mooring_v1_SriovVfConfig__Output>
      SriovVfReport: MessageTypeDefinition<_mooring_v1_SriovVfReport, _mooring_v1_SriovVfReport__Output>
    }
  }
}

