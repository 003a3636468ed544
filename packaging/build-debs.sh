#!/usr/bin/env bash
# Builds the Debian packages mooring-agent and mooring-coordinator (with moorctl) with dpkg-deb.
#
#   npm run package [-- --out DIR] [--no-build]
#
# Each package carries its own copy of the compiled JavaScript it runs (dist/ without test/ and
# bench/), the .proto files, package.json and the production node_modules, under
# /usr/lib/<package>/, so the two install side by side without sharing files. Native modules
# (lmdb, msgpackr-extract) make the packages architecture-specific: build on the architecture you
# deploy to. Only this platform's prebuilt binaries are shipped (the machine and libc of dpkg
# itself; npm also installs musl builds), stripped as dh_strip strips shared libraries, and
# Depends: gains what dpkg-shlibdeps finds they need (libc6, libstdc++6, ...). `lintian` on the
# result reports no error (test/packaging/debs.test.ts).
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

for tool in dpkg-deb dpkg dpkg-shlibdeps dpkg-parsechangelog node perl readelf strip gzip; do
  command -v "$tool" >/dev/null || { echo "build-debs: $tool is missing (npm run deps installs dpkg-dev and binutils)" >&2; exit 1; }
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
# Each package's tree is staged in $work/debian/PKG beside a minimal debian/control: the layout
# dpkg-shlibdeps expects of a source tree.
stage="$work/debian"
mkdir -p "$stage"
printf 'Source: mooring\n\nPackage: mooring-agent\nArchitecture: any\n\nPackage: mooring-coordinator\nArchitecture: any\n' > "$stage/control"

# The Debian changelog's newest entry must be this version: the package ships it as
# changelog.Debian.gz, and a package whose changelog names another version misleads.
changelog_version=$(sed -n '1s/^mooring (\([^)]*\)).*/\1/p' packaging/debian/changelog)
[ "$changelog_version" = "$debversion" ] || {
  echo "build-debs: packaging/debian/changelog starts with version '$changelog_version', package.json says $debversion: add an entry" >&2
  exit 1
}

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
# Nor are the packages' development files: dot files (.npmignore, .github/, .gitattributes, editor
# and CI settings), TypeScript sources and declarations, source maps, the C/C++ sources and Visual
# Studio projects of native modules (the prebuilt binary is what runs), and documentation other
# than licence texts (pino's index.html would load scripts from CDNs if opened).
find "$modules" -mindepth 1 -name '.*' -prune -exec rm -rf {} +
find "$modules" -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \) -delete
find "$modules" -type f \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.sln' -o -name '*.vcxproj*' \) -delete
find "$modules" -type f \( -name '*.html' -o -name '*.md' -o -name '*.markdown' \) ! -iname 'licen[cs]e*' ! -iname 'copying*' ! -iname 'notice*' -delete
find "$modules" -depth -mindepth 1 -type d -empty -delete

# Native binaries: only those for this platform. The platform is dpkg's own: its ELF machine and
# its C library (libc.so.6 for glibc). A prebuilt binary for another machine, or one linked
# against another libc (musl's libc.so), could never load here and only draws lintian errors.
elf_machine() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }
elf_needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
dpkg_bin=$(command -v dpkg)
platform_machine=$(elf_machine "$dpkg_bin")
# (Needed lists are read whole into variables: grep -q closing a pipe early would, under
# pipefail, make a SIGPIPE look like a verdict.)
dpkg_needed=$(elf_needed "$dpkg_bin")
platform_libc=$(grep -m1 '^libc\.so' <<<"$dpkg_needed")
find "$modules" -type f -print0 | perl -0ne 'chomp; open my $f, "<", $_ or next; read $f, my $m, 4; print "$_\0" if $m eq "\x7fELF"' >"$work/elf"
while IFS= read -r -d '' binary; do
  needed=$(elf_needed "$binary")
  if [ "$(elf_machine "$binary")" != "$platform_machine" ] || ! grep -qxF "$platform_libc" <<<"$needed"; then
    rm -f "$binary"
  else
    # dh_strip's treatment of a shared library: keep the dynamic symbols Node resolves.
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$binary"
  fi
done <"$work/elf"

# stage_tree PKG DISTDIR...: the application tree of one package.
stage_tree() {
  local pkg=$1 lib="$stage/$1/usr/lib/$1"
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

# wrapper PKG NAME ENTRY [NODE_FLAGS]: /usr/bin/NAME runs ENTRY with Debian's node (and its V8
# flags), keeping the pid (exec) so systemd's main pid is the daemon itself.
wrapper() {
  mkdir -p "$stage/$1/usr/bin"
  printf '#!/bin/sh\nexec /usr/bin/node %s/usr/lib/%s/%s "$@"\n' "${4:+$4 }" "$1" "$3" > "$stage/$1/usr/bin/$2"
}

# copyright PKG: a machine-readable debian/copyright (DEP-5) for the whole tree: Mooring's own
# files, then one paragraph per bundled npm package with the licence its package.json declares, the
# copyright lines of its licence file and where that file is.
copyright() {
  (cd "$stage/$1" && node -e '
    const fs = require("node:fs");
    const path = require("node:path");
    const [pkg] = process.argv.slice(1);
    const out = [
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
      "Upstream-Name: mooring",
      "Upstream-Contact: Mooring developers <mooring@lists.invalid>",
      "",
      "Files: *",
      "Copyright: Mooring developers",
      "License: Apache-2.0",
      " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.",
    ];
    const modules = [];
    const walk = (dir) => {
      if (!fs.existsSync(dir)) return;
      for (const name of fs.readdirSync(dir).sort()) {
        const at = path.join(dir, name);
        if (name.startsWith("@")) { walk(at); continue; }
        if (fs.existsSync(path.join(at, "package.json"))) modules.push(at);
        walk(path.join(at, "node_modules"));
      }
    };
    walk(`usr/lib/${pkg}/node_modules`);
    for (const dir of modules) {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      const licence = typeof meta.license === "string" ? meta.license : meta.license?.type ?? "unknown";
      const texts = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort();
      const notices = new Set();
      for (const t of texts)
        for (const line of fs.readFileSync(path.join(dir, t), "utf8").split("\n"))
          // A notice names a year: "Copyright (c) 2016, Daniel Wirtz", not the template line
          // "Copyright {yyyy} {name of copyright owner}" of the Apache licence.
          if (/^\s*(copyright|©)(\s*(\(c\)|©))?\s*\d{4}/i.test(line)) notices.add(line.trim());
      const author = typeof meta.author === "string" ? meta.author : meta.author?.name;
      const holders = notices.size > 0 ? [...notices].slice(0, 6) : [author ?? `the ${meta.name} authors`];
      out.push("", `Files: ${dir}/*`, `Copyright: ${holders.join("\n ")}`, `License: ${licence}`);
      out.push(texts.length > 0 ? ` The full text is in /${dir}/${texts[0]}.` : ` ${meta.name} ships no licence file; its package.json names ${licence}.`);
      out.push(`Comment: ${meta.name} ${meta.version}, bundled from npm.`);
    }
    process.stdout.write(out.join("\n") + "\n");' "$1")
}

# docs PKG: README, changelog.Debian.gz, copyright, the unit.
docs() {
  local d="$stage/$1/usr/share/doc/$1"
  mkdir -p "$d" "$stage/$1/lib/systemd/system"
  cp README.md "$d/README.md"
  gzip -9nc packaging/debian/changelog > "$d/changelog.Debian.gz"
  copyright "$1" > "$d/copyright"
  cp "packaging/systemd/$1.service" "$stage/$1/lib/systemd/system/"
}

# The date of the newest changelog entry dates the manual pages, so a rebuild is byte-identical.
page_date=$(date -u -d "$(dpkg-parsechangelog -l packaging/debian/changelog -S Date)" +%Y-%m-%d)

# manpage PKG COMMAND ENTRY SUMMARY: /usr/share/man/man1/COMMAND.1.gz, written from the command's
# own --help and that of each of its commands, so the page says what the program in the package
# says and cannot drift from it.
manpage() {
  local dir="$stage/$1/usr/share/man/man1"
  mkdir -p "$dir"
  node -e '
    const { execFileSync } = require("node:child_process");
    const [pkg, command, entry, summary, version, date] = process.argv.slice(1);
    const help = (...args) => execFileSync(process.execPath, [entry, ...args, "--help"], { encoding: "utf8", env: { ...process.env, COLUMNS: "80" } });
    // roff: a backslash is \e; a line starting with . or '"'"' would be a request.
    const verbatim = (text) => [".nf", ...text.trimEnd().split("\n").map((l) => l.replace(/\\/g, "\\e").replace(/^([.'"'"'])/, "\\&$1")), ".fi"];
    const top = help();
    const [usage, ...rest] = top.trimEnd().split("\n");
    const section = /\nCommands:\n([\s\S]*)$/.exec(top)?.[1] ?? "";
    const commands = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).filter((c) => c !== "help");
    const page = [
      `.TH ${command.toUpperCase()} 1 "${date}" "mooring ${version}" "Mooring"`,
      ".SH NAME",
      `${command} \\- ${summary}`,
      ".SH SYNOPSIS",
      ...verbatim(usage.replace(/^Usage: /, "")),
      ".SH DESCRIPTION",
      ...verbatim(rest.join("\n").replace(/^\n+/, "")),
    ];
    if (commands.length > 0) page.push(".SH COMMANDS");
    for (const c of commands) page.push(".SS " + c, ...verbatim(help(c)));
    page.push(".SH SEE ALSO", `/usr/share/doc/${pkg}/README.md`);
    process.stdout.write(page.join("\n") + "\n");' "$1" "$2" "$3" "$4" "$version" "$page_date" |
    gzip -9n > "$dir/$2.1.gz"
}

stage_tree mooring-agent dist/agent dist/proto
wrapper mooring-agent mooring-agent dist/agent/src/main.js
manpage mooring-agent mooring-agent dist/agent/src/main.js 'Open vSwitch ports, SR-IOV and LXD on a smartNIC or VM host'
docs mooring-agent
mkdir -p "$stage/mooring-agent/etc/mooring"
cp packaging/config/agent.yaml "$stage/mooring-agent/etc/mooring/agent.yaml"

stage_tree mooring-coordinator dist/coordinator dist/proto
# The web console's static files (npm run build bundles them), beside dist/coordinator/ where the
# coordinator looks for them. The source maps stay out: the page runs without them.
[ -f dist/console/index.html ] || { echo "build-debs: dist/console/index.html is missing: run npm run build" >&2; exit 1; }
mkdir -p "$stage/mooring-coordinator/usr/lib/mooring-coordinator/dist/console"
find dist/console -maxdepth 1 -type f ! -name '*.map' -exec cp -t "$stage/mooring-coordinator/usr/lib/mooring-coordinator/dist/console" {} +
# The coordinator's V8 flags, from the one place the tests and benchmarks take them too, then the
# operator's own from the environment (unquoted: the shell splits them into words when it runs).
coordinator_flags=$(node --input-type=module -e 'const { COORDINATOR_NODE_FLAGS, NODE_FLAGS_ENV } = await import(process.argv[1]); process.stdout.write([...COORDINATOR_NODE_FLAGS, "$" + NODE_FLAGS_ENV].join(" "))' "$ROOT/dist/coordinator/src/node-flags.js")
wrapper mooring-coordinator mooring-coordinator dist/coordinator/src/main.js "$coordinator_flags"
wrapper mooring-coordinator moorctl dist/coordinator/src/cli/main.js
manpage mooring-coordinator mooring-coordinator dist/coordinator/src/main.js 'inventory, tenancy, allocation, BMC power and the gRPC API'
manpage mooring-coordinator moorctl dist/coordinator/src/cli/main.js 'command line of the Mooring coordinator'
docs mooring-coordinator
# The console bundle compiles in Preact and preact-iso (MIT) beside Mooring's own code. They are
# development packages, not in the shipped node_modules, so the copyright file carries the MIT text
# itself: a paragraph for app.js naming both licences, then the MIT licence as written by Preact.
node -e '
  const fs = require("node:fs");
  const notices = ["Mooring developers"];
  const names = [];
  let mit = "";
  for (const name of ["preact", "preact-iso"]) {
    const dir = `node_modules/${name}`;
    const meta = JSON.parse(fs.readFileSync(`${dir}/package.json`, "utf8"));
    const text = fs.readFileSync(`${dir}/${fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f))}`, "utf8");
    notices.push((text.split("\n").find((l) => /^\s*copyright/i.test(l)) || `the ${name} authors`).trim());
    names.push(`${name} ${meta.version} (${meta.license})`);
    if (name === "preact") mit = text;
  }
  // DEP-5: the text of a standalone License paragraph is indented, an empty line written " .".
  const body = mit.trim().split("\n").filter((l) => !/^\s*(the mit license|copyright)/i.test(l)).join("\n").trim();
  console.log(["", "Files: usr/lib/mooring-coordinator/dist/console/*", `Copyright: ${notices.join("\n ")}`,
    "License: Apache-2.0 and MIT", `Comment: app.js bundles ${names.join(" and ")} with esbuild.`, "",
    "License: MIT", ...body.split("\n").map((l) => (l.trim() ? ` ${l.trim()}` : " ."))].join("\n"));' \
  >> "$stage/mooring-coordinator/usr/share/doc/mooring-coordinator/copyright"
mkdir -p "$stage/mooring-coordinator/etc/mooring" "$stage/mooring-coordinator/usr/lib/sysusers.d"
cp packaging/config/coordinator.yaml "$stage/mooring-coordinator/etc/mooring/coordinator.yaml"
cp packaging/debian/mooring-coordinator.sysusers "$stage/mooring-coordinator/usr/lib/sysusers.d/mooring-coordinator.conf"

# finish PKG DESCRIPTION DEPENDS RECOMMENDS: modes, maintainer scripts, md5sums, control, dpkg-deb.
finish() {
  local pkg=$1 tree="$stage/$1"
  find "$tree" -type d -exec chmod 0755 {} +
  find "$tree" -type f -exec chmod 0644 {} +
  chmod 0755 "$tree"/usr/bin/*
  # A file that starts with #! is a script: executable, as its first line says (lintian:
  # script-not-executable). The bundled packages' command-line tools are such files.
  find "$tree/usr/lib" -type f -print0 | perl -0ne 'chomp; open my $f, "<", $_ or next; read $f, my $m, 2; print "$_\0" if $m eq "#!"' | xargs -0r chmod 0755
  [ -f "$tree/etc/mooring/agent.yaml" ] && chmod 0600 "$tree/etc/mooring/agent.yaml" # may come to hold the enrollment token
  mkdir -p "$tree/DEBIAN"
  for script in postinst prerm postrm; do
    sed -e "s/@PACKAGE@/$pkg/g" "packaging/debian/$script" > "$tree/DEBIAN/$script"
    chmod 0755 "$tree/DEBIAN/$script"
  done
  (cd "$tree" && find etc -type f | sed 's|^|/|' | sort) > "$tree/DEBIAN/conffiles"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$tree/DEBIAN/md5sums"
  local size shlibs
  size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
  # What the native modules link against, as dpkg-shlibdeps resolves it through this system's
  # shlibs and symbols files. --warnings=0: it warns about every N-API and V8 symbol, which node
  # itself provides when it loads the module.
  shlibs=$(cd "$work" && find "debian/$pkg" -type f -name '*.node' -print0 | xargs -0r dpkg-shlibdeps --warnings=0 -O | sed -n 's/^shlibs:Depends=//p')
  {
    echo "Package: $pkg"
    echo "Version: $debversion"
    echo "Architecture: $arch"
    echo "Maintainer: Mooring developers <mooring@lists.invalid>"
    echo "Installed-Size: $size"
    echo "Depends: $3${shlibs:+, $shlibs}"
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
