#!/usr/bin/env bash
# Builds Mooring's minimal test image (test/ramdisk/first-boot-init: a Debian kernel and busybox
# standing in for an OS with cloud-init) as a raw MBR disk image, without root or loop devices:
# partition 1 (bootable, FAT, from 1 MiB) holds SYSLINUX, the kernel and an initramfs with the
# first-boot script; the rest of the disk is free for the NoCloud seed partition. Cached like the
# ramdisk under build/test-image/<key>/disk.img. Needs dosfstools, mtools, syslinux, syslinux-common.
#   bash test/ramdisk/build-test-image.sh [--build-dir DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_dir=$repo/build
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    *) echo "build-test-image.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=../../packaging/ramdisk/initramfs-lib.sh
. "$repo/packaging/ramdisk/initramfs-lib.sh"
mkdir -p "$build_dir/test-image"
exec 9>"$build_dir/test-image/.lock"
flock 9

ramdisk_inputs "$build_dir/ramdisk/debs"
mbr=/usr/lib/syslinux/mbr/mbr.bin
key=$(ramdisk_inputs_key "${ramdisk_debs[@]}" "$here/first-boot-init" "$here/build-test-image.sh" \
  "$repo/packaging/ramdisk/initramfs-lib.sh" "$repo/packaging/ramdisk/udhcpc.script" "$mbr" /usr/bin/syslinux)
out=$build_dir/test-image/$key
if [ -s "$out/disk.img" ]; then
  echo "$out"
  exit 0
fi
work=$(mktemp -d "$build_dir/test-image/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
ramdisk_unpacked_kernel "$ramdisk_kernel_deb"
tree=$ramdisk_tree
ramdisk_assemble "$tree" "$ramdisk_busybox_deb" "$here/first-boot-init" "$work/root" "$work" virtio_pci virtio_blk virtio_net vfat nls_cp437 nls_ascii
cat >"$work/syslinux.cfg" <<'CFG'
SERIAL 0 115200
DEFAULT first-boot
PROMPT 0
TIMEOUT 0
LABEL first-boot
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND console=ttyS0 quiet
CFG

# 1 MiB before the partition, a 16 MiB FAT partition: 17 MiB in all.
part_start=2048
part_sectors=32768
disk=$work/disk.img
truncate -s $(((part_start + part_sectors) * 512)) "$disk"
mkfs.fat --invariant -i 4d4f4f52 -n MOORTEST -h $part_start --offset=$part_start "$disk" $((part_sectors / 2)) >/dev/null
export MTOOLS_SKIP_CHECK=1 SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
for f in vmlinuz initrd.img syslinux.cfg; do mcopy -m -i "$disk@@$((part_start * 512))" "$work/$f" "::/$f"; done
syslinux --offset $((part_start * 512)) --install "$disk"
dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
# Partition 1: bootable (0x80), CHS at the LBA-only maximum, type 0x0c (FAT32 LBA), start, sectors.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
printf "\\x80\\xfe\\xff\\xff\\x0c\\xfe\\xff\\xff$(le32 $part_start)$(le32 $part_sectors)" |
  dd of="$disk" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$disk" bs=1 seek=510 conv=notrunc status=none
mkdir -p "$work/out"
mv "$disk" "$work/out/disk.img"
rm -rf "$out"
mv "$work/out" "$out"
# Older builds (other keys) go: one cached build per build dir.
find "$(dirname "$out")" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{64}' ! -path "$out" -exec rm -rf {} +
echo "$out"
