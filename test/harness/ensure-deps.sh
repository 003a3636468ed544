#!/usr/bin/env bash
# Installs what Mooring's tests, benchmarks and lab need on a Debian 12 machine, idempotently:
# Debian packages (only the missing ones, one apt-get update at most) and the npm packages
# (only when package-lock.json changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/../.."

debs=(
  openvswitch-switch   # ovsdb-server, ovs-vswitchd, ovs-vsctl, vswitch.ovsschema
  openipmi             # ipmi_sim
  ipmitool
  lxd                  # LXD 5.0.x
  busybox-static       # root filesystem for test containers
  python3-ovsdbapp     # benchmark peer (OpenStack's OVSDB library)
  python3-openvswitch
  ovn-central          # ovsdb-servers for OVN_Northbound/OVN_Southbound, ovn-northd, ovn-nbctl, ovn-trace
  ovn-host             # ovn-controller on each smartNIC (works with the dummy datapath)
  python3-pylxd        # benchmark peer
  openssl
  iproute2
  systemd              # systemd-analyze verify and systemd-sysusers for the units and packages
  dpkg-dev             # dpkg-deb, dpkg-shlibdeps (and binutils: strip, readelf) for npm run package
  lintian              # the packages' check: no lintian error (test/packaging/debs.test.ts)
  python3              # /usr/bin/python3: the NOTIFY_SOCKET receiver in the packaging tests
  strace               # the system calls the daemons make, against their units' SystemCallFilter
  protobuf-compiler    # protoc: npm run proto:gen/proto:check compile the reflection descriptor set
  libprotobuf-dev      # google/protobuf/*.proto, the imports protoc resolves
  python3-grpcio       # a foreign gRPC client: reflection and calls in test/harness/reflection_client.py
  python3-protobuf     # its protobuf (C++ descriptor pool), validating the reflected descriptors
  prometheus           # promtool: `promtool check metrics` on the agent's and the coordinator's /metrics
  chromium             # the web console's browser tests (driven by playwright-core; nothing downloads a browser)
  fonts-dejavu-core    # a font for the console's screenshots
  etcd-server          # highly available coordinators: the etcd store backend's tests start 3-member clusters
  etcd-client          # etcdctl: the tests' independent view of the etcd store
  qemu-system-x86      # machines as real VMs (test/harness/qemu-machine.ts): KVM, or TCG where KVM is missing or slower
  ipxe-qemu            # the iPXE ROMs QEMU's NICs netboot with
  ethtool              # TX checksum offload off on veths into OVS's userspace datapath (ovs-netdev-smartnic.ts)
  tcpdump              # the frames OVS delivers to a VM's tap (test/harness/ovs-netdev-capture.ts)
  cpio                 # GNU cpio: the deploy ramdisk's reproducible initramfs (packaging/ramdisk/)
  kmod                 # depmod: the module dependencies of the unpacked Debian kernel
  dosfstools           # mkfs.fat: the minimal test image's boot partition
  mtools               # mcopy/mtype: files into and out of FAT images without mounting
  syslinux             # the minimal test image's boot loader (installs through mtools, no root mount)
  syslinux-common      # mbr.bin
  util-linux           # blkid: the label cloud-init would see on the NoCloud seed
)
names=()
for entry in "${debs[@]}"; do names+=("${entry%% *}"); done

# One dpkg-query for all of them (it exits 1 when it knows a name not at all: that one is missing).
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${names[@]}" 2>/dev/null || true)
missing=()
for p in "${names[@]}"; do
  grep -qxF "$p install ok installed" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-deps: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then echo "ensure-deps: need root to install ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Package scripts must not start the host's own Open vSwitch or LXD: policy-rc.d 101 forbids service starts.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; created_policy=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$created_policy" = 1 ] && rm -f "$policy"
fi

stamp=node_modules/.mooring-deps-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ensure-deps: installing npm packages"
  # npm ci installs exactly package-lock.json (every platform's optional packages are in it) and
  # never rewrites it.
  npm ci --no-audit --no-fund --loglevel=error
  # The install must leave the checkout as it was: a rewritten lock file means it is incomplete.
  if [ "$(sha256sum package-lock.json | cut -d' ' -f1)" != "$want" ]; then
    echo "ensure-deps: npm ci rewrote package-lock.json; commit a complete lock file" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi

