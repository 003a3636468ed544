// The user-data given at deploy, sealed at rest with the coordinator's secrets key, as BMC passwords
// are (store/secrets-key.ts): user-data often carries secrets (passwords, keys and tokens for the
// tenant's services), and both the deploy's sequence record and its token's grant keep it until the
// deploy ends. Sealed under the machine's id: a sealed value copied into another machine's record
// fails to open. It is opened only where it is used: the deploy's attach step (which adds the
// phone_home) and the boot service, for the holder of the machine's token.
import type { SecretCipher } from '../store/secrets-key.js';

/** How a record keeps user-data: sealed, or (written before sealing, never now) in plain text. */
export interface UserDataField {
  readonly sealedUserData?: Uint8Array;
  /** Plain text: only in records an older coordinator wrote. */
  readonly userData?: string;
}

function rowKey(machineId: string): string {
  return `user-data/${machineId}`;
}

export function sealUserData(cipher: SecretCipher, machineId: string, userData: string): Uint8Array {
  return cipher.seal(userData, rowKey(machineId));
}

/** The user-data `record` of machine `machineId` keeps ('' when none); throws when it does not open under this key. */
export function openUserData(cipher: SecretCipher, machineId: string, record: UserDataField): string {
  if (record.sealedUserData !== undefined) return cipher.open(record.sealedUserData, rowKey(machineId));
  return record.userData ?? '';
}
