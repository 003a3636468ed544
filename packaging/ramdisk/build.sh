#!/usr/bin/env bash
# Builds the deploy ramdisk (a kernel and an initramfs) from Debian packages, reproducibly, and
# prints the directory holding vmlinuz and initrd.img. The result is cached under
# build/ramdisk/<key>/, key = sha256 over the input .debs, /init, this script and its library: a
# second run with the same inputs only checks the candidate versions and returns the cached path.
# Needs apt-get (download only, nothing is installed), dpkg-deb, depmod, GNU cpio and gzip.
#   bash packaging/ramdisk/build.sh [--build-dir DIR] [--debs-dir DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_dir=$repo/build/ramdisk
debs_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --debs-dir) debs_dir=$2; shift 2 ;;
    *) echo "build.sh: unknown argument $1 (usage: build.sh [--build-dir DIR] [--debs-dir DIR])" >&2; exit 2 ;;
  esac
done
debs_dir=${debs_dir:-$build_dir/debs}
# shellcheck source=initramfs-lib.sh
. "$here/initramfs-lib.sh"

# Disk and network drivers of QEMU machines (virtio, e1000) and of common servers (AHCI, NVMe),
# and FAT for the NoCloud seed. Whatever each needs comes along.
modules=(virtio_pci virtio_blk virtio_net e1000 ahci sd_mod nvme vfat nls_cp437 nls_ascii)

mkdir -p "$build_dir"
# One build at a time per build dir (tests build on demand, in parallel files).
exec 9>"$build_dir/.lock"
flock 9

ramdisk_inputs "$debs_dir"
key=$(ramdisk_inputs_key "${ramdisk_debs[@]}" "$here/init" "$here/udhcpc.script" "$here/build.sh" "$here/initramfs-lib.sh")
out=$build_dir/$key
if [ -s "$out/initrd.img" ] && [ -s "$out/vmlinuz" ]; then
  echo "$out"
  exit 0
fi

work=$(mktemp -d "$build_dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
ramdisk_unpacked_kernel "$ramdisk_kernel_deb"
tree=$ramdisk_tree
root=$work/root
ramdisk_assemble "$tree" "$ramdisk_busybox_deb" "$here/init" "$root" "$work/out" "${modules[@]}"
{
  echo "key=$key"
  echo "kernel=$(ls "$tree/lib/modules")"
  for d in "${ramdisk_debs[@]}"; do echo "deb=${d##*/} $(sha256sum "$d" | cut -d' ' -f1)"; done
  echo "modules=$(tr '\n' ' ' <"$root/lib/modules/load-order")"
} >"$work/out/manifest"
rm -rf "$out"
mv "$work/out" "$out"
# Older builds (other keys) go: one cached build per build dir.
find "$(dirname "$out")" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{64}' ! -path "$out" -exec rm -rf {} +
echo "$out"
