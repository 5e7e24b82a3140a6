#!/usr/bin/env bash
# Builds a Debian package of podstack with dpkg-deb and prints its path on the last line of stdout.
#
#   scripts/package-deb.sh [--output DIR] [--staged DIR]
#
#   --output DIR   where the .deb goes (default: .build-static/deb)
#   --staged DIR   package what scripts/build-release.sh staged there instead of building
#
# The package holds /usr/bin/podstack (no Swift runtime needed: it is linked in), a man page per command,
# completions for bash, zsh and fish, the compose files as examples in /usr/share/doc/podstack/examples,
# and a machine-readable copyright file (packaging/debian/copyright). Depends are what dpkg-shlibdeps
# finds the binary needs (libc6, libcurl4, ...) and podman, which podstack drives.
# Needs dpkg-dev (dpkg-shlibdeps) besides dpkg-deb. Exit codes: 0 built, 1 failed, 64 bad command line.
set -euo pipefail
umask 022  # what it packages is world-readable, whatever the caller's umask
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { printf 'package-deb.sh: %s\n' "$*" >&2; }
usage() {
  echo "usage: scripts/package-deb.sh [--output DIR] [--staged DIR]" >&2
  exit 64
}

output=.build-static/deb
staged=
while [ $# -gt 0 ]; do
  case $1 in
    --output) [ $# -ge 2 ] || usage; output=$2; shift 2 ;;
    --staged) [ $# -ge 2 ] || usage; staged=$2; shift 2 ;;
    *) usage ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$staged" ]; then
  staged=$work/stage
  bash scripts/build-release.sh "$staged"
fi

# `podstack --version` prints "0.1.0 (commit abc123def456)": the package takes the release number from the
# binary itself, so that the two cannot disagree, and names the commit in its changelog.
read -r version _ commit <"$staged/VERSION"
commit=${commit%)}
revision=1
architecture=$(dpkg --print-architecture)
maintainer="podstack maintainers <$(git log -1 --format=%ae 2>/dev/null || echo maintainers@localhost)>"
# The tree is laid out as debhelper would (debian/podstack, with DEBIAN/, in a source directory): that is
# where dpkg-shlibdeps expects the binaries it analyses.
root=$work/src/debian/podstack
doc=$root/usr/share/doc/podstack

install -D -m 0755 "$staged/bin/podstack" "$root/usr/bin/podstack"
for page in "$staged"/man/*.1; do
  install -D -m 0644 "$page" "$root/usr/share/man/man1/$(basename "$page")"
  gzip -9n "$root/usr/share/man/man1/$(basename "$page")"
done
install -D -m 0644 "$staged/completions/podstack.bash" "$root/usr/share/bash-completion/completions/podstack"
install -D -m 0644 "$staged/completions/_podstack" "$root/usr/share/zsh/vendor-completions/_podstack"
install -D -m 0644 "$staged/completions/podstack.fish" "$root/usr/share/fish/vendor_completions.d/podstack.fish"
install -D -m 0644 packaging/debian/copyright "$doc/copyright"
install -D -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/podstack"
# Every file under compose/, folders kept (compose/gpu holds the GPU override files).
(cd compose && find . -type f) | while read -r example; do
  install -D -m 0644 "compose/$example" "$doc/examples/${example#./}"
done

# Debian's changelog: one entry for this build. The date is the commit's, so one commit makes one package.
date=$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
cat >"$doc/changelog.Debian" <<EOF
podstack ($version-$revision) unstable; urgency=medium

  * Built from commit $commit of the podstack repository.

 -- $maintainer  $date
EOF
gzip -9n "$doc/changelog.Debian"

# dpkg-shlibdeps reads a source package's debian/control; a minimal one in the work directory does.
mkdir -p "$root/DEBIAN"
printf 'Source: podstack\n\nPackage: podstack\nArchitecture: any\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O debian/podstack/usr/bin/podstack | sed -n 's/^shlibs:Depends=//p')
case $shlibs in
  *libcurl*) ;;
  *) log "dpkg-shlibdeps found no libcurl among the binary's needs ('$shlibs')"; exit 1 ;;
esac

(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
cat >"$root/DEBIAN/control" <<EOF
Package: podstack
Version: $version-$revision
Architecture: $architecture
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $shlibs, podman
Recommends: bash-completion
Section: admin
Priority: optional
Description: run a local AI stack as rootless Podman pods
 podstack brings a stack of services, described in compose files, up as
 rootless Podman pods: in dependency order, each service once its
 dependencies are healthy, after checking that nothing else holds its
 ports. It talks to Podman's REST API over its Unix socket and takes the
 stack down again without touching its data.
 .
 Example compose files for a local AI stack (ollama, qdrant, open-webui,
 mindsdb, postgres) are in /usr/share/doc/podstack/examples.
EOF

mkdir -p "$output"
deb=$output/podstack_${version}-${revision}_${architecture}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
log "built $deb ($(du -h "$deb" | cut -f1), Depends: $shlibs, podman)"
echo "$deb"
