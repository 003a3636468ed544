// The bytes of images, content-addressed in the data dir: images/sha256/<hex>, mode 0600. An
// upload streams into images/tmp/ while its sha256 is computed, then is renamed into place (the
// same bytes uploaded twice are stored once: the second file is dropped). Readers open the file
// by its sha256.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ImageBlobs {
  private readonly blobDir: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.blobDir = join(dataDir, 'images', 'sha256');
    this.tmpDir = join(dataDir, 'images', 'tmp');
  }

  /** Creates the folders (0700) and removes uploads a previous run left half-written. */
  async prepare(): Promise<void> {
    await mkdir(this.blobDir, { recursive: true, mode: 0o700 });
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
  }

  path(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.blobDir, sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** A stream of bytes [start, end] (inclusive) of the blob. */
  read(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.path(sha256), range ? { start: range.start, end: range.end } : {});
  }

  async begin(): Promise<BlobUpload> {
    const file = join(this.tmpDir, `${randomBytes(8).toString('hex')}.part`);
    return new BlobUpload(await open(file, 'wx', 0o600), file, this);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }

  /** The sha256 of every blob stored here. */
  async list(): Promise<string[]> {
    const names = await readdir(this.blobDir).catch(() => [] as string[]);
    return names.filter((name) => SHA256_HEX.test(name));
  }

  /** @internal: moves a finished upload into place; the same bytes already there win. */
  async place(tmpFile: string, sha256: string): Promise<void> {
    const target = this.path(sha256);
    if (await this.has(sha256)) await rm(tmpFile, { force: true });
    else await rename(tmpFile, target);
  }
}

/** One part being written: bytes in, sha256 and size out. */
export class BlobUpload {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private head = Buffer.alloc(0);
  private state: 'writing' | 'placed' | 'dropped' = 'writing';

  constructor(
    private readonly fh: FileHandle,
    private readonly file: string,
    private readonly blobs: ImageBlobs,
  ) {}

  get size(): number {
    return this.bytes;
  }

  /** The first bytes written (up to 4 KiB): what format checks read. */
  get firstBytes(): Buffer {
    return this.head;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.state !== 'writing') throw new Error(`the upload is ${this.state}`);
    this.hash.update(chunk);
    if (this.head.length < 4096) this.head = Buffer.concat([this.head, chunk.subarray(0, 4096 - this.head.length)]);
    this.bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) offset += (await this.fh.write(chunk, offset)).bytesWritten;
  }

  /** Flushes the bytes to disk and returns their sha256; the file stays in tmp until place(). */
  async finish(): Promise<string> {
    await this.fh.sync();
    await this.fh.close();
    return this.hash.digest('hex');
  }

  async place(sha256: string): Promise<void> {
    this.state = 'placed';
    await this.blobs.place(this.file, sha256);
  }

  /** Drops the written bytes (safe after finish(), and twice). */
  async drop(): Promise<void> {
    if (this.state !== 'writing') return;
    this.state = 'dropped';
    await this.fh.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }
}
