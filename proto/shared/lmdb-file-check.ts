// A structural check of an LMDB data file, done with plain reads before lmdb-js maps the file.
// LMDB trusts its file: a truncated file makes the mapped reads past its end die of SIGBUS, a
// zeroed or overwritten page is followed as if it were a B-tree page (SIGSEGV, or records that
// silently vanish). Reading the file here turns every such case into an answer the caller can
// report, and a running process never maps a file this check refused.
//
// The layout is the one of the LMDB that lmdb-js builds (its mdb.c, MDB_DATA_VERSION 2):
//   page header (PAGEHDRSZ = 24): mp_pgno u64 @0, mp_txnid u64 @8, mp_pad u16 @16,
//     mp_flags u16 @18, mp_lower u16 @20, mp_upper u16 @22 (overflow pages: mp_pages u32 @20);
//     mp_ptrs[] u16 @24, node offsets counted from PAGEBASE = PAGEHDRSZ.
//   meta pages 0 and 1: MDB_meta @24: mm_magic u32 (0xBEEFC0DE), mm_version u32, mm_address u64,
//     mm_mapsize u64, mm_dbs[2] (MDB_db, 48 bytes each: md_pad u32 = page size for the free DB,
//     md_flags u16, md_depth u16, branch/leaf/overflow page counts u64, md_entries u64,
//     md_root u64 @40), mm_last_pg u64, mm_txnid u64. LMDB uses the meta with the higher txnid.
//   node: mn_lo u16, mn_hi u16, mn_flags u16, mn_ksize u16, key, data. A branch node's child is
//     lo | hi << 16 | flags << 32; a leaf's data size is lo | hi << 16; F_BIGDATA puts the data on
//     overflow pages (the leaf holds their first pgno), F_SUBDATA makes it an MDB_db (a named table).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
const PAGEHDRSZ = 24;
const META_OFFSET = PAGEHDRSZ;
const DB_SIZE = 48;
const MD_ROOT = 40;
const P_INVALID = 0xffffffffffffffffn;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const P_META = 0x08;
const P_LEAF2 = 0x20;
const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const F_DUPDATA = 0x04;
const NODESIZE = 8;
const MAX_DEPTH = 64;

export type LmdbFileCheck =
  { readonly ok: true; readonly pages: number; readonly txnid: bigint } | { readonly ok: false; readonly problem: string };

interface Meta {
  readonly pageSize: number;
  readonly roots: readonly bigint[];
  readonly lastPage: bigint;
  readonly txnid: bigint;
}

class Damage extends Error {}

/**
 * Checks the file at `file`: its meta pages, and (unless `metaOnly`, which checks the trees'
 * roots only) every tree page reachable from them, each within the file. The walk reads pages outside any LMDB read
 * transaction: run it only on a file no process is writing (a writer reuses freed pages).
 */
export function checkLmdbFile(file: string, options: { metaOnly?: boolean } = {}): LmdbFileCheck {
  const fd = openSync(file, 'r');
  try {
    return new FileWalker(fd, fstatSync(fd).size).check(options.metaOnly === true);
  } catch (error) {
    if (error instanceof Damage) return { ok: false, problem: error.message };
    throw error;
  } finally {
    closeSync(fd);
  }
}

class FileWalker {
  private pageSize = 0;
  private lastPage = 0n;
  /** Whole pages the file holds. */
  private pages = 0;
  private readonly visited = new Set<bigint>();

  constructor(
    private readonly fd: number,
    private size: number,
  ) {}

  check(metaOnly: boolean): LmdbFileCheck {
    if (this.size === 0) throw new Damage('the file is empty (0 bytes)');
    const first = this.readMeta(0, 4096);
    if (!first) throw new Damage('meta page 0 is not an LMDB meta page (no 0xBEEFC0DE magic)');
    const second = this.readMeta(first.pageSize, first.pageSize);
    if (!second) throw new Damage('meta page 1 is not an LMDB meta page (no 0xBEEFC0DE magic)');
    const meta = second.txnid > first.txnid ? second : first;
    this.pageSize = meta.pageSize;
    this.lastPage = meta.lastPage;
    // A file being written grows under the check: a commit writes its pages, then its meta. Its
    // length taken before the meta was read may miss pages that meta reaches (seen once in a few
    // thousand checks of a busy file), so the length that counts is the one after the read.
    if (metaOnly) this.size = fstatSync(this.fd).size;
    const pages = Math.floor(this.size / this.pageSize);
    this.pages = pages;
    // LMDB grows its file only by writing pages, and counts in mm_last_pg the pages a commit
    // allocated, written or not: a page allocated and freed again in one transaction (a loose
    // page) goes to the free list unwritten. So a sound file can end before its last page (LMDB's
    // own mdb_env_copy copies only as far as the file reaches); what must be in it is every page
    // a tree reaches, which the walk reads. Without the walk, the trees' roots at least (a cut
    // through the file takes the newest pages, and every commit writes its trees' roots anew).
    for (const root of meta.roots) {
      if (metaOnly) this.within(root);
      else this.walkTree(root);
    }
    return { ok: true, pages, txnid: meta.txnid };
  }

  private readMeta(offset: number, pageSize: number): Meta | null {
    if (this.size < offset + pageSize) throw new Damage(`the file is truncated: ${this.size} bytes is too short for its two meta pages`);
    const page = this.read(offset, Math.max(pageSize, 256));
    if (page.readUInt32LE(META_OFFSET) !== MAGIC) return null;
    const version = page.readUInt32LE(META_OFFSET + 4) & 0xffff;
    if (version !== DATA_VERSION) throw new Damage(`meta page at ${offset} has data version ${version}, expected ${DATA_VERSION}`);
    if ((page.readUInt16LE(18) & P_META) === 0) return null;
    const dbs = META_OFFSET + 24;
    const size = page.readUInt32LE(dbs);
    if (size < 512 || size > 65536 || (size & (size - 1)) !== 0)
      throw new Damage(`meta page at ${offset} gives an impossible page size ${size}`);
    const lastPage = page.readBigUInt64LE(dbs + 2 * DB_SIZE);
    const txnid = page.readBigUInt64LE(dbs + 2 * DB_SIZE + 8);
    return { pageSize: size, roots: [page.readBigUInt64LE(dbs + MD_ROOT), page.readBigUInt64LE(dbs + DB_SIZE + MD_ROOT)], lastPage, txnid };
  }

  private walkTree(root: bigint, depth = 0): void {
    if (root === P_INVALID) return; // an empty tree
    if (depth > MAX_DEPTH) throw new Damage('a B-tree is deeper than any real one: its pages point in a loop');
    const page = this.page(root, P_BRANCH | P_LEAF | P_LEAF2);
    const flags = page.readUInt16LE(18);
    if (flags & P_LEAF2) return; // fixed-size duplicates: keys only, nothing to follow
    const lower = page.readUInt16LE(20);
    const upper = page.readUInt16LE(22);
    const room = this.pageSize - PAGEHDRSZ;
    if (lower > upper || upper > room) throw new Damage(`page ${root} has impossible bounds (lower ${lower}, upper ${upper})`);
    const count = lower >> 1;
    for (let i = 0; i < count; i++) {
      const at = page.readUInt16LE(PAGEHDRSZ + 2 * i);
      if (at < upper || at + NODESIZE > room) throw new Damage(`page ${root} node ${i} lies outside the page`);
      const node = PAGEHDRSZ + at;
      const lo = page.readUInt16LE(node);
      const hi = page.readUInt16LE(node + 2);
      const nodeFlags = page.readUInt16LE(node + 4);
      const keySize = page.readUInt16LE(node + 6);
      const data = node + NODESIZE + keySize;
      if (data > this.pageSize) throw new Damage(`page ${root} node ${i} has a key running past the page`);
      if (flags & P_BRANCH) {
        this.walkTree(BigInt(lo) | (BigInt(hi) << 16n) | (BigInt(nodeFlags) << 32n), depth + 1);
        continue;
      }
      const dataSize = lo | (hi << 16);
      if (nodeFlags & F_BIGDATA) {
        if (data + 8 > this.pageSize) throw new Damage(`page ${root} node ${i} has an overflow reference past the page`);
        this.overflow(page.readBigUInt64LE(data), dataSize);
      } else if (data + dataSize > this.pageSize) {
        throw new Damage(`page ${root} node ${i} has data running past the page`);
      } else if (nodeFlags & F_SUBDATA) {
        if (dataSize < DB_SIZE) throw new Damage(`page ${root} node ${i} holds a table record too short for one`);
        this.walkTree(page.readBigUInt64LE(data + MD_ROOT), depth + 1);
      } else if (nodeFlags & F_DUPDATA) {
        // duplicates kept inline in a sub-page inside this node: nothing outside it to follow
      }
    }
  }

  private overflow(pgno: bigint, dataSize: number): void {
    const page = this.page(pgno, P_OVERFLOW);
    const count = page.readUInt32LE(20);
    const needed = Math.floor((PAGEHDRSZ - 1 + dataSize) / this.pageSize) + 1;
    if (count < needed) throw new Damage(`overflow page ${pgno} counts ${count} pages for ${dataSize} bytes`);
    if (pgno + BigInt(count) - 1n > this.lastPage) throw new Damage(`overflow page ${pgno} runs past the last page`);
    this.within(pgno, BigInt(count));
  }

  /** Page `pgno`, which must be within the file, carry its own number and one of `expected` flags. */
  private page(pgno: bigint, expected: number): Buffer {
    if (pgno < 2n || pgno > this.lastPage) throw new Damage(`a tree points at page ${pgno}, outside pages 2..${this.lastPage}`);
    this.within(pgno);
    if (this.visited.has(pgno)) throw new Damage(`page ${pgno} is reached twice: the tree is damaged`);
    this.visited.add(pgno);
    const page = this.read(Number(pgno) * this.pageSize, this.pageSize);
    const own = page.readBigUInt64LE(0);
    if (own !== pgno) throw new Damage(`page ${pgno} is damaged: its header says page ${own} (zeroed or overwritten)`);
    const flags = page.readUInt16LE(18);
    if ((flags & expected) === 0) throw new Damage(`page ${pgno} is damaged: flags 0x${flags.toString(16)} where a tree page belongs`);
    return page;
  }

  /** Refuses a page (an empty tree's root aside) the file does not reach. */
  private within(pgno: bigint, count = 1n): void {
    if (pgno === P_INVALID || pgno + count <= BigInt(this.pages)) return;
    throw new Damage(
      `the file is truncated: ${this.size} bytes hold ${this.pages} pages of ${this.pageSize} bytes, and a tree reaches page ` +
        `${pgno + count - 1n}`,
    );
  }

  private read(offset: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    const got = readSync(this.fd, buffer, 0, length, offset);
    if (got < length && offset + length <= this.size) throw new Damage(`short read at ${offset}`);
    return buffer;
  }
}
