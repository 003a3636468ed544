// Mooring's id of a machine port: a UUID derived from the machine's id and the port's MAC
// (RFC 9562 §5.5, version 5: SHA-1 of a namespace and a name). It is the OVS iface-id of a
// smartNIC port deployed without a tenant network, so it must be unique across the fleet, which
// the representor name ("pf0vf0" on every smartNIC) is not. Derived rather than stored: the same
// port has the same id on every coordinator start, and existing records need no migration.
import { createHash } from 'node:crypto';

/** The namespace of machine port ids (a fixed random UUID). */
const PORT_NAMESPACE = Buffer.from('6d2f1c0e8a4b4f6e9c3d5b7a1e0f2c48', 'hex');

export function portUuid(machineId: string, mac: string): string {
  const digest = createHash('sha1').update(PORT_NAMESPACE).update(`${machineId}/${mac.toLowerCase()}`).digest();
  const b = digest.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
