#!/usr/bin/env bash
# Builds the Debian packages mooring-agent and mooring-coordinator (with moorctl) with dpkg-deb.
#
#   npm run package [-- --out DIR] [--no-build]
#
# Each package carries its own copy of the compiled JavaScript it runs (dist/ without test/ and
# bench/), the .proto files, package.json and the production node_modules, under
# /usr/lib/<package>/, so the two install side by side without sharing files. Native modules
# (lmdb) make the packages architecture-specific: build on the architecture you deploy to.
# --no-build packages the dist/ an earlier `npm run build` left (the test command builds first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

out=dist/packages
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "build-debs: --out needs a directory" >&2; exit 2; }; out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    --no-build) build=0; shift ;;
    *) echo "build-debs: unknown argument $1 (use --out DIR, --no-build)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

for tool in dpkg-deb dpkg node; do
  command -v "$tool" >/dev/null || { echo "build-debs: $tool is missing (npm run deps installs dpkg-dev)" >&2; exit 1; }
done
[ "$build" = 1 ] && npm run --silent build
for entry in dist/agent/src/main.js dist/coordinator/src/main.js dist/coordinator/src/cli/main.js; do
  [ -f "$entry" ] || { echo "build-debs: $entry is missing: run npm run build" >&2; exit 1; }
done

version=$(node -p "require('./package.json').version")
debversion="${version}-1"
arch=$(dpkg --print-architecture)
work=$(mktemp -d "${TMPDIR:-/tmp}/mooring-debs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Production node_modules once: every package the lock file does not mark dev-only, copied whole
# (a package's nested node_modules serve only it, so they are production too).
modules="$work/node_modules"
mkdir -p "$modules"
node -e '
  const lock = require("./package-lock.json");
  for (const [key, meta] of Object.entries(lock.packages)) {
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) || meta.dev || meta.link) continue;
    console.log(key.slice("node_modules/".length));
  }' | while read -r name; do
  src="node_modules/$name"
  [ -d "$src" ] || continue # an optional package for another platform
  mkdir -p "$modules/$(dirname "$name")"
  cp -a "$(readlink -f "$src")" "$modules/$name"
done
# Not for running: command links of nested packages (they point at development tools) and the
# packages' own test suites.
find "$modules" \( -name .bin -o -name test -o -name tests -o -name __tests__ \) -type d -prune -exec rm -rf {} +
find "$modules" -type f \( -name '*.test.js' -o -name '*.spec.js' -o -name '*.test.ts' \) -delete

# stage_tree PKG DISTDIR...: the application tree of one package.
stage_tree() {
  local pkg=$1 lib="$work/$1/usr/lib/$1"
  shift
  mkdir -p "$lib/proto/mooring/v1"
  for d in "$@"; do
    mkdir -p "$lib/$d"
    (cd "$d" && find . -name '*.js' -exec cp --parents -t "$lib/$d" {} +)
  done
  cp proto/mooring/v1/*.proto "$lib/proto/mooring/v1/"
  node -e '
    const p = require("./package.json");
    const keep = { name: p.name, version: p.version, description: p.description, license: p.license, type: p.type, engines: p.engines, dependencies: p.dependencies };
    process.stdout.write(JSON.stringify(keep, null, 2) + "\n");' > "$lib/package.json"
  cp -a "$modules" "$lib/node_modules"
}

# wrapper PKG NAME ENTRY: /usr/bin/NAME runs ENTRY with Debian's node, keeping the pid (exec) so
# systemd's main pid is the daemon itself.
wrapper() {
  mkdir -p "$work/$1/usr/bin"
  printf '#!/bin/sh\nexec /usr/bin/node /usr/lib/%s/%s "$@"\n' "$1" "$3" > "$work/$1/usr/bin/$2"
}

# docs PKG: README, copyright, the unit.
docs() {
  local d="$work/$1/usr/share/doc/$1"
  mkdir -p "$d" "$work/$1/lib/systemd/system"
  cp README.md "$d/README.md"
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: mooring\n\nFiles: *\nLicense: Apache-2.0\n On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.\n' > "$d/copyright"
  cp "packaging/systemd/$1.service" "$work/$1/lib/systemd/system/"
}

stage_tree mooring-agent dist/agent dist/proto
wrapper mooring-agent mooring-agent dist/agent/src/main.js
docs mooring-agent
mkdir -p "$work/mooring-agent/etc/mooring"
cp packaging/config/agent.yaml "$work/mooring-agent/etc/mooring/agent.yaml"

stage_tree mooring-coordinator dist/coordinator dist/proto
wrapper mooring-coordinator mooring-coordinator dist/coordinator/src/main.js
wrapper mooring-coordinator moorctl dist/coordinator/src/cli/main.js
docs mooring-coordinator
mkdir -p "$work/mooring-coordinator/etc/mooring" "$work/mooring-coordinator/usr/lib/sysusers.d"
cp packaging/config/coordinator.yaml "$work/mooring-coordinator/etc/mooring/coordinator.yaml"
cp packaging/debian/mooring-coordinator.sysusers "$work/mooring-coordinator/usr/lib/sysusers.d/mooring-coordinator.conf"

# finish PKG DESCRIPTION DEPENDS RECOMMENDS: modes, maintainer scripts, md5sums, control, dpkg-deb.
finish() {
  local pkg=$1 tree="$work/$1"
  find "$tree" -type d -exec chmod 0755 {} +
  find "$tree" -type f -exec chmod 0644 {} +
  chmod 0755 "$tree"/usr/bin/*
  [ -f "$tree/etc/mooring/agent.yaml" ] && chmod 0600 "$tree/etc/mooring/agent.yaml" # may come to hold the enrollment token
  mkdir -p "$tree/DEBIAN"
  for script in postinst prerm postrm; do
    sed -e "s/@PACKAGE@/$pkg/g" "packaging/debian/$script" > "$tree/DEBIAN/$script"
    chmod 0755 "$tree/DEBIAN/$script"
  done
  (cd "$tree" && find etc -type f | sed 's|^|/|' | sort) > "$tree/DEBIAN/conffiles"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$tree/DEBIAN/md5sums"
  local size
  size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
  {
    echo "Package: $pkg"
    echo "Version: $debversion"
    echo "Architecture: $arch"
    echo "Maintainer: Mooring developers <mooring@lists.invalid>"
    echo "Installed-Size: $size"
    echo "Depends: $3"
    echo "Recommends: $4"
    echo "Section: net"
    echo "Priority: optional"
    echo "Homepage: https://mooring.invalid/"
    echo "Description: $2"
    sed 's/^/ /' "packaging/debian/$pkg.description"
  } > "$tree/DEBIAN/control"
  chmod 0644 "$tree/DEBIAN/control" "$tree/DEBIAN/conffiles" "$tree/DEBIAN/md5sums"
  dpkg-deb --root-owner-group -Zgzip --build "$tree" "$out/${pkg}_${debversion}_${arch}.deb" >/dev/null
  echo "$out/${pkg}_${debversion}_${arch}.deb"
}

finish mooring-agent 'Mooring agent for smartNICs (DPUs) and LXD VM hosts' 'nodejs (>= 20), systemd' 'openvswitch-switch'
finish mooring-coordinator 'Mooring coordinator and moorctl: bare metal behind smartNICs' 'nodejs (>= 20), systemd' 'ipmitool'
