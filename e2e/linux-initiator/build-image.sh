#!/usr/bin/env bash
# Builds the initiator VM from the Debian packages installed on this host:
#   vmlinux      the uncompressed kernel (ELF, booted by qemu through PVH)
#   base.cpio    initramfs: busybox, open-iscsi, e2fsprogs, util-linux, sg3-utils, coreutils dd,
#                the kernel modules for iSCSI/SCSI disks/ext4/virtio-net, /init and the guest library
#   fio.cpio     a layer with fio and its (large) shared libraries, appended only when a scenario asks
# Everything goes to e2e/linux-initiator/cache/ (git-ignored), keyed on the package versions of
# every file copied plus the hash of this script and of guest/; a second run with the same inputs
# is a no-op. Prints the image directory on the last line of stdout.
#
# Usage: build-image.sh [--force] [--quiet]
# Env:   E2E_KVER   kernel release to use (default: newest /lib/modules/* with a /boot/vmlinuz-*)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$HERE/cache}
GUEST=$HERE/guest
FORCE=0 QUIET=0
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    --quiet) QUIET=1 ;;
    *) echo "usage: $0 [--force] [--quiet]" >&2; exit 2 ;;
  esac
done

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { [ "$QUIET" = 1 ] || echo "[build-image] $*" >&2; }
die() { echo "[build-image] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- inputs
need_cmds="cpio od tail head xz sha256sum dpkg-query ldd depmod modinfo flock busybox"
for c in $need_cmds; do command -v "$c" >/dev/null || die "missing host command: $c (run e2e/ci.sh --install-only, or apt-get install the packages listed in e2e/README.md)"; done

if [ -z "${E2E_KVER:-}" ]; then
  E2E_KVER=
  for d in $(ls -1d /lib/modules/*/ 2>/dev/null | sort -V); do
    k=$(basename "$d")
    [ -f "/boot/vmlinuz-$k" ] && [ -f "$d/modules.dep" ] && E2E_KVER=$k
  done
  [ -n "$E2E_KVER" ] || die "no kernel found: apt-get install linux-image-amd64"
fi
KVER=$E2E_KVER
VMLINUZ=/boot/vmlinuz-$KVER
MODDIR=/lib/modules/$KVER
[ -r "$VMLINUZ" ] || die "$VMLINUZ not readable"

# Binaries copied into the base image (with their shared libraries). Paths as on Debian 12.
BASE_BINS=(
  /usr/sbin/iscsid /usr/bin/iscsiadm /usr/sbin/iscsi-iname
  /usr/sbin/mke2fs /usr/sbin/e2fsck /usr/sbin/dumpe2fs /usr/sbin/tune2fs
  /usr/bin/lsblk /usr/sbin/blkdiscard /usr/sbin/fstrim /usr/sbin/blockdev /usr/sbin/fsck /usr/bin/findmnt
  /usr/sbin/blkid
  /usr/bin/sg_inq /usr/bin/sg_vpd /usr/bin/sg_readcap /usr/bin/sg_luns /usr/bin/sg_turs
  /usr/bin/sg_unmap /usr/bin/sg_sync /usr/bin/sg_modes /usr/bin/sg_rtpg /usr/bin/sg_opcodes
  /usr/bin/sg_requests /usr/bin/sg_write_same /usr/bin/sg_get_lba_status
)
# dd, sha256sum, cmp, tee... are busybox's: Debian's static busybox sh runs its own applets
# before searching PATH (FEATURE_SH_STANDALONE), so copies of coreutils would not be used.
FIO_BINS=( /usr/bin/fio )
# Kernel modules wanted (dependencies are added from modules.dep). Crypto/CRC providers that
# other modules request by name at run time (ext4 -> crc32c, t10-pi -> crct10dif, crc64-rocksoft)
# are listed explicitly: the kernel's request_module would need them anyway.
MODULES=(
  virtio_pci virtio_net failover net_failover
  scsi_transport_iscsi libiscsi libiscsi_tcp iscsi_tcp
  sd_mod sg
  crc32c_generic crc32c_intel crct10dif_generic crct10dif_pclmul crc64_rocksoft_generic
  crc16 mbcache jbd2 ext4
)

resolve_libs() {  # prints the binaries and every library they load (real paths as ldd names them)
  local b
  for b in "$@"; do
    [ -e "$b" ] || die "missing $b (is its package installed?)"
    echo "$b"
    ldd "$b" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]*ld-linux/ {print $1}'
  done | sort -u
}

module_paths() {  # all module files (relative to $MODDIR) needed for MODULES, dependencies first
  local m f rel line
  for m in "${MODULES[@]}"; do
    f=$(modinfo -k "$KVER" -n "$m" 2>/dev/null) || die "kernel module $m not found for $KVER"
    case $f in /*) ;; *) continue ;; esac  # "(builtin)"
    rel=${f#"$MODDIR"/}
    line=$(grep -E "^${rel}:" "$MODDIR/modules.dep") || die "$rel not in modules.dep"
    # modules.dep lists the dependencies of a module, the deepest last
    for d in $(echo "${line#*:}" | tr ' ' '\n' | tac); do echo "$d"; done
    echo "$rel"
  done | awk '!seen[$0]++'
}

mapfile -t BASE_FILES < <(resolve_libs "${BASE_BINS[@]}" /bin/busybox)
mapfile -t FIO_FILES < <(resolve_libs "${FIO_BINS[@]}")
mapfile -t MOD_FILES < <(module_paths)

# Cache key: versions of every package owning a copied file, the kernel, this script and guest/.
owner_pkgs() {
  { dpkg-query -S "$@" 2>/dev/null || true; } | sed 's/: .*//; s/, /\n/g' | sed 's/:.*//' | sort -u
}
real_paths() { local p; for p in "$@"; do readlink -f "$p"; done; }
# shellcheck disable=SC2046 # Debian paths have no blanks
mapfile -t PKGS < <( { owner_pkgs $(real_paths "${BASE_FILES[@]}" "${FIO_FILES[@]}") "${BASE_FILES[@]}" "${FIO_FILES[@]}" "$VMLINUZ";
                       echo busybox-static; echo open-iscsi; } | sort -u )
PKG_VERSIONS=$(dpkg-query -W -f '${Package}=${Version}\n' "${PKGS[@]}" 2>/dev/null | sort -u)
KEY_INPUT=$(
  echo "kver=$KVER"
  echo "$PKG_VERSIONS"
  sha256sum "$0" | cut -d' ' -f1
  (cd "$GUEST" && find . -type f | sort | xargs sha256sum)
)
KEY=$(printf '%s\n' "$KEY_INPUT" | sha256sum | cut -c1-16)
KPKG=$(dpkg-query -S "$VMLINUZ" 2>/dev/null | sed 's/:.*//' | head -1)
KPKGVER=$(dpkg-query -W -f '${Version}' "$KPKG" 2>/dev/null || echo unknown)
KDIR=$CACHE/kernel-$KVER-$KPKGVER
IMG=$CACHE/image-$KEY

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [ "$FORCE" = 0 ] && [ -f "$IMG/ok" ] && [ -f "$KDIR/vmlinux" ]; then
  log "cache hit: $IMG"
  ln -sfn "$(basename "$IMG")" "$CACHE/current"
  echo "$IMG"
  exit 0
fi

T0=$(date +%s.%N)
log "building image $KEY for kernel $KVER"

# ---------------------------------------------------------------- vmlinux
# The bzImage's setup header (boot protocol >= 2.08) says where the compressed kernel is:
# setup_sects at 0x1f1, "HdrS" at 0x202, payload_offset at 0x248, payload_length at 0x24c, the
# payload starting after the (setup_sects + 1) * 512 bytes of real-mode code. If the header does
# not help, scan the file for the magic of each compressor and try every hit.
u8()  { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
is_elf() { [ -s "$1" ] && [ "$(od -An -tx1 -N4 "$1" | tr -d ' ')" = 7f454c46 ] && [ "$(stat -c %s "$1")" -gt 4000000 ]; }
decompress_at() {  # file offset(0-based) length|"" out
  local f=$1 off=$2 len=$3 out=$4 magic cmd
  magic=$(od -An -tx1 -j "$off" -N6 "$f" | tr -d ' \n')
  case $magic in
    fd377a585a00*) cmd="xz -dc --single-stream -q" ;;
    28b52ffd*)     cmd="zstd -dcq" ;;
    1f8b*)         cmd="gzip -dcq" ;;
    5d0000*)       cmd="xz -dc --format=lzma -q" ;;
    02214c18*)     cmd="lz4 -dcq" ;;
    425a68*)       cmd="bzip2 -dcq" ;;
    894c5a4f*)     cmd="lzop -dcq" ;;
    *) return 1 ;;
  esac
  command -v "${cmd%% *}" >/dev/null || { log "no ${cmd%% *} to decompress the kernel"; return 1; }
  # compressed streams are followed by the kernel's 4-byte size: tolerate trailing bytes
  if [ -n "$len" ]; then
    tail -c +"$((off + 1))" "$f" | head -c "$len" | $cmd > "$out" 2>/dev/null || true
    is_elf "$out" && return 0
    tail -c +"$((off + 1))" "$f" | head -c "$((len - 4))" | $cmd > "$out" 2>/dev/null || true
  else
    tail -c +"$((off + 1))" "$f" | $cmd > "$out" 2>/dev/null || true
  fi
  is_elf "$out"
}
extract_vmlinux() {
  local in=$1 out=$2 ss poff plen start m off
  if [ "$(dd if="$in" bs=1 skip=$((0x202)) count=4 status=none)" = HdrS ]; then
    ss=$(u8 "$in" $((0x1f1))); [ "$ss" = 0 ] && ss=4
    poff=$(u32 "$in" $((0x248))); plen=$(u32 "$in" $((0x24c)))
    start=$(( (ss + 1) * 512 + poff ))
    if [ "$plen" -gt 0 ] && decompress_at "$in" "$start" "$plen" "$out"; then
      log "vmlinux: payload at $start ($plen bytes) from the setup header"; return 0
    fi
  fi
  for m in '\xfd\x37\x7a\x58\x5a\x00' '\x28\xb5\x2f\xfd' '\x1f\x8b\x08' '\x5d\x00\x00' '\x02\x21\x4c\x18' '\x42\x5a\x68' '\x89\x4c\x5a\x4f'; do
    for off in $(LC_ALL=C grep -obUaP "$m" "$in" | cut -d: -f1 | head -20); do
      if decompress_at "$in" "$off" "" "$out"; then log "vmlinux: payload found by magic at $off"; return 0; fi
    done
  done
  return 1
}
if [ ! -f "$KDIR/vmlinux" ]; then
  mkdir -p "$KDIR"
  extract_vmlinux "$VMLINUZ" "$KDIR/vmlinux.tmp" || die "could not extract vmlinux from $VMLINUZ"
  mv "$KDIR/vmlinux.tmp" "$KDIR/vmlinux"
fi

# ---------------------------------------------------------------- base initramfs
STAGE=$(mktemp -d "$CACHE/stage.XXXXXX")
trap 'rm -rf "$STAGE" "$STAGE.fio"' EXIT
R=$STAGE
mkdir -p "$R"/usr/{bin,sbin,lib,lib64} "$R"/{dev,proc,sys,tmp,run,mnt,root,etc,var,scenario}
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
ln -s ../run "$R/var/run"; mkdir -p "$R/var/lock" "$R/var/tmp"

copy_into() {  # root file...: copy each file to the same path under root (symlinks resolved)
  local root=$1 f; shift
  for f in "$@"; do
    case $f in /lib/*|/lib64/*|/bin/*|/sbin/*) dst=/usr$f ;; *) dst=$f ;; esac
    mkdir -p "$root$(dirname "$dst")"
    cp -L "$f" "$root$dst"
  done
}
copy_into "$R" "${BASE_FILES[@]}"
# busybox applets for everything not copied from the real packages
while read -r app; do
  case $app in /*) app=${app#/} ;; esac
  case $app in bin/*|sbin/*) app=usr/$app ;; esac
  [ -e "$R/$app" ] || [ -L "$R/$app" ] || ln -s /usr/bin/busybox "$R/$app"
done < <(busybox --list-full)
ln -sf mke2fs "$R/usr/sbin/mkfs.ext4"; ln -sf e2fsck "$R/usr/sbin/fsck.ext4"
ln -sf busybox "$R/usr/bin/sh"

# kernel modules, uncompressed, with a modules.dep made by depmod for busybox modprobe
for rel in "${MOD_FILES[@]}"; do
  src=$MODDIR/$rel
  dst=$R/lib/modules/$KVER/${rel%.xz}; dst=${dst%.zst}; dst=${dst%.gz}
  mkdir -p "$(dirname "$dst")"
  case $rel in
    *.ko.xz)  xz -dc "$src" > "$dst" ;;
    *.ko.zst) zstd -dcq "$src" > "$dst" ;;
    *.ko.gz)  gzip -dc "$src" > "$dst" ;;
    *)        cp "$src" "$dst" ;;
  esac
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
  [ -f "$MODDIR/$f" ] && cp "$MODDIR/$f" "$R/lib/modules/$KVER/"
done
depmod -b "$R" "$KVER"
printf '%s\n' "${MODULES[@]}" > "$R/etc/e2e-modules"

# configuration
mkdir -p "$R"/etc/iscsi/{nodes,send_targets,ifaces,static,isns} "$R/run/lock/iscsi"
cp "$GUEST/iscsid.conf" "$R/etc/iscsi/iscsid.conf"
echo "InitiatorName=iqn.2026-11.io.jzram.e2e:initiator" > "$R/etc/iscsi/initiatorname.iscsi"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\n' > "$R/etc/group"
printf '127.0.0.1 localhost\n10.0.2.2 host\n' > "$R/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$R/etc/nsswitch.conf"
echo e2e-initiator > "$R/etc/hostname"
: > "$R/etc/fstab"; : > "$R/etc/mtab"
cp "$GUEST/init" "$R/init"; chmod 755 "$R/init"
mkdir -p "$R/usr/lib/e2e"
cp "$GUEST/guest-lib.sh" "$R/usr/lib/e2e/guest-lib.sh"
echo "$KVER" > "$R/etc/e2e-kver"

mkdir -p "$IMG.tmp"
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$IMG.tmp/base.cpio"

# ---------------------------------------------------------------- fio layer
mkdir -p "$STAGE.fio"
copy_into "$STAGE.fio" "${FIO_FILES[@]}"
(cd "$STAGE.fio" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$IMG.tmp/fio.cpio"

# ---------------------------------------------------------------- manifest
{
  echo "key=$KEY"
  echo "kver=$KVER"
  echo "kernel_package=$KPKG=$KPKGVER"
  echo "vmlinux=$KDIR/vmlinux"
  echo "built=$(date -u +%FT%TZ)"
  echo "build_seconds=$(elapsed "$T0")"
  echo "base_cpio_bytes=$(stat -c %s "$IMG.tmp/base.cpio")"
  echo "fio_cpio_bytes=$(stat -c %s "$IMG.tmp/fio.cpio")"
  echo "--- packages"
  echo "$PKG_VERSIONS"
  echo "--- modules"
  printf '%s\n' "${MOD_FILES[@]}"
  echo "--- base files"
  printf '%s\n' "${BASE_FILES[@]}"
  echo "--- fio layer files"
  printf '%s\n' "${FIO_FILES[@]}"
} > "$IMG.tmp/manifest.txt"
cat > "$IMG.tmp/image.env" <<EOF
E2E_IMAGE_KEY=$KEY
E2E_KVER=$KVER
E2E_VMLINUX=$KDIR/vmlinux
E2E_BASE_CPIO=$IMG/base.cpio
E2E_FIO_CPIO=$IMG/fio.cpio
EOF
touch "$IMG.tmp/ok"
rm -rf "$IMG"; mv "$IMG.tmp" "$IMG"
ln -sfn "$(basename "$IMG")" "$CACHE/current"

# keep the cache small: older images and kernels go
for d in "$CACHE"/image-*; do [ "$d" = "$IMG" ] || rm -rf "$d"; done
for d in "$CACHE"/kernel-*; do [ "$d" = "$KDIR" ] || rm -rf "$d"; done

log "built $IMG in $(grep build_seconds "$IMG/manifest.txt" | cut -d= -f2) s: base.cpio $(( $(stat -c %s "$IMG/base.cpio") / 1024 )) KiB, fio.cpio $(( $(stat -c %s "$IMG/fio.cpio") / 1024 )) KiB, vmlinux $(( $(stat -c %s "$KDIR/vmlinux") / 1024 )) KiB"
echo "$IMG"
