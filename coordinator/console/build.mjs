// Bundles the console (Preact + preact-iso, TSX) into dist/console/: index.html, app.js, app.css and
// their source maps. Everything the page loads is in these files (no CDN). The output is
// deterministic: fixed file names, no timestamps, paths in the source maps relative to the repo, so
// two builds of the same tree are byte-identical (the .deb build relies on that).
//
//   node coordinator/console/build.mjs [--out DIR]
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? path.resolve(process.argv[outFlag + 1] ?? '') : path.join(root, 'dist', 'console');

// The page shell: no inline script or style, so a strict Content-Security-Policy can serve it.
const indexHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>Mooring console</title>
    <link rel="stylesheet" href="/app.css" />
    <script type="module" src="/app.js"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>The Mooring console needs JavaScript.</noscript>
  </body>
</html>
`;

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: path.join(here, 'src', 'main.tsx') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'css' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
  // node_modules is a symlink in worktrees: keep its own path in the source maps, not the target's.
  preserveSymlinks: true,
});
await writeFile(path.join(out, 'index.html'), indexHtml);
const sizes = Object.entries(result.metafile.outputs)
  .map(([file, meta]) => `${path.relative(root, file)} ${meta.bytes} B`)
  .sort();
process.stdout.write(`console: ${sizes.join(', ')}\n`);
