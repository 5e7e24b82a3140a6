#!/usr/bin/env bash
# Builds what an installed podstack consists of and lays it out in a staging directory:
#
#   scripts/build-release.sh STAGE_DIR
#
#   STAGE_DIR/bin/podstack                   release binary, Swift runtime and Foundation linked in, stripped
#   STAGE_DIR/man/podstack.1, podstack-up.1  one man page per command, generated from the command definitions
#   STAGE_DIR/completions/podstack.bash, _podstack (zsh), podstack.fish
#   STAGE_DIR/VERSION                        what `podstack --version` prints
#
# scripts/install.sh and scripts/package-deb.sh both start here and only decide where each piece goes.
# The build has a scratch directory of its own (.build-static, or $PODSTACK_RELEASE_SCRATCH): its flags differ
# from a plain build's in every compile, so sharing .build would rebuild everything each way.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'build-release.sh: %s\n' "$*" >&2; }

if [ $# -ne 1 ]; then
  echo "usage: scripts/build-release.sh STAGE_DIR" >&2
  exit 64
fi
stage=$1
scratch=${PODSTACK_RELEASE_SCRATCH:-.build-static}

# The commit goes in through a header at a fixed include path (Sources/PodstackBuildInfo), so that the
# compile flags stay the same from commit to commit and a new commit recompiles one C file. A tree with
# changes that are not committed says so ("-dirty"); outside git the commit is "unknown".
# No $ORIGIN run path: nothing is to be loaded from beside the binary (/usr/bin).
commit=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
case $scratch in /*) stamp=$scratch/commit-stamp ;; *) stamp=$(pwd)/$scratch/commit-stamp ;; esac
flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path "$scratch" -Xcc -I"$stamp")
mkdir -p "$stamp"
header="#define PODSTACK_COMMIT \"$commit\""
if [ "$(cat "$stamp/podstack_commit.h" 2>/dev/null)" != "$header" ]; then  # unchanged: nothing rebuilds
  echo "$header" >"$stamp/podstack_commit.h"
fi

started=$(date +%s)
log "building the release binary of commit $commit (Swift runtime and Foundation linked statically)"
for product in podstack generate-manual; do
  if ! swift build "${flags[@]}" --product "$product" >"$scratch/build-release.log" 2>&1; then
    cat "$scratch/build-release.log" >&2
    log "build of $product failed"
    exit 1
  fi
done
bin=$(swift build "${flags[@]}" --show-bin-path)
log "built in $(($(date +%s) - started)) s"

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/man" "$stage/completions"
# Release builds carry DWARF; the installed binary does not need it (Debian strips the same way).
strip --remove-section=.comment --remove-section=.note --strip-unneeded -o "$stage/bin/podstack" "$bin/podstack"
"$stage/bin/podstack" --version >"$stage/VERSION"

# generate-manual names the pages podstack.up.1; `man podstack-up` (git's convention) wants podstack-up.1,
# and whatis wants one word for a name: NAME says podstack-up, SYNOPSIS still "podstack up". The date is
# the commit's, so that the same commit gives the same pages.
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
"$bin/generate-manual" "$stage/bin/podstack" --multi-page --date "$date" --output-directory "$pages"
for page in "$pages"/*.1; do
  name=$(basename "$page" .1)
  words=podstack
  if [ "$name" != podstack ]; then words="podstack Cm ${name#podstack.}"; fi
  sed -E -e '/^\.(Dt|Xr) /s/([[:alpha:]])\.([[:alpha:]])/\1-\2/g' \
    -e "s/^\\.Nm \"[^\"]*\"\$/.Nm ${name//./-}/" -e "s/^\\.Nm\$/.Nm ${words//./ Cm }/" \
    -e 's/^\.Nd "(.*)"$/.Nd \1/' "$page" >"$stage/man/${name//./-}.1"
done

# Completion files are sourced, not run: no #! line (Debian's lintian asks the same).
for shell in bash zsh fish; do
  case $shell in
    bash) file=podstack.bash ;;
    zsh) file=_podstack ;;
    fish) file=podstack.fish ;;
  esac
  "$stage/bin/podstack" --generate-completion-script "$shell" | sed '1{/^#!/d}' >"$stage/completions/$file"
done
log "staged $(cat "$stage/VERSION") in $stage: $(ls "$stage/man" | wc -l) man pages, 3 completion scripts"
