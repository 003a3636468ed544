// A simulation of the coordinator's boot service (not written yet), for the deploy ramdisk's
// tests: the ramdisk side of the protocol in packaging/ramdisk/README.md, nothing more. It serves
// one deployment's instructions, image and NoCloud seed to the holder of its token (401 to anyone
// else), records every request and every callback, and takes the deployed image's phone-home POST.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RamdiskCallback {
  event: 'progress' | 'success' | 'failure';
  step?: string;
  message?: string;
  command?: string;
  output?: string;
  [key: string]: unknown;
}

export interface SimDeployment {
  token: string;
  image: Buffer;
  /** What the instructions announce; default: the image's own sha256 (set it to simulate corruption). */
  announcedSha256?: string;
  metaData: string;
  userData: string;
  networkConfig?: string;
}

export interface PhoneHome {
  path: string;
  fields: Record<string, string>;
}

export class BootServiceSimulation {
  readonly requests: { method: string; path: string; authorized: boolean }[] = [];
  readonly callbacks: RamdiskCallback[] = [];
  readonly phoneHomes: PhoneHome[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private deployment: SimDeployment,
  ) {}

  static async start(deployment: SimDeployment): Promise<BootServiceSimulation> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sim = new BootServiceSimulation(server, (server.address() as AddressInfo).port, deployment);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void sim.handle(req, res));
    return sim;
  }

  set(deployment: SimDeployment): void {
    this.deployment = deployment;
  }

  /** The last callback, once it is a success or a failure. */
  outcome(): RamdiskCallback | undefined {
    return this.callbacks.filter((c) => c.event !== 'progress').at(-1);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '';
    const d = this.deployment;
    if (req.method === 'POST' && path.startsWith('/phone-home/')) {
      this.phoneHomes.push({ path, fields: Object.fromEntries(new URLSearchParams(body.toString())) });
      res.end('ok\n');
      return;
    }
    const authorized = req.headers.authorization === `Bearer ${d.token}`;
    this.requests.push({ method: req.method ?? '', path, authorized });
    if (!authorized) {
      res.writeHead(401).end('bad token\n');
      return;
    }
    const send = (text: string | Buffer | undefined): void => {
      if (text === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': Buffer.byteLength(text) }).end(text);
    };
    switch (`${req.method} ${path}`) {
      case 'GET /ramdisk/v1/instructions': {
        const sha = d.announcedSha256 ?? createHash('sha256').update(d.image).digest('hex');
        send(`image_sha256=${sha}\nimage_size=${d.image.length}\n`);
        return;
      }
      case 'GET /ramdisk/v1/image':
        send(d.image);
        return;
      case 'GET /ramdisk/v1/seed/meta-data':
        send(d.metaData);
        return;
      case 'GET /ramdisk/v1/seed/user-data':
        send(d.userData);
        return;
      case 'GET /ramdisk/v1/seed/network-config':
        send(d.networkConfig);
        return;
      case 'POST /ramdisk/v1/callback':
        this.callbacks.push(JSON.parse(body.toString()) as RamdiskCallback);
        res.end();
        return;
      default:
        res.writeHead(404).end();
    }
  }
}
