// The images: records in the store (name -> ImageRecord, on LMDB or etcd alike), bytes in this
// coordinator's data dir (image-blobs.ts). Adding and deleting are admin actions, serialised here
// so a delete never removes bytes an add is about to reference. Several coordinators on etcd:
// the bytes stay with the coordinator that took the upload (the record's holder) and its boot
// service serves them; `image show` names it. A holder removes the bytes of images deleted
// through another coordinator when it next starts (sweep()).
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import { KeyedQueue } from '../networks/keyed-queue.js';
import type { Store } from '../store/store.js';
import { requireAdmin } from '../tenancy/access.js';
import type { Principal } from '../tenancy/user.js';
import { ImageExistsError, ImageInUseError, ImageNotFoundError } from './errors.js';
import type { BlobUpload, ImageBlobs } from './image-blobs.js';
import { imageSize, type ImageRecord } from './image-record.js';

export interface ImageCatalogDeps {
  readonly store: Store;
  readonly events: EventLog;
  readonly blobs: ImageBlobs;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This coordinator's id: the holder of what is uploaded here. */
  readonly holder: string;
  /** This coordinator's boot service URL, once it listens (null: off). */
  readonly bootUrl: () => string | null;
  /** The machines whose deployment uses the image now (boot/deploy-tokens.ts). */
  readonly usersOf: (image: string) => string[];
}

export class ImageCatalog {
  private readonly queue = new KeyedQueue();
  private readonly log: Logger;

  constructor(private readonly deps: ImageCatalogDeps) {
    this.log = deps.logger.child({ component: 'images' });
  }

  get holder(): string {
    return this.deps.holder;
  }

  get blobs(): ImageBlobs {
    return this.deps.blobs;
  }

  get(name: string): ImageRecord | undefined {
    return this.deps.store.tables.images.get(name) as ImageRecord | undefined;
  }

  /** The image, or ImageNotFoundError. */
  require(name: string): ImageRecord {
    const image = this.get(name);
    if (!image) throw new ImageNotFoundError(name);
    return image;
  }

  list(): ImageRecord[] {
    return [...this.deps.store.tables.images.getRange({})].map(({ value }) => value as ImageRecord);
  }

  /** Refuses a taken name early (the add checks again when it stores the record). */
  checkFree(name: string): void {
    if (this.get(name)) throw new ImageExistsError(name);
  }

  /**
   * Stores the record of finished uploads: the bytes move into place, then the record is written
   * (a name taken meanwhile: ALREADY_EXISTS, and bytes no record references are removed again).
   */
  async add(
    principal: Principal,
    image: Omit<ImageRecord, 'created' | 'holder' | 'bootUrl'>,
    uploads: readonly BlobUpload[],
  ): Promise<ImageRecord> {
    requireAdmin(principal, 'add images');
    return this.queue.run('images', async () => {
      this.checkFree(image.name);
      for (const [i, upload] of uploads.entries()) await upload.place(image.parts[i]?.sha256 ?? '');
      const record: ImageRecord = { ...image, created: this.deps.clock.now(), holder: this.deps.holder, bootUrl: this.deps.bootUrl() };
      try {
        await this.deps.store.write((scope) => {
          if (this.deps.store.tables.images.get(image.name) !== undefined) throw new ImageExistsError(image.name);
          this.deps.store.tables.images.putSync(image.name, record);
          this.deps.events.append(scope, {
            actor: principal.user,
            kind: 'image.added',
            why: `image ${image.name} added (${imageSize(record)} bytes)`,
            details: { image: image.name, sha256: image.parts.map((p) => p.sha256).join(','), holder: record.holder },
          });
        });
      } catch (error) {
        await this.removeUnreferenced(image.parts.map((p) => p.sha256));
        throw error;
      }
      this.log.info({ image: image.name, size: imageSize(record), parts: record.parts }, 'image added');
      return record;
    });
  }

  /** Deletes the record; refused while a deployment uses the image. The bytes go once nothing references them. */
  async delete(principal: Principal, name: string): Promise<void> {
    requireAdmin(principal, 'delete images');
    await this.queue.run('images', async () => {
      const removed = await this.deps.store.write((scope) => {
        const image = this.get(name);
        if (!image) throw new ImageNotFoundError(name);
        const users = this.deps.usersOf(name);
        if (users.length > 0) throw new ImageInUseError(name, users);
        this.deps.store.tables.images.removeSync(name);
        this.deps.events.append(scope, {
          actor: principal.user,
          kind: 'image.deleted',
          why: `image ${name} deleted`,
          details: { image: name },
        });
        return image;
      });
      if (removed.holder === this.deps.holder) await this.removeUnreferenced(removed.parts.map((p) => p.sha256));
      this.log.info({ image: name }, 'image deleted');
    });
  }

  /** Removes the blobs held here that no image record references (deleted through another coordinator, or a crash mid-add). */
  async sweep(): Promise<number> {
    return this.queue.run('images', async () => {
      const held = await this.deps.blobs.list();
      const before = held.length;
      await this.removeUnreferenced(held);
      const removed = before - (await this.deps.blobs.list()).length;
      if (removed > 0) this.log.info({ removed }, 'removed the bytes of deleted images');
      return removed;
    });
  }

  private async removeUnreferenced(shas: readonly string[]): Promise<void> {
    const referenced = new Set(this.list().flatMap((image) => (image.holder === this.deps.holder ? image.parts.map((p) => p.sha256) : [])));
    for (const sha of new Set(shas)) if (!referenced.has(sha)) await this.deps.blobs.remove(sha);
  }
}
