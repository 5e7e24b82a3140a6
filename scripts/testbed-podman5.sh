# Sourced by scripts/testbed.sh for a Podman 5 bed (PODSTACK_TESTBED_PODMAN=5); not run on its own.
#
# Debian 12 ships Podman 4.3.1; its mirror also serves trixie, which has Podman 5.4.2. A trixie root made
# with debootstrap (cached in $ROOTFS, reused by every Podman 5 bed) runs the test user's rootless service
# beside the host, sharing its network, pids and kernel. Every podman command of the bed runs inside that
# root, entered with a private mount namespace and pivot_root: a chroot would not do, since the kernel
# refuses to create a user namespace from a chrooted process ("cannot clone: Operation not permitted").
#
# The service resolves bind-mount sources inside the root, and the tests pass host paths, so the state dir,
# /tmp, /var/tmp, /home and /root are bind-mounted at the same paths inside. Podman's pause process keeps
# the mount namespace it was started in: every entry makes the same mounts, before any podman runs.

# the root a bed was made with sticks to its state dir, as its version does
ROOTFS=${PODSTACK_PODMAN5_ROOTFS:-$(cat "$STATE/podman5_rootfs" 2>/dev/null || echo /var/tmp/podstack-podman5-rootfs)}
ROOTFS=${ROOTFS%/}
# nftables and aardvark-dns: without them `kube play` fails on its default network (a Debian packaging gap)
PODMAN5_PACKAGES=podman,uidmap,passt,slirp4netns,runc,crun,fuse-overlayfs,catatonit,busybox-static,netavark,aardvark-dns,iptables,nftables,ca-certificates,util-linux,procps

# The Debian mirror this machine's apt uses (deb822 or one-line sources), else deb.debian.org.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
  [ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
  echo "${uri:-http://deb.debian.org/debian}"
}

# The root is made once (about 40 s and 430 MB) and reused while its package list is the same.
ensure_rootfs() {
  local stamp="suite=trixie packages=$PODMAN5_PACKAGES" mirror tmp
  exec 8>>"$ROOTFS.lock"
  flock -w 900 8 || die "another test bed is making $ROOTFS (lock $ROOTFS.lock)"
  if [ "$(cat "$ROOTFS/.podstack-rootfs" 2>/dev/null)" = "$stamp" ]; then exec 8>&-; return 0; fi
  have debootstrap || die "debootstrap is not installed"
  mirror=$(debian_mirror)
  tmp=$ROOTFS.new
  rm -rf "$tmp"
  log "making the Debian 13 root with Podman 5 in $ROOTFS (debootstrap from $mirror; once, about a minute)"
  debootstrap --variant=minbase --include="$PODMAN5_PACKAGES" trixie "$tmp" "$mirror" >"$ROOTFS.log" 2>&1 ||
    { tail -n 20 "$ROOTFS.log" >&2; die "debootstrap failed; see $ROOTFS.log"; }
  rm -rf "$tmp/var/cache/apt/archives/"*.deb
  mkdir -p "$tmp/.oldroot"
  echo "$stamp" >"$tmp/.podstack-rootfs"
  # An outdated root is moved aside, not deleted: a bed started on it still runs from it (its mounts hold
  # the directory, not the path). The one before it goes.
  if [ -d "$ROOTFS" ]; then rm -rf "$ROOTFS.old"; mv "$ROOTFS" "$ROOTFS.old"; fi
  mv "$tmp" "$ROOTFS"
  exec 8>&-
}

# The test user inside the root: the host's uid, gid and sub-id ranges, so that files the tests hand to
# PODSTACK_TESTBED_UID belong to the service's user on both sides.
ensure_rootfs_user() {
  local file
  for file in passwd group subuid subgid; do
    local line
    case "$file" in
      passwd) line="$TB_USER:x:$TB_UID:$TB_GID:podstack test bed:$STATE/home:/bin/sh" ;;
      group) line="$TB_USER:x:$TB_GID:" ;;
      *) line=$(grep "^$TB_USER:" "/etc/$file" | head -n 1) ;;
    esac
    grep -qxF "$line" "$ROOTFS/etc/$file" 2>/dev/null && continue
    { grep -v "^$TB_USER:" "$ROOTFS/etc/$file" 2>/dev/null || :; echo "$line"; } >"$ROOTFS/etc/$file.new"
    chmod 0644 "$ROOTFS/etc/$file.new"
    mv -f "$ROOTFS/etc/$file.new" "$ROOTFS/etc/$file"
  done
}

bed_has() { [ -x "$ROOTFS/usr/bin/$1" ] || [ -x "$ROOTFS/usr/sbin/$1" ]; }

# Runs "$@" (after the shared paths and a --) inside the root with the same mounts every time.
# shellcheck disable=SC2016
ENTER_ROOTFS='set -e
root=$1; shift
mount --bind "$root" "$root"
for d in proc sys dev; do mount --rbind "/$d" "$root/$d"; done
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
while [ "$1" != -- ]; do mkdir -p "$root$1"; mount --bind "$1" "$root$1"; shift; done
shift
cd "$root"
pivot_root . .oldroot
umount -l /.oldroot
mount --make-rshared /
exec "$@"'

# USER_PREFIX for this bed: enter the root, then become the test user with the private environment.
podman5_user_prefix() {
  local shared=(/tmp /var/tmp /home /root "$STATE")
  if [ -n "${TMPDIR:-}" ] && [ -d "$TMPDIR" ]; then shared+=("${TMPDIR%/}"); fi
  USER_ENV+=(PODMAN_IGNORE_CGROUPSV1_WARNING=1)
  USER_PREFIX=(unshare --mount --propagation private -- /bin/sh -c "$ENTER_ROOTFS" enter-podman5 "$ROOTFS"
    "${shared[@]}" -- setpriv --reuid="$TB_UID" --regid="$TB_GID" --init-groups -- env -i "${USER_ENV[@]}")
}
