// Who runs what: the claim boards of sequences and singleton duties, the owners of in-flight
// sequences and the duty election. On etcd the claims live under the coordinator's lease; on
// LMDB this coordinator runs everything.
import type { Logger } from '../logger.js';
import { EtcdStore } from '../store/etcd-store.js';
import type { Store } from '../store/store.js';
import { EtcdClaimBoard, LocalClaimBoard, type ClaimBoard } from './claim-board.js';
import type { CoordinatorLease } from './coordinator-lease.js';
import { DutyElection } from './duty-election.js';
import { SequenceOwners } from './sequence-owners.js';

export interface OwnershipParts {
  /** Followed from start(), closed last. */
  readonly claimBoards: readonly ClaimBoard[];
  readonly sequenceOwners: SequenceOwners;
  readonly duties: DutyElection;
}

export function ownershipParts(store: Store, lease: CoordinatorLease, logger: Logger): OwnershipParts {
  const claimBoard = (kind: string): ClaimBoard =>
    store instanceof EtcdStore ? new EtcdClaimBoard(store, lease, kind, logger) : new LocalClaimBoard(lease.coordinatorId);
  const sequenceClaims = claimBoard('seq');
  const dutyClaims = claimBoard('duty');
  const recampaignMs = Number.isFinite(lease.ttlMs) ? lease.ttlMs : 60_000;
  return {
    claimBoards: [sequenceClaims, dutyClaims],
    sequenceOwners: new SequenceOwners({ board: sequenceClaims, lease, logger }),
    duties: new DutyElection({ board: dutyClaims, lease, logger, recampaignMs }),
  };
}
