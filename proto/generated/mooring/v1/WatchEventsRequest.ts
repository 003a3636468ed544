// Original file: mooring/v1/events.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchEventsRequest {
  /**
   * Replay events with seq > since_seq first, then stream new ones. 0: from the beginning.
   */
  'sinceSeq'?: (number | string | Long);
  /**
   * Only events of this machine (id or hostname). Empty: all visible.
   */
  'machine'?: (string);
  /**
   * Stop after the replay instead of following new events.
   */
  'noFollow'?: (boolean);
}

export interface WatchEventsRequest__Output {
  /**
   * Replay events with seq > since_seq first, then stream new ones. 0: from the beginning.
   */
  'sinceSeq': (number);
  /**
   * Only events of this machine (id or hostname). Empty: all visible.
   */
  'machine': (string);
  /**
   * Stop after the replay instead of following new events.
   */
  'noFollow': (boolean);
}
