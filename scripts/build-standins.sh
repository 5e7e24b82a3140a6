#!/usr/bin/env bash
# Build podstack's stand-in images (busybox-static rootfs + scripts, `podman import`) into the
# test bed's private store, through `scripts/testbed.sh podman`. Run `scripts/testbed.sh up` first
# (it calls this script).
#
#   scripts/build-standins.sh [--force] [--registry HOST:PORT] [NAME...]
#
# NAME is one of: ollama qdrant open-webui mindsdb aidb-postgres aidb-api aidb-guardian generic
# (default: all) and becomes localhost/podstack-standin-NAME:latest. Each image carries the label
# io.podstack.standin.hash (a hash of its sources under scripts/standins/, this script and busybox);
# an image whose label matches is left alone. With --registry, HOST:PORT/podstack/standin-pull:latest
# (the generic stand-in with a layer of its own) is pushed there when missing or stale, and removed
# from the local store so that pulling it downloads for real.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB=$SCRIPT_DIR/testbed.sh
SRC=$SCRIPT_DIR/standins
ALL=(ollama qdrant open-webui mindsdb aidb-postgres aidb-api aidb-guardian generic)
LABEL=io.podstack.standin.hash
BUSYBOX=${BUSYBOX:-/bin/busybox}
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'build-standins: %s\n' "$*" >&2; }
die() { printf 'build-standins: error: %s\n' "$*" >&2; exit 1; }

force=0
registry=""
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --registry) [ $# -ge 2 ] || die "--registry needs HOST:PORT"; registry=$2; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) [ -f "$SRC/$1/image.conf" ] || die "unknown stand-in '$1' (known: ${ALL[*]})"; names+=("$1") ;;
  esac
  shift
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

[ -x "$BUSYBOX" ] || die "$BUSYBOX not found (apt-get install busybox-static)"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; the images need busybox-static (or set BUSYBOX=/path/to/static/busybox)"
fi

tbp() { "$TB" podman "$@"; }

# hash of everything that goes into one image
image_hash() {
  (
    cd "$SCRIPT_DIR"
    find build-standins.sh standins/common standins/tools "standins/$1" \( -type f -o -type l \) | LC_ALL=C sort |
      while IFS= read -r f; do
        if [ -L "$f" ]; then printf '%s -> %s\n' "$f" "$(readlink "$f")"
        else printf '%s %s %s\n' "$([ -x "$f" ] && echo x || echo -)" "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"; fi
      done
    sha256sum <"$BUSYBOX"
  ) | sha256sum | cut -c1-16
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/podstack-standins.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# make_rootfs NAME DIR HASH: busybox + applet links + common files + tools + the image's own tree
make_rootfs() {
  local name=$1 dir=$2 hash=$3 a t
  # shellcheck disable=SC1090
  TOOLS=""; . "$SRC/$name/image.conf"
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,tmp,root,var/tmp,var/lib,proc,sys,dev,run}
  cp "$BUSYBOX" "$dir/bin/busybox"
  for a in $("$BUSYBOX" --list); do
    [ "$a" = busybox ] || ln -s busybox "$dir/bin/$a"
  done
  ln -s /bin/busybox "$dir/usr/bin/env"
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  chmod 0700 "$dir/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
  cp -a "$SRC/common/." "$dir/"
  for t in $TOOLS; do
    [ -f "$SRC/tools/$t" ] || die "$name: unknown tool $t"
    if [ "$t" = bash ]; then rm -f "$dir/bin/bash"; cp "$SRC/tools/$t" "$dir/bin/bash"
    else cp "$SRC/tools/$t" "$dir/usr/bin/$t"; fi
  done
  [ -d "$SRC/$name/rootfs" ] && cp -a "$SRC/$name/rootfs/." "$dir/"
  find "$dir" -name .keep -delete
  printf 'name=%s\nhash=%s\n' "$name" "$hash" >"$dir/etc/podstack-standin"
}

# import_rootfs DIR NAME HASH REF: tar the tree (reproducibly, owned by root) into `podman import`
import_rootfs() {
  local dir=$1 name=$2 hash=$3 ref=$4 e p
  # shellcheck disable=SC1090
  ENTRYPOINT=""; CMD=""; ENVS=(); EXPOSE=""; WORKDIR="/"; . "$SRC/$name/image.conf"
  local changes=(--change "ENV PATH=$IMAGE_PATH" --change "WORKDIR $WORKDIR"
    --change "LABEL $LABEL=$hash" --change "LABEL io.podstack.standin.name=$name")
  [ -n "$ENTRYPOINT" ] && changes+=(--change "ENTRYPOINT $ENTRYPOINT")
  [ -n "$CMD" ] && changes+=(--change "CMD $CMD")
  for e in "${ENVS[@]}"; do changes+=(--change "ENV $e"); done
  for p in $EXPOSE; do changes+=(--change "EXPOSE $p/tcp"); done
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf - . |
    tbp import --quiet "${changes[@]}" - "$ref" >/dev/null
}

# what the store has: "REF HASH ID" per line
existing=$(tbp images --format "{{.Repository}}:{{.Tag}} {{index .Labels \"$LABEL\"}} {{.ID}}" 2>/dev/null) ||
  die "cannot list images; is the test bed up? (scripts/testbed.sh up)"

built=0
for name in "${names[@]}"; do
  ref=localhost/podstack-standin-$name:latest
  hash=$(image_hash "$name")
  line=$(awk -v r="$ref" '$1 == r { print; exit }' <<<"$existing")
  old_hash=$(awk '{ print $2 }' <<<"$line")
  old_id=$(awk '{ print $3 }' <<<"$line")
  if [ "$force" = 0 ] && [ "$old_hash" = "$hash" ]; then continue; fi
  log "building $ref ($hash)"
  rm -rf "${WORK:?}/$name"
  make_rootfs "$name" "$WORK/$name" "$hash"
  import_rootfs "$WORK/$name" "$name" "$hash" "$ref"
  rm -rf "${WORK:?}/$name"
  built=$((built + 1))
  if [ -n "$old_id" ]; then tbp rmi "$old_id" >/dev/null 2>&1 || :; fi
done
if [ "$built" = 0 ]; then log "stand-in images up to date"; fi

if [ -n "$registry" ]; then
  repo=$registry/podstack/standin-pull
  ref=$repo:latest
  hash=$(image_hash generic)
  pull_hash=$( (echo "$hash"; echo pull) | sha256sum | cut -c1-16)
  accept='application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Accept: $accept" \
    "http://$registry/v2/podstack/standin-pull/manifests/src-$pull_hash" || echo 000)
  if [ "$code" != 200 ]; then
    log "pushing $ref to the local registry"
    rm -rf "$WORK/pull"
    make_rootfs generic "$WORK/pull" "$pull_hash"
    # a layer of its own: pulling it must download, not find the generic stand-in's layer
    echo "podstack pull test image $pull_hash" >"$WORK/pull/etc/podstack-standin-pull"
    import_rootfs "$WORK/pull" generic "$pull_hash" "$ref"
    tbp push --quiet --tls-verify=false "$ref" >/dev/null
    tbp push --quiet --tls-verify=false "$ref" "docker://$repo:src-$pull_hash" >/dev/null
  fi
  if tbp image exists "$ref"; then
    tbp rmi -f "$ref" >/dev/null
  fi
fi
