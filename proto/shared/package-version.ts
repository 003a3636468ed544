// The version of the mooring package (agent, coordinator and moorctl ship in it), read once from
// its manifest.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // proto/shared/ in the source tree, dist/proto/shared/ when built: the manifest is two or three up.
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mooring' && pkg.version) return pkg.version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return '0.0.0-unknown';
}

export const PACKAGE_VERSION = readVersion();
