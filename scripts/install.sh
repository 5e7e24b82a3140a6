#!/usr/bin/env bash
# Installs podstack from this source tree: the release binary, its man pages and shell completions.
#
#   scripts/install.sh [--prefix DIR]               build, install, print what went where
#   scripts/install.sh [--prefix DIR] --uninstall   remove exactly what the last install put there
#   scripts/install.sh [--prefix DIR] --staged DIR  install what scripts/build-release.sh staged, no build
#
# The prefix is /usr/local for root and ~/.local for anyone else. Under it:
#   bin/podstack, share/man/man1/podstack*.1, share/bash-completion/completions/podstack,
#   share/zsh/site-functions/_podstack, share/fish/vendor_completions.d/podstack.fish
# and share/podstack/install-manifest, which lists every file (with its SHA-256) and every directory the
# install made. --uninstall removes those files, keeps one that was changed since (and says so), then the
# directories it made if they are empty. Exit codes: 0 done, 1 failed, 64 bad command line.
set -euo pipefail
umask 022  # what it installs is world-readable, whatever the caller's umask
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  echo "usage: scripts/install.sh [--prefix DIR] [--uninstall | --staged DIR]" >&2
  exit 64
}

if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix=$HOME/.local; fi
action=install
staged=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    --staged) [ $# -ge 2 ] || usage; staged=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
prefix=${prefix%/}
manifest=$prefix/share/podstack/install-manifest

# Lines of the manifest: "file<TAB>sha256<TAB>path" or "dir<TAB>-<TAB>path", in the order they were made.
uninstall() {
  if [ ! -f "$manifest" ]; then
    echo "install.sh: nothing to uninstall: no $manifest (podstack was not installed under $prefix by this script)" >&2
    exit 1
  fi
  local kind sum path dirs=()
  while IFS=$'\t' read -r kind sum path; do
    case $kind in
      file)
        if [ ! -e "$path" ]; then
          echo "already gone  $path"
        elif [ "$(sha256sum <"$path" | cut -d' ' -f1)" = "$sum" ]; then
          rm -f "$path" && echo "removed       $path"
        else
          echo "kept          $path (changed since it was installed)"
        fi ;;
      dir) dirs=("$path" "${dirs[@]}") ;;
    esac
  done <"$manifest"
  rm -f "$manifest" && echo "removed       $manifest"
  for path in "${dirs[@]}"; do  # deepest first: they were recorded parent before child
    if rmdir "$path" 2>/dev/null; then echo "removed       $path/"; fi
  done
}

# make_dirs DIR: makes DIR and its missing parents, recording each one made.
make_dirs() {
  local dir=$1 missing=()
  while [ ! -d "$dir" ]; do missing=("$dir" "${missing[@]}"); dir=$(dirname "$dir"); done
  for dir in "${missing[@]}"; do
    mkdir "$dir" && printf 'dir\t-\t%s\n' "$dir" >>"$record"
  done
}

# install_file SOURCE DESTINATION MODE: copies and records the file.
install_file() {
  make_dirs "$(dirname "$2")"
  install -m "$3" "$1" "$2"
  printf 'file\t%s\t%s\n' "$(sha256sum <"$2" | cut -d' ' -f1)" "$2" >>"$record"
  printf 'installed     %s\n' "$2"
}

# Whatever was recorded becomes the manifest, also when the install stops halfway, so that --uninstall
# can always take back what is there.
write_manifest() {
  if [ -s "$record" ]; then cp "$record" "$manifest"; fi
  rm -f "$record"
  if [ -n "$built" ]; then rm -rf "$built"; fi
}

if [ "$action" = uninstall ]; then
  uninstall
  exit 0
fi

built=
record=$(mktemp)
trap write_manifest EXIT
if [ -z "$staged" ]; then
  built=$(mktemp -d)
  staged=$built
  bash "$repo/scripts/build-release.sh" "$staged"
fi
[ -x "$staged/bin/podstack" ] || { echo "install.sh: $staged holds no bin/podstack" >&2; exit 1; }

if [ -f "$manifest" ]; then
  echo "install.sh: replacing the earlier install under $prefix"
  uninstall
fi
make_dirs "$(dirname "$manifest")"
install_file "$staged/bin/podstack" "$prefix/bin/podstack" 0755
for page in "$staged"/man/*.1; do
  install_file "$page" "$prefix/share/man/man1/$(basename "$page")" 0644
done
install_file "$staged/completions/podstack.bash" "$prefix/share/bash-completion/completions/podstack" 0644
install_file "$staged/completions/_podstack" "$prefix/share/zsh/site-functions/_podstack" 0644
install_file "$staged/completions/podstack.fish" "$prefix/share/fish/vendor_completions.d/podstack.fish" 0644
write_manifest
echo "installed     $manifest (the list --uninstall works from)"
echo
echo "podstack $(cat "$staged/VERSION") is installed under $prefix."

# Where the shells and man look by default: /usr/local and ~/.local are both on their paths (man finds
# share/man from bin on PATH; bash-completion and fish read XDG_DATA_DIRS and ~/.local/share).
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "  $prefix/bin is not on your PATH: add  export PATH=\"$prefix/bin:\$PATH\"  to your shell's profile." ;;
esac
if [ "$prefix" != /usr/local ]; then
  echo "  zsh: add  fpath=($prefix/share/zsh/site-functions \$fpath)  before compinit in ~/.zshrc."
fi
if [ "$prefix" != /usr/local ] && [ "$prefix" != "$HOME/.local" ]; then
  echo "  bash and fish completions: add $prefix/share to XDG_DATA_DIRS."
fi
echo "Remove it again with: scripts/install.sh --prefix $prefix --uninstall"
