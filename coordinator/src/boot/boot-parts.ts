// The images and the boot service as the coordinator holds them: built together (they share the
// deploy tokens), started and closed together in the coordinator's lifecycle.
import type { Clock } from '../clock.js';
import type { CoordinatorConfig } from '../config.js';
import type { EventLog } from '../events/event-log.js';
import { ImageBlobs } from '../images/image-blobs.js';
import { ImageCatalog } from '../images/image-catalog.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { BootServer } from './boot-server.js';
import { BootSteps } from './boot-steps.js';
import { DeployTokens } from './deploy-tokens.js';
import { findRamdiskDir } from './ramdisk-files.js';

export interface BootPartsDeps {
  readonly config: CoordinatorConfig;
  readonly store: Store;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly coordinatorId: string;
}

export class BootParts {
  readonly images: ImageCatalog;
  readonly tokens: DeployTokens;
  /** The deploy sequence's entry points (boot-steps.ts). */
  readonly steps: BootSteps;
  private server: BootServer | null = null;
  private readonly log: Logger;

  constructor(private readonly deps: BootPartsDeps) {
    const { store, events, clock, logger } = deps;
    this.log = logger.child({ component: 'boot' });
    this.tokens = new DeployTokens({ store, events, clock, logger });
    this.images = new ImageCatalog({
      store,
      events,
      clock,
      logger,
      blobs: new ImageBlobs(deps.config.dataDir),
      holder: deps.coordinatorId,
      bootUrl: () => this.url,
      usersOf: (image) => this.tokens.usersOf(image),
    });
    this.steps = new BootSteps({ store, events, tokens: this.tokens, images: this.images, clock, bootUrl: () => this.url });
  }

  /** Prepares the image folders, removes bytes no image references, and listens when bootListen is set. */
  async start(): Promise<void> {
    await this.images.blobs.prepare();
    await this.images.sweep();
    const listen = this.deps.config.bootListen;
    if (listen === null) return;
    const ramdiskDir = findRamdiskDir(this.deps.config.ramdiskDir);
    if (ramdiskDir === null) this.log.warn('no deploy ramdisk found (npm run ramdisk, or set ramdiskDir): its files answer 404');
    this.server = await BootServer.start(listen, { tokens: this.tokens, images: this.images, ramdiskDir, logger: this.log });
  }

  /** Where the boot service listens on this host (its bound port), or null while off. */
  get listening(): { host: string; port: number } | null {
    return this.server ? { host: this.server.host, port: this.server.port } : null;
  }

  /** The boot service as machines reach it: config bootUrl, else http://<bootListen host>:<port>; null while off. */
  get url(): string | null {
    if (this.server === null) return null;
    if (this.deps.config.bootUrl !== null) return this.deps.config.bootUrl;
    const host = this.server.host.includes(':') ? `[${this.server.host}]` : this.server.host;
    return `http://${host}:${this.server.port}`;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}
