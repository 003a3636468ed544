// What a deploy keeps that must not be read from the store, sealed at rest with the coordinator's
// secrets key, as BMC passwords are (store/secrets-key.ts):
// - the user-data given at deploy: it often carries secrets (passwords, keys and tokens for the
//   tenant's services), and both the deploy's sequence record and its token's grant keep it until
//   the deploy ends. Opened only where it is used: the deploy's attach step (which adds the
//   phone_home) and the boot service, for the holder of the machine's token.
// - the first boot's token, chosen at deploy (its URL goes into the seed) and minted at step
//   set-boot-disk: anyone who read it from the sequence record (an etcd backup, a copied data dir)
//   could post the phone-home. Opened at attach (the URL) and at set-boot-disk (the mint).
// Each is sealed under the machine's id and its purpose: a sealed value copied into another
// machine's record, or into the other field, fails to open.
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

/** How a sequence record keeps the first boot's token: sealed, or (written before sealing, never now) in plain text. */
export interface PhoneHomeTokenField {
  readonly sealedPhoneHomeToken?: Uint8Array;
  /** Plain text: only in records an older coordinator wrote. */
  readonly phoneHomeToken?: string;
}

function tokenRowKey(machineId: string): string {
  return `phone-home-token/${machineId}`;
}

export function sealPhoneHomeToken(cipher: SecretCipher, machineId: string, token: string): Uint8Array {
  return cipher.seal(token, tokenRowKey(machineId));
}

/** The first boot's token `record` keeps; throws when it keeps none or it does not open under this key. */
export function openPhoneHomeToken(cipher: SecretCipher, machineId: string, record: PhoneHomeTokenField): string {
  if (record.sealedPhoneHomeToken !== undefined) return cipher.open(record.sealedPhoneHomeToken, tokenRowKey(machineId));
  if (record.phoneHomeToken === undefined) throw new Error(`the deploy of machine ${machineId} keeps no first-boot token`);
  return record.phoneHomeToken;
}
