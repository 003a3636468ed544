// Builds a FRU inventory image as a real BMC stores it, for ipmi_sim's `mc_add_fru_data` (test
// data, not a simulation of behaviour: ipmi_sim serves these bytes through the real Read FRU Data
// command and ipmitool decodes them). Layout per the "IPMI Platform Management FRU Information
// Storage Definition" v1.0 rev 1.3:
// - Common Header (8 bytes): format version 1, the offsets of the internal use, chassis, board,
//   product and multi-record areas in multiples of 8 bytes (0: absent), a pad byte, a zero checksum;
// - each info area: version 1, its length in multiples of 8, fixed fields, then type/length-prefixed
//   fields, 0xC1 ("no more fields"), zero padding, and a zero checksum as its last byte.
// Type/length byte: bits 7:6 = 11b (8-bit ASCII + Latin-1 with the English language code), bits
// 5:0 the length; 0xC0 is an empty field.

export interface FruImage {
  readonly chassis?: { readonly type?: number; readonly partNumber?: string; readonly serial?: string };
  readonly board?: {
    readonly manufacturer?: string;
    readonly product?: string;
    readonly serial?: string;
    readonly partNumber?: string;
    /** Minutes since 1996-01-01 00:00 UTC. */
    readonly mfgMinutes?: number;
  };
  readonly product?: {
    readonly manufacturer?: string;
    readonly name?: string;
    readonly partNumber?: string;
    readonly version?: string;
    readonly serial?: string;
    readonly assetTag?: string;
  };
}

const END_OF_FIELDS = 0xc1;
const ENGLISH = 0x00;
/** SMBIOS chassis type "Rack Mount Chassis" (the FRU spec uses the SMBIOS table). */
const RACK_MOUNT = 0x17;

function field(text: string | undefined): number[] {
  const bytes = [...Buffer.from(text ?? '', 'latin1')];
  if (bytes.length > 63) throw new RangeError(`FRU field "${text}" is longer than 63 bytes`);
  return [0xc0 | bytes.length, ...bytes];
}

function zeroChecksum(bytes: readonly number[]): number {
  const sum = bytes.reduce((total, byte) => total + byte, 0);
  return (0x100 - (sum & 0xff)) & 0xff;
}

/** One info area: header bytes, fields, end marker, padding to a multiple of 8, checksum. */
function area(fixed: readonly number[], fields: readonly number[][]): number[] {
  const body = [0x01, 0x00, ...fixed, ...fields.flat(), END_OF_FIELDS];
  const length = Math.ceil((body.length + 1) / 8) * 8;
  while (body.length < length - 1) body.push(0x00);
  body[1] = length / 8;
  return [...body, zeroChecksum(body)];
}

export function encodeFru(image: FruImage): Buffer {
  // slot: the area's offset byte in the common header (2 chassis, 3 board, 4 product).
  const areas: { slot: number; bytes: number[] }[] = [];
  if (image.chassis) {
    const c = image.chassis;
    areas.push({ slot: 2, bytes: area([c.type ?? RACK_MOUNT], [field(c.partNumber), field(c.serial)]) });
  }
  if (image.board) {
    const b = image.board;
    const minutes = b.mfgMinutes ?? 0;
    const date = [minutes & 0xff, (minutes >> 8) & 0xff, (minutes >> 16) & 0xff];
    areas.push({
      slot: 3,
      bytes: area([ENGLISH, ...date], [field(b.manufacturer), field(b.product), field(b.serial), field(b.partNumber), field('')]),
    });
  }
  if (image.product) {
    const p = image.product;
    areas.push({
      slot: 4,
      bytes: area(
        [ENGLISH],
        [field(p.manufacturer), field(p.name), field(p.partNumber), field(p.version), field(p.serial), field(p.assetTag), field('')],
      ),
    });
  }
  const header = [0x01, 0, 0, 0, 0, 0, 0];
  let offset = 8;
  for (const { slot, bytes } of areas) {
    header[slot] = offset / 8;
    offset += bytes.length;
  }
  return Buffer.from([...header, zeroChecksum(header), ...areas.flatMap((a) => a.bytes)]);
}
