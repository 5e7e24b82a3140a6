#!/usr/bin/env bash
# The install test: podstack's .deb in a bare Debian 12 root that has never seen Swift.
#
#   scripts/test-install.sh            (as root; scripts/test.sh runs it after the Swift tests)
#
# Builds the release binary once (scripts/build-release.sh) and from it the .deb and an install.sh install.
# Makes a minbase bookworm root with debootstrap from the mirror this machine's apt sources name, cached
# in $PODSTACK_INSTALL_CACHE (default /var/tmp/podstack-install-root) together with apt's downloads, and
# installs the .deb there with apt, which resolves its Depends from the mirror. Inside that root it runs
# podstack, man and bash completion, and `podstack info` against the rootless test bed's Podman through
# its socket bound into the root ($PODSTACK_TESTBED_SOCKET, default the bed of scripts/testbed.sh).
# Then it purges the package and looks for anything it left. One line per check, then 'N passed, N failed';
# exit 0 when every check passed.
#
# Everything that is mounted into the root is mounted in a mount namespace of this script's own, so the
# mounts end with it, however it ends, and the root's directory never holds the host's /dev when removed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { printf 'test-install.sh: %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ]; then
  log "needs root (debootstrap, chroot, mounts)"
  exit 1
fi
if [ "${1:-}" != --in-namespace ]; then
  exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" --in-namespace
fi

cache=${PODSTACK_INSTALL_CACHE:-/var/tmp/podstack-install-root}
socket=${PODSTACK_TESTBED_SOCKET:-${PODSTACK_TESTBED_DIR:-/var/tmp/podstack-testbed}/podman.sock}
suite=bookworm
root=$cache/run
started=$(date +%s)

passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# check NAME COMMAND...: runs the command (a function's every step under errexit, which an `if` or a `$(...)`
# would switch off) and prints one result line for it, then the lines of its output that start with '> '
# (what it saw), or the tail of its output when it failed.
check() {
  local name=$1 status
  shift
  set +e
  (set -e; "$@") >"$work/check.out" 2>&1
  status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$name"
    sed -n 's/^> /        /p' "$work/check.out"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$name"
    tail -n 15 "$work/check.out" | sed 's/^/        /'
  fi
}
finish() {
  log "finished in $(($(date +%s) - started)) s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
# A step the remaining checks stand on: when it fails, the run ends here with what it has.
require() {
  local before=$failed
  check "$@"
  if [ "$failed" -gt "$before" ]; then finish; fi
}

missing=()
for tool in debootstrap:debootstrap dpkg-shlibdeps:dpkg-dev lintian:lintian; do
  if ! command -v "${tool%%:*}" >/dev/null; then missing+=("${tool#*:}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

# The Debian mirror of the machine's own apt sources (deb822 or one-line form), for bookworm's main.
debian_mirror() {
  local uri
  uri=$(grep -hsE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^ ]+[[:space:]]+'"$suite"'[[:space:]]' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print ($2 ~ /^\[/) ? $3 : $2}' | head -n 1 || true)
  if [ -z "$uri" ]; then
    uri=$(awk -v suite="$suite" '
      /^$/ { if (uris != "" && suites ~ "(^| )" suite "( |$)") { print uris; exit } uris = ""; suites = "" }
      /^URIs:/ { uris = $2 } /^Suites:/ { $1 = ""; suites = $0 }
      END { if (uris != "" && suites ~ "(^| )" suite "( |$)") print uris }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# --- on the host: build, package, lint, install.sh ---------------------------------------------------
stage=$work/stage
require "release binary, man pages and completions build (scripts/build-release.sh)" \
  bash scripts/build-release.sh "$stage"
version=$(cat "$stage/VERSION")
log "built podstack $version in $(($(date +%s) - started)) s; its size: $(du -h "$stage/bin/podstack" | cut -f1)"

no_swift_library() {
  readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd' ' | sed 's/^/> links: /'
  ! ldd "$1" | grep -i swift
}
check "the release binary links no Swift library (ldd)" no_swift_library "$stage/bin/podstack"

require "the .deb builds (scripts/package-deb.sh)" bash scripts/package-deb.sh --staged "$stage" --output "$work/deb"
deb=$(ls "$work"/deb/podstack_*.deb)

lintian_clean() {
  # Overridden tags are shown too (O:), with the reason in packaging/debian/lintian-overrides.
  lintian --tag-display-limit 0 --show-overrides "$deb" >"$work/lintian.txt" 2>&1 || true
  grep -E '^[EWO]:' "$work/lintian.txt" | sed 's/^/> lintian: /'
  ! grep -q '^E:' "$work/lintian.txt"
}
check "lintian reports no errors" lintian_clean

install_sh_round_trip() {
  local prefix=$work/prefix/usr
  bash scripts/install.sh --prefix "$prefix" --staged "$stage"
  local file
  for file in bin/podstack share/man/man1/podstack-up.1 share/bash-completion/completions/podstack \
    share/zsh/site-functions/_podstack share/fish/vendor_completions.d/podstack.fish; do
    [ -f "$prefix/$file" ] || { echo "missing: $prefix/$file"; return 1; }
  done
  [ "$("$prefix/bin/podstack" --version)" = "$version" ]
  bash scripts/install.sh --prefix "$prefix" --uninstall
  [ ! -e "$work/prefix/usr" ] || { find "$work/prefix" >&2; return 1; }
}
check "install.sh installs binary, man pages, completions, and --uninstall takes all of it back" \
  install_sh_round_trip

# --- the bare root: made once with debootstrap, then copied for each run -----------------------------
pristine=$cache/$suite-minbase
make_pristine_root() {
  local mirror
  mirror=$(debian_mirror)
  log "making a $suite minbase root from $mirror (once; cached in $pristine)"
  rm -rf --one-file-system "$pristine.partial"
  debootstrap --variant=minbase "$suite" "$pristine.partial" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log"; return 1; }
  mv "$pristine.partial" "$pristine"
}
mkdir -p "$cache/apt-archives/partial"
if [ ! -x "$pristine/usr/bin/apt-get" ]; then
  require "a bare Debian $suite root is made with debootstrap --variant=minbase" make_pristine_root
fi
# Mounts of an earlier run live in that run's namespace, which is gone; refuse all the same if any remain.
if findmnt -rn -o TARGET | grep -q "^$root"; then
  log "something is still mounted under $root; not removing it"
  exit 1
fi
rm -rf --one-file-system "$root"
cp -a "$pristine" "$root"
log "root ready in $(($(date +%s) - started)) s"

mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"  # no service starts inside the root
chmod 0755 "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/run/podstack-testbed"
touch "$root/run/podstack-testbed/podman.sock"
if [ -S "$socket" ]; then mount --bind "$socket" "$root/run/podstack-testbed/podman.sock"; fi
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# --- inside the root ----------------------------------------------------------------------------------
cp "$deb" "$root/tmp/"
apt_install() {
  in_root apt-get update -q
  # Recommends stay out (podman's pull in buildah and systemd); man-db and bash-completion are named.
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "/tmp/$(basename "$deb")" man-db bash-completion
  in_root dpkg-query -W -f '> ${Package} ${Version}: ${Status}\n' podstack podman libcurl4
  in_root dpkg-query -W -f '${Status}\n' podstack podman | grep -c 'install ok installed' | grep -qx 2
}
require "apt installs the .deb into the bare root, its Depends (podman, libcurl4) from the mirror" apt_install

version_matches() {
  in_root podstack --version | sed 's/^/> /'
  [ "$(in_root podstack --version)" = "$version" ]
}
check "podstack --version prints '$version'" version_matches

help_lists_commands() { in_root podstack --help | grep -q '^  up  *Create and start'; }
check "podstack --help lists the subcommands" help_lists_commands

man_renders() {
  in_root env MANWIDTH=80 man podstack-up >"$work/man.txt" 2>"$work/man.err"
  cat "$work/man.err"
  sed -n '1p;/^SYNOPSIS/,/^$/p' "$work/man.txt" | sed 's/^/> /'
  [ ! -s "$work/man.err" ] && grep -q 'podstack up' "$work/man.txt" && grep -q -- '--wait-timeout' "$work/man.txt"
}
check "man podstack-up renders (man-db, no warnings)" man_renders

# bash-completion's loader finds /usr/share/bash-completion/completions/podstack as it would at a prompt;
# the completion function then gets the words of 'podstack u<TAB>' and leaves its answers in COMPREPLY.
bash_completes_up() {
  local reply
  reply=$(in_root bash -c '
    source /usr/share/bash-completion/bash_completion
    __load_completion podstack || exit 1
    spec=$(complete -p podstack) && function=${spec#*-F } && function=${function%% *}
    COMP_LINE="podstack u"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(podstack u); COMP_CWORD=1
    "$function" podstack u podstack
    printf "%s\n" "${COMPREPLY[@]}"')
  echo "> COMPREPLY: $reply"
  [ "$reply" = up ]
}
check "bash completion completes 'podstack u<TAB>' to 'up'" bash_completes_up

# The bed's socket is 0600, its owner's (podstack-ci): inside the root, the user with that uid may open
# it and anyone else may not, just as on the host. podstack runs as that user, not as root, who could open
# any socket and so would prove less.
owner=$(stat -c %u "$socket" 2>/dev/null || echo 1001)
group=$(stat -c %g "$socket" 2>/dev/null || echo 1001)
in_root groupadd -g "$group" stackuser >/dev/null 2>&1 || true
in_root useradd -u "$owner" -g "$group" -M -d /nonexistent stackuser >/dev/null 2>&1 || true
bed_version=$(bash scripts/testbed.sh podman version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)
info_through_socket() {
  [ -S "$socket" ] || { echo "no test bed socket at $socket (scripts/testbed.sh up)"; return 1; }
  chroot --userspec="$owner:$group" "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp \
    podstack info --url unix:///run/podstack-testbed/podman.sock >"$work/info.txt"
  sed 's/^/> /' "$work/info.txt"
  grep -q "$bed_version" "$work/info.txt" && grep -qi 'rootless.*true\|rootless.*yes' "$work/info.txt"
}
check "podstack info, as the socket's owner in the root, reaches the bed's Podman $bed_version" info_through_socket

others_refused() {
  local status=0
  chroot --userspec=65534:65534 "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp \
    podstack info --url unix:///run/podstack-testbed/podman.sock || status=$?
  echo "> exit $status"
  [ "$status" -eq 69 ]
}
check "podstack info as another user gets exit 69 (Podman service unavailable)" others_refused

no_toolchain() {
  local found
  found=$(find "$root" -xdev \( -name 'libswift*' -o -name 'libFoundation*.so' -o -name 'swift' -o -name 'swiftc' \) -print)
  [ -z "$found" ] || { echo "$found"; return 1; }
  [ ! -e "$root/opt/swift" ] || { echo "$root/opt/swift exists"; return 1; }
  in_root ldd /usr/bin/podstack >"$work/ldd.txt"
  echo "> $(wc -l <"$work/ldd.txt") libraries found by ldd in the root, none missing, none of Swift"
  ! grep -qiE 'swift|not found' "$work/ldd.txt"
}
check "nothing of the Swift toolchain is in the root, and the binary finds every library it needs" no_toolchain

purge_leaves_nothing() {
  in_root dpkg -L podstack >"$work/installed.txt"
  in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q podstack
  local path left=()
  # A listed path is the package's own unless it is a directory other packages share (/usr/bin, ...).
  while read -r path; do
    if [ -L "$root$path" ] || [ -f "$root$path" ]; then left+=("$path"); fi
    if [ -d "$root$path" ] && [[ $path == *podstack* ]]; then left+=("$path/"); fi
  done <"$work/installed.txt"
  echo "> $(wc -l <"$work/installed.txt") paths listed by dpkg -L before the purge; left: ${left[*]:-none}"
  [ ${#left[@]} -eq 0 ] && ! in_root dpkg-query -W -f '${Status}\n' podstack 2>/dev/null | grep -q installed
}
check "apt-get purge podstack leaves none of the files dpkg -L listed" purge_leaves_nothing

finish
