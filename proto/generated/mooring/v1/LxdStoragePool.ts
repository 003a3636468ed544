// Original file: mooring/v1/lxd.proto

import type { Long } from '@grpc/proto-loader';

export interface LxdStoragePool {
  'name'?: (string);
  'driver'?: (string);
  'usedBytes'?: (number | string | Long);
  'totalBytes'?: (number | string | Long);
}

export interface LxdStoragePool__Output {
  'name': (string);
  'driver': (string);
  'usedBytes': (number);
  'totalBytes': (number);
}
