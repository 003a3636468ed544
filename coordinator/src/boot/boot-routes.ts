// The boot service's HTTP routes (Hono). Plain HTTP: iPXE and the ramdisk speak nothing else, so
// everything per machine is opened by a deploy token (deploy-tokens.ts), and a token opens only
// its own machine's script, image and seed: no route names a machine, the token alone picks it.
//   GET  /boot/v1/ipxe/<token>          the machine's iPXE script (the DHCP bootfile URL). The URL
//                                       is the secret, so an unknown, spent or expired token is 404.
//   GET  /boot/v1/ramdisk/vmlinuz|initrd.img   the deploy ramdisk (the same for every machine)
//   POST /boot/v1/phone-home/<token>    the first boot's phone-home (cloud-init's phone_home,
//                                       form fields): only a token of step "first-boot" (the
//                                       sequence names it in the seed), else 404; success of that step.
//   /ramdisk/v1/...                     the ramdisk's API (packaging/ramdisk/README.md "HTTP
//                                       protocol"), token in Authorization: Bearer; a wrong, spent
//                                       or expired token (or one from another address than the
//                                       grant's) is 401, as that protocol says.
// The image and the ramdisk files honour Range (206, 416); the image's ETag is its sha256.
// Logs carry paths with any token cut out (redactPath) and never a header.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { ImageCatalog } from '../images/image-catalog.js';
import type { Logger } from '../logger.js';
import { rangeOf } from './byte-range.js';
import type { DeployGrant } from './deploy-grant.js';
import type { DeployTokens, RamdiskReport } from './deploy-tokens.js';
import { ipxeScript, RAMDISK_FILES_PATH, RAMDISK_INITRD, RAMDISK_KERNEL } from './ipxe-script.js';
import { metaData, userData } from './nocloud-seed.js';

export const IPXE_PATH = '/boot/v1/ipxe';
export const RAMDISK_API = '/ramdisk/v1';
/** cloud-init's phone_home posts here; the token is the first boot's (a step of this name). */
export const PHONE_HOME_PATH = '/boot/v1/phone-home';
export const FIRST_BOOT_STEP = 'first-boot';
/** The largest callback body: a failure carries at most 4 KiB of output, escaped. */
const MAX_CALLBACK_BODY = 64 * 1024;

export interface BootRoutesDeps {
  readonly tokens: DeployTokens;
  readonly images: ImageCatalog;
  /** The ramdisk's files, or null when none was found. */
  readonly ramdiskDir: string | null;
  readonly logger: Logger;
}

type Env = { Bindings: HttpBindings; Variables: { grant: DeployGrant; key: string } };

/** The path as logs may show it: the token of a script URL replaced. */
export function redactPath(path: string): string {
  return path.startsWith(`${IPXE_PATH}/`) ? `${IPXE_PATH}/<token>` : path;
}

const callbackSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('progress'), step: z.string().max(64), message: z.string().max(8192) }),
  z.object({ event: z.literal('success') }).catchall(z.union([z.string().max(4096), z.number()])),
  z.object({ event: z.literal('failure'), step: z.string().max(64), command: z.string().max(8192), output: z.string().max(16384) }),
]);

function remoteAddress(c: { env: HttpBindings }): string {
  const address = c.env.incoming.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function fromGrantee(c: { env: HttpBindings }, grant: DeployGrant): boolean {
  return grant.clientAddress === null || grant.clientAddress === remoteAddress(c);
}

/** A file's bytes, whole or the one range asked for. */
async function sendFile(c: Context<Env>, file: string, headers: Record<string, string>, size?: number): Promise<Response> {
  const bytes = size ?? (await stat(file)).size;
  const range = rangeOf(c.req.header('range'), bytes);
  const common = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', ...headers };
  if (range.type === 'unsatisfiable')
    return new Response(null, { status: 416, headers: { ...common, 'content-range': `bytes */${bytes}` } });
  const part = range.type === 'partial' ? range : { start: 0, end: bytes - 1 };
  const length = bytes === 0 ? 0 : part.end - part.start + 1;
  const body = length === 0 ? null : (Readable.toWeb(createReadStream(file, { start: part.start, end: part.end })) as ReadableStream);
  return new Response(body, {
    status: range.type === 'partial' ? 206 : 200,
    headers: {
      ...common,
      'content-length': String(length),
      ...(range.type === 'partial' ? { 'content-range': `bytes ${part.start}-${part.end}/${bytes}` } : {}),
    },
  });
}

export function bootRoutes(deps: BootRoutesDeps): Hono<Env> {
  const log = deps.logger;
  const app = new Hono<Env>();
  const text = (c: Context<Env>, body: string, status: 200 | 401 | 404 = 200): Response =>
    c.text(body, status, { 'cache-control': 'no-store' });

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.debug(
      { method: c.req.method, path: redactPath(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) },
      'boot request',
    );
  });
  app.onError((error, c) => {
    log.error({ err: error, method: c.req.method, path: redactPath(c.req.path) }, 'boot request failed');
    return c.text('internal error (logged by the coordinator)\n', 500);
  });

  app.get(`${IPXE_PATH}/:token`, (c) => {
    const token = c.req.param('token');
    const found = deps.tokens.lookup(token);
    if (!found || !fromGrantee(c, found.grant)) return text(c, 'not found\n', 404);
    log.info({ machineId: found.grant.machineId, step: found.grant.step, from: remoteAddress(c) }, 'iPXE script served');
    return text(c, ipxeScript(found.grant, token));
  });

  app.post(
    `${PHONE_HOME_PATH}/:token`,
    bodyLimit({ maxSize: MAX_CALLBACK_BODY, onError: (c) => c.text('phone-home too large\n', 413) }),
    async (c) => {
      const found = deps.tokens.lookup(c.req.param('token'));
      if (!found || found.grant.step !== FIRST_BOOT_STEP) return text(c, 'not found\n', 404);
      const form = new URLSearchParams(await c.req.text());
      const details: Record<string, string> = {};
      for (const key of ['instance_id', 'hostname', 'fqdn']) {
        const value = form.get(key);
        if (value !== null) details[key] = value.slice(0, 255);
      }
      log.info({ machineId: found.grant.machineId, from: remoteAddress(c) }, 'first boot phoned home');
      const recorded = await deps.tokens.report(found.key, { event: 'success', details });
      return recorded ? text(c, 'ok\n') : text(c, 'not found\n', 404);
    },
  );

  app.get(`${RAMDISK_FILES_PATH}/:file`, async (c) => {
    const file = c.req.param('file');
    if (file !== RAMDISK_KERNEL && file !== RAMDISK_INITRD) return text(c, 'not found\n', 404);
    if (deps.ramdiskDir === null) return text(c, 'no deploy ramdisk here: build it (npm run ramdisk) or set ramdiskDir\n', 404);
    return sendFile(c, join(deps.ramdiskDir, file), {});
  });

  // Everything below: the bearer token's grant, or 401.
  app.use(`${RAMDISK_API}/*`, async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    const found = match?.[1] ? deps.tokens.lookup(match[1]) : null;
    if (!found || !fromGrantee(c, found.grant)) {
      if (found)
        log.warn(
          { machineId: found.grant.machineId, from: remoteAddress(c), bound: found.grant.clientAddress },
          'deploy token presented from another address',
        );
      return c.text('bad token\n', 401, { 'cache-control': 'no-store' });
    }
    c.set('grant', found.grant);
    c.set('key', found.key);
    await next();
  });

  app.get(`${RAMDISK_API}/instructions`, (c) => {
    const { image } = c.var.grant;
    if (!image) return text(c, 'this step deploys no image\n', 404);
    return text(c, `image_sha256=${image.sha256}\nimage_size=${image.size}\n`);
  });

  app.get(`${RAMDISK_API}/image`, async (c) => {
    const { image, machineId } = c.var.grant;
    if (!image) return text(c, 'this step deploys no image\n', 404);
    if (image.holder !== deps.images.holder || !(await deps.images.blobs.has(image.sha256)))
      return text(c, `image ${image.name} is held by coordinator ${image.holder}; ask its boot service\n`, 404);
    log.info({ machineId, image: image.name, range: c.req.header('range') ?? null }, 'image requested');
    return sendFile(c, deps.images.blobs.path(image.sha256), { etag: `"${image.sha256}"` }, image.size);
  });

  app.get(`${RAMDISK_API}/seed/meta-data`, (c) => text(c, metaData(c.var.grant)));
  app.get(`${RAMDISK_API}/seed/user-data`, (c) => text(c, userData(deps.tokens.userData(c.var.grant))));
  app.get(`${RAMDISK_API}/seed/network-config`, (c) => {
    const config = c.var.grant.networkConfig;
    return config === null ? text(c, 'no network-config\n', 404) : text(c, config);
  });

  app.post(
    `${RAMDISK_API}/callback`,
    bodyLimit({ maxSize: MAX_CALLBACK_BODY, onError: (c) => c.text('callback too large\n', 413) }),
    async (c) => {
      let parsed: z.output<typeof callbackSchema>;
      try {
        parsed = callbackSchema.parse(await c.req.json());
      } catch {
        return c.text('expected a progress, success or failure callback (packaging/ramdisk/README.md)\n', 400);
      }
      const report: RamdiskReport =
        parsed.event === 'success'
          ? {
              event: 'success',
              details: Object.fromEntries(
                Object.entries(parsed)
                  .filter(([k]) => k !== 'event')
                  .map(([k, v]) => [k, String(v)]),
              ),
            }
          : parsed;
      const recorded = await deps.tokens.report(c.var.key, report);
      if (!recorded) return text(c, 'bad token\n', 401);
      return text(c, 'ok\n');
    },
  );

  return app;
}
