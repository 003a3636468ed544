# Shell functions shared by the deploy ramdisk build (packaging/ramdisk/build.sh) and the test
# image build (test/ramdisk/build-test-image.sh): fetch Debian packages without installing them,
# unpack the kernel once per package version, assemble an initramfs from busybox, the closure of a
# module list and an /init, and pack it reproducibly. Sourced, never run; callers set
# `set -euo pipefail`. Both builds may run at once: downloads and unpacking take a lock.
ramdisk_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ramdisk_inputs DEBS_DIR: the candidate linux-image and busybox-static .debs in DEBS_DIR
# (downloaded when missing, one download at a time per dir). Sets ramdisk_debs (both, sorted),
# ramdisk_kernel_deb and ramdisk_busybox_deb.
ramdisk_inputs() {
  local dir=$1 kernel_pkg list
  kernel_pkg=$(ramdisk_kernel_package)
  [ -n "$kernel_pkg" ] || { echo "ramdisk: linux-image-amd64 points at no kernel package (apt-get update?)" >&2; return 1; }
  mkdir -p "$dir"
  list=$(
    exec 8>"$dir/.lock"
    flock 8
    ramdisk_fetch_debs "$dir" "$kernel_pkg" busybox-static
  )
  mapfile -t ramdisk_debs <<<"$list"
  ramdisk_kernel_deb=$(printf '%s\n' "${ramdisk_debs[@]}" | grep '/linux-image-')
  ramdisk_busybox_deb=$(printf '%s\n' "${ramdisk_debs[@]}" | grep '/busybox-static_')
}

# ramdisk_unpacked_kernel KERNEL_DEB: sets ramdisk_tree to the directory the kernel package is
# unpacked in (ramdisk_kernel_tree), DEB's dir/trees/NAME, unpacking it on first use; other
# versions' trees go. Unpacking (xz) is most of a build's time, and every build of one kernel
# version reads the same tree.
ramdisk_unpacked_kernel() {
  local deb=$1 trees
  trees=$(dirname "$deb")/trees
  ramdisk_tree=$trees/$(basename "$deb" .deb)
  mkdir -p "$trees"
  (
    exec 8>"$trees/.lock"
    flock 8
    if [ ! -e "$ramdisk_tree/.unpacked" ]; then
      find "$trees" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
      work=$(mktemp -d "$trees/.work.XXXXXX")
      ramdisk_kernel_tree "$deb" "$work"
      touch "$work/.unpacked"
      mv "$work" "$ramdisk_tree"
    fi
  )
}

# ramdisk_assemble TREE BUSYBOX_DEB INIT ROOT OUT MODULE...: builds the initramfs in the empty dir
# ROOT (busybox, the modules' closure from the unpacked kernel TREE, INIT as /init, udhcpc.script)
# and writes OUT/initrd.img and OUT/vmlinuz (TREE's kernel).
ramdisk_assemble() {
  local tree=$1 busybox_deb=$2 init=$3 root=$4 out=$5
  shift 5
  mkdir -p "$root"/{dev,proc,sys,tmp,mnt,etc,root} "$out"
  ramdisk_add_busybox "$busybox_deb" "$root"
  ramdisk_add_modules "$tree" "$root" "$@"
  cp "$init" "$root/init"
  cp "$ramdisk_lib_dir/udhcpc.script" "$root/udhcpc.script"
  chmod 0755 "$root/init" "$root/udhcpc.script"
  ramdisk_pack "$root" "$out/initrd.img"
  cp "$tree"/boot/vmlinuz-* "$out/vmlinuz"
}

# The binary package that linux-image-amd64 (a metapackage) points at, e.g. linux-image-6.1.0-57-amd64.
ramdisk_kernel_package() {
  apt-cache depends --no-recommends --no-suggests linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# ramdisk_fetch_debs DIR PKG...: downloads each package's candidate .deb into DIR unless the same
# file (its name carries the version) is already there. Prints the .deb paths, one a line, sorted.
# One apt-cache call for all (each loads the whole package cache: about a CPU second).
ramdisk_fetch_debs() {
  local dir=$1
  shift
  mkdir -p "$dir"
  local pkg version file want=() found
  declare -A candidate=()
  while read -r pkg version; do candidate[$pkg]=$version; done < <(apt-cache policy "$@" |
    awk '/^[^ ]/ { p = $1; sub(/:$/, "", p) } $1 == "Candidate:" { print p, $2 }')
  for pkg in "$@"; do
    version=${candidate[$pkg]:-}
    if [ -z "$version" ] || [ "$version" = "(none)" ]; then
      echo "ramdisk: no candidate version of Debian package $pkg (run apt-get update?)" >&2
      return 1
    fi
    # apt-get download names files NAME_VERSION_ARCH.deb with the epoch's ':' as %3a.
    found=("$dir/${pkg}_${version//:/%3a}_"*.deb)
    file=${found[0]}
    if [ ! -s "$file" ]; then
      (cd "$dir" && apt-get download -q "$pkg=$version" >/dev/null 2>"$dir/.download.err") || {
        cat "$dir/.download.err" >&2
        echo "ramdisk: apt-get download $pkg=$version failed" >&2
        return 1
      }
      found=("$dir/${pkg}_${version//:/%3a}_"*.deb)
      file=${found[0]}
    fi
    want+=("$file")
  done
  printf '%s\n' "${want[@]}" | LC_ALL=C sort
}

# ramdisk_inputs_key FILE...: one sha256 over the named files' sha256 sums (the cache key).
# A .deb's sum is kept beside it (FILE.sha256): its name carries its version, so it never changes.
ramdisk_inputs_key() {
  local f
  for f in "$@"; do
    case $f in
      *.deb)
        [ -s "$f.sha256" ] && [ "$f.sha256" -nt "$f" ] || sha256sum "$f" | cut -d' ' -f1 >"$f.sha256"
        cat "$f.sha256"
        ;;
      *) sha256sum "$f" | cut -d' ' -f1 ;;
    esac
  done | sha256sum | cut -d' ' -f1
}

# ramdisk_kernel_tree KERNEL_DEB DIR: unpacks the kernel package into DIR (no maintainer scripts)
# and runs depmod there, since the package ships no modules.dep (its postinst makes it).
ramdisk_kernel_tree() {
  local deb=$1 dir=$2 kver
  mkdir -p "$dir"
  dpkg-deb -x "$deb" "$dir"
  kver=$(ls "$dir/lib/modules")
  depmod -b "$dir" "$kver"
}

# ramdisk_add_modules TREE ROOT MODULE...: copies each module and what it depends on from the
# unpacked kernel TREE into the initramfs ROOT under /lib/modules/, and writes
# ROOT/lib/modules/load-order: the .ko files in an order insmod can take them (dependencies first).
ramdisk_add_modules() {
  local tree=$1 root=$2
  shift 2
  local kver
  kver=$(ls "$tree/lib/modules")
  local dep="$tree/lib/modules/$kver/modules.dep"
  local builtin="$tree/lib/modules/$kver/modules.builtin"
  mkdir -p "$root/lib/modules"
  : >"$root/lib/modules/load-order"
  local m path
  for m in "$@"; do
    path=$(awk -F: -v m="$m" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n)
                                 if (n == m) { print $1; exit } }' "$dep")
    if [ -z "$path" ]; then
      if awk -v m="$m" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko$/, "", n); gsub(/-/, "_", n); if (n == m) f = 1 } END { exit !f }' "$builtin"; then
        continue # built into this kernel
      fi
      echo "ramdisk: module $m is not in kernel $kver" >&2
      return 1
    fi
    ramdisk_add_module_path "$tree/lib/modules/$kver" "$dep" "$path" "$root"
  done
}

# One module path (relative to the modules dir) with its dependencies first, each once.
ramdisk_add_module_path() {
  local mdir=$1 dep=$2 path=$3 root=$4 d name
  name=${path##*/}
  grep -qxF "$name" "$root/lib/modules/load-order" && return 0
  # modules.dep lists a module's dependencies so that the last one must load first.
  for d in $(awk -F': *' -v p="$path" '$1 == p { print $2; exit }' "$dep" | tr ' ' '\n' | tac); do
    ramdisk_add_module_path "$mdir" "$dep" "$d" "$root"
  done
  grep -qxF "$name" "$root/lib/modules/load-order" && return 0
  cp "$mdir/$path" "$root/lib/modules/$name"
  echo "$name" >>"$root/lib/modules/load-order"
}

# ramdisk_add_busybox BUSYBOX_DEB ROOT: the static busybox at ROOT/bin/busybox with a link per
# applet the scripts use (busybox --install would need it to run inside ROOT at build time).
ramdisk_add_busybox() {
  local deb=$1 root=$2 tmp a
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  mkdir -p "$root/bin" "$root/sbin"
  cp "$tmp/bin/busybox" "$root/bin/busybox"
  rm -rf "$tmp"
  for a in $("$root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
}

# ramdisk_pack ROOT OUT: ROOT as a gzip'd newc cpio with sorted names, owner 0:0, every mtime at
# SOURCE_DATE_EPOCH (default 0), normalised modes and no gzip name/time: the same bytes every time.
ramdisk_pack() {
  local root=$1 out=$2
  local epoch=${SOURCE_DATE_EPOCH:-0}
  find "$root" -type d -exec chmod 0755 {} +
  find "$root" -type f -perm -u+x -exec chmod 0755 {} +
  find "$root" -type f ! -perm -u+x -exec chmod 0644 {} +
  find "$root" -exec touch -h -d "@$epoch" {} +
  (cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    cpio --quiet -o -H newc --reproducible -R 0:0) | gzip -n -9 >"$out.tmp"
  mv "$out.tmp" "$out"
}
