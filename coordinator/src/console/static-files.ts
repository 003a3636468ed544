// The console's pages: the files esbuild wrote to dist/console/ (index.html, app.js, app.css, ...),
// served with their content type, an ETag, and cache headers that never keep a stale page: the
// HTML and unhashed assets are revalidated on every load (cheap: a 304 by ETag), a file whose
// name carries a content hash is immutable for a year. A GET for a path that is no file gets
// index.html, so the pages' own routes (/machines/web1) load on reload and from a bookmark.
import { createReadStream, existsSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** esbuild's [name]-[hash] (8 base32 characters) or any -<8+ hex/base32> before the extension. */
const HASHED = /-[A-Z0-9]{8,}\.[a-z0-9]+$/i;

/** Headers every console response carries: no framing, no sniffing, scripts only from here. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/**
 * dist/console/ beside the compiled coordinator: this file is dist/coordinator/src/console/*.js in
 * a build and in the .deb (/usr/lib/mooring-coordinator/dist/...), coordinator/src/console/*.ts
 * when run from source (tests), where the build's output is <repo>/dist/console.
 */
export function defaultConsoleDir(): string {
  const top = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return basename(top) === 'dist' ? join(top, 'console') : join(top, 'dist', 'console');
}

function etag(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

function fileStats(path: string): Stats | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

export class StaticFiles {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  /** Whether the build wrote the pages (index.html) to the directory. */
  built(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /** The file for a GET or HEAD of `urlPath`, index.html for a path that is no file. */
  serve(urlPath: string, method: 'GET' | 'HEAD', ifNoneMatch: string | undefined): Response {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return text(400, `malformed path: ${urlPath}\n`);
    }
    const wanted = resolve(this.root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
    // A path climbing out of the directory (/../, %2e%2e) is no file of ours: the page instead.
    const inside = wanted === this.root || wanted.startsWith(this.root + sep);
    let path = inside ? wanted : join(this.root, 'index.html');
    let stats = fileStats(path);
    if (!stats) {
      path = join(this.root, 'index.html');
      stats = fileStats(path);
    }
    if (!stats) return text(404, `the console's pages are not built here (no ${path}); \`npm run build\` writes them\n`);
    const tag = etag(stats);
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': HASHED.test(basename(path)) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: tag,
    };
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === tag))
      return new Response(null, { status: 304, headers });
    headers['Content-Length'] = String(stats.size);
    if (method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, { status: 200, headers });
  }
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
