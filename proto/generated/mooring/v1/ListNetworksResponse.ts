// Original file: mooring/v1/networks.proto

import type { Network as _mooring_v1_Network, Network__Output as _mooring_v1_Network__Output } from '../../mooring/v1/Network.js';

export interface ListNetworksResponse {
  'networks'?: (_mooring_v1_Network)[];
}

export interface ListNetworksResponse__Output {
  'networks': (_mooring_v1_Network__Output)[];
}
