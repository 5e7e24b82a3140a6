#!/usr/bin/env bash
# podstack test bed: a private rootless Podman REST service, a loopback OCI registry and the
# stand-in images, for tests and for people.
#
#   scripts/testbed.sh up [--no-images]   install/configure/start (idempotent); last stdout line = socket URL
#   scripts/testbed.sh down [--purge]     stop containers, service, registry; --purge also deletes the state dir
#   scripts/testbed.sh env                print the shell exports (same as STATE/env)
#   scripts/testbed.sh status             say what runs (exit 0 only if service and registry answer)
#   scripts/testbed.sh podman ARGS...     podman CLI as the test user, on the private store/config
#
# PODSTACK_TESTBED_PODMAN=5 (root only) makes a Podman 5.4.2 bed instead of the host's Podman 4.3: the
# service runs in a Debian 13 root beside the host (scripts/testbed-podman5.sh; scripts/testbed5.sh is the
# short way). A state dir keeps the version it was made with; later calls on it follow that version.
#
# As root: uses (and creates) the unprivileged user podstack-ci; state in /var/tmp/podstack-testbed.
# As another user: runs everything as that user; state in $XDG_RUNTIME_DIR/podstack-testbed
# (or ~/.cache/podstack-testbed). A person's own containers, store and ~/.config/containers are never used.
# Overrides: PODSTACK_TESTBED_DIR, PODSTACK_TESTBED_USER (root only), PODSTACK_TESTBED_REGISTRY_PORT,
# PODSTACK_TESTBED_DRIVER (storage driver, default vfs on 4.3, overlay on 5),
# PODSTACK_PODMAN5_ROOTFS (the cached Debian 13 root, default /var/tmp/podstack-podman5-rootfs).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ORIG_PWD=$PWD

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

APT_PACKAGES=(podman runc uidmap slirp4netns fuse-overlayfs catatonit busybox-static
  libcurl4-openssl-dev docker-registry iproute2 procps curl systemd acl)

LOCK_TYPE="file"  # see renumber_if_lock_type_changed

if [ "$(id -u)" -eq 0 ]; then
  MODE=root
  TB_USER=${PODSTACK_TESTBED_USER:-podstack-ci}
  STATE=${PODSTACK_TESTBED_DIR:-/var/tmp/podstack-testbed}
else
  MODE=user
  TB_USER=$(id -un)
  if [ -n "${PODSTACK_TESTBED_DIR:-}" ]; then
    STATE=$PODSTACK_TESTBED_DIR
  elif [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] && [ -w "$XDG_RUNTIME_DIR" ]; then
    STATE=$XDG_RUNTIME_DIR/podstack-testbed
  else
    STATE=${HOME:?HOME is not set}/.cache/podstack-testbed
  fi
fi
case "$STATE" in /*) ;; *) STATE=$ORIG_PWD/$STATE ;; esac
STATE=${STATE%/}
[ -n "$STATE" ] && [ "$STATE" != / ] || die "refusing to use '/' as the state dir"

# Which Podman: the one the state dir was made with, else PODSTACK_TESTBED_PODMAN, else the host's (4).
MADE_WITH=$(cat "$STATE/podman_major" 2>/dev/null || :)
PODMAN_MAJOR=${PODSTACK_TESTBED_PODMAN:-${MADE_WITH:-4}}
case "$PODMAN_MAJOR" in 4|5) ;; *) die "PODSTACK_TESTBED_PODMAN must be 4 or 5, not '$PODMAN_MAJOR'" ;; esac
if [ -n "$MADE_WITH" ] && [ "$MADE_WITH" != "$PODMAN_MAJOR" ]; then
  die "$STATE holds a Podman $MADE_WITH bed; set PODSTACK_TESTBED_DIR to another directory for Podman $PODMAN_MAJOR"
fi
if [ "$PODMAN_MAJOR" = 5 ]; then
  [ "$MODE" = root ] || die "a Podman 5 bed needs root (debootstrap, mount namespaces)"
  # shellcheck source=scripts/testbed-podman5.sh
  . "$SCRIPT_DIR/testbed-podman5.sh"
  DRIVER=${PODSTACK_TESTBED_DRIVER:-overlay}  # native rootless overlay works on 5.4.2 here; vfs copies layers
  APT_PACKAGES+=(debootstrap)
else
  DRIVER=${PODSTACK_TESTBED_DRIVER:-vfs}
  bed_has() { have "$1"; }
fi

# the registry port chosen at `up` sticks to the state dir
REG_PORT=${PODSTACK_TESTBED_REGISTRY_PORT:-$(cat "$STATE/registry.port" 2>/dev/null || echo 5055)}
case "$REG_PORT" in ''|*[!0-9]*) die "bad registry port '$REG_PORT'" ;; esac
REGISTRY=127.0.0.1:$REG_PORT
SOCK=$STATE/podman.sock
URL=unix://$SOCK
RUNDIR=$STATE/run             # XDG_RUNTIME_DIR of the service (0700, owned by the test user)
CONF=$STATE/conf              # containers.conf storage.conf registries.conf registry.yml
SERVICE_PID=$STATE/service.pid
REGISTRY_PID=$STATE/registry.pid
PULL_REF=$REGISTRY/podstack/standin-pull:latest
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# Who runs podman, with which environment.

resolve_user() {
  TB_UID=$(id -u "$TB_USER" 2>/dev/null) || return 1
  TB_GID=$(id -g "$TB_USER")
  if [ "$MODE" = root ]; then TB_HOME=$STATE/home; else TB_HOME=$HOME; fi
  local user_path=$SYS_PATH
  [ "$MODE" = user ] && user_path=$PATH
  USER_ENV=(HOME="$TB_HOME" USER="$TB_USER" LOGNAME="$TB_USER" PATH="$user_path" LANG=C.UTF-8
    XDG_RUNTIME_DIR="$RUNDIR" XDG_CONFIG_HOME="$STATE/config" XDG_DATA_HOME="$STATE/data"
    CONTAINERS_CONF="$CONF/containers.conf" CONTAINERS_STORAGE_CONF="$CONF/storage.conf"
    CONTAINERS_REGISTRIES_CONF="$CONF/registries.conf")
  [ -n "${TERM:-}" ] && USER_ENV+=(TERM="$TERM")
  if [ "$MODE" = root ]; then
    HOST_PREFIX=(setpriv --reuid="$TB_UID" --regid="$TB_GID" --init-groups -- env -i "${USER_ENV[@]}")
  else
    HOST_PREFIX=(env -i "${USER_ENV[@]}")
  fi
  # podman runs where the bed's Podman is; the registry always on the host
  USER_PREFIX=("${HOST_PREFIX[@]}")
  [ "$PODMAN_MAJOR" = 5 ] && podman5_user_prefix
  return 0
}

# as_user CMD...: run CMD as the test user with the private environment. The command starts in the
# caller's directory when the test user may enter it, else in the state dir.
as_user() {
  (cd "$STATE" && exec "${USER_PREFIX[@]}" /bin/sh -c 'cd "$0" 2>/dev/null || :; exec "$@"' "$ORIG_PWD" "$@")
}

# start_detached PIDFILE LOGFILE CMD...: setsid'd daemon as the test user; its pid lands in PIDFILE.
start_detached() {
  local pidfile=$1 logfile=$2; shift 2
  rm -f "$pidfile"
  (cd "$STATE" && exec setsid "${USER_PREFIX[@]}" /bin/sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" \
      </dev/null >>"$logfile" 2>&1 9>&-) &
  local _
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  die "could not start $* (no pid file $pidfile); see $logfile"
}

proc_running() {  # a live process, not a zombie waiting to be reaped
  local st
  st=$(sed -n 's/^[0-9]* (.*) \(.\) .*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Daemons are started with setsid, so the pid in the pid file is also their process group. Rootless
# podman may fork itself into the user namespace, and the first process can exit while the forked
# one serves: liveness and stopping work on the whole group.
group_pids() {  # group_pids PIDFILE WORD: live pids of that group whose command line has WORD
  local pgid
  pgid=$(cat "$1" 2>/dev/null) || return 0
  case "$pgid" in ''|*[!0-9]*) return 0 ;; esac
  ps -e -o pid=,pgid=,stat=,args= 2>/dev/null |
    awk -v g="$pgid" -v w="$2" '$2 == g && $3 !~ /^[ZX]/ && index($0, w) { print $1 }'
}

pid_alive() { [ -n "$(group_pids "$1" "$2")" ]; }

first_pid() { group_pids "$1" "$2" | head -n 1; }

stop_pidfile() {  # stop_pidfile PIDFILE WORD NAME: TERM the group, bounded wait, then KILL
  local pgid _
  if pid_alive "$1" "$2"; then
    pgid=$(cat "$1")
    log "stopping $3 (process group $pgid)"
    kill -TERM -- "-$pgid" 2>/dev/null || :
    for _ in $(seq 1 100); do pid_alive "$1" "$2" || break; sleep 0.1; done
    if pid_alive "$1" "$2"; then
      log "$3 ignored SIGTERM for 10 s; killing"
      kill -KILL -- "-$pgid" 2>/dev/null || :
    fi
  fi
  rm -f "$1"
}

ping_service() { curl -fsS --max-time 3 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }
ping_registry() { curl -fsS --max-time 3 "http://$REGISTRY/v2/" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# Machine setup (root only).

install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

fix_tun() {
  if [ ! -e /dev/net/tun ]; then
    log "warning: /dev/net/tun is missing; rootless networking (slirp4netns) will not work"
    return 0
  fi
  local mode
  mode=$(stat -c %a /dev/net/tun)
  case "${mode: -1}" in
    6|7) ;;
    *) log "sandbox fix: /dev/net/tun is mode $mode; chmod 666 so rootless slirp4netns can open it"
       chmod 666 /dev/net/tun ;;
  esac
}

# Every container start creates a session keyring for the service's user; the kernel's default quota
# (200 keys per uid) runs out after a few hundred test containers ("unable to create session key: disk
# quota exceeded"). Raise it only where it is that low.
fix_keys() {
  local f=/proc/sys/kernel/keys/maxkeys
  if [ -w "$f" ] && [ "$(cat "$f")" -lt 20000 ]; then
    log "sandbox fix: kernel.keys.maxkeys $(cat "$f") -> 20000 (session keyrings of many test containers)"
    sysctl -q -w kernel.keys.maxkeys=20000 kernel.keys.maxbytes=2000000 || log "warning: could not raise the key quota"
  fi
}

# Kernels can switch unprivileged user namespaces off; rootless podman needs them.
fix_userns() {
  local f=/proc/sys/user/max_user_namespaces
  if [ -r "$f" ] && [ "$(cat "$f")" = 0 ]; then
    log "fix: user.max_user_namespaces is 0; setting 15000"
    sysctl -q -w user.max_user_namespaces=15000 || die "could not enable user namespaces"
  fi
  f=/proc/sys/kernel/unprivileged_userns_clone
  if [ -r "$f" ] && [ "$(cat "$f")" = 0 ]; then
    log "fix: kernel.unprivileged_userns_clone is 0; setting 1"
    sysctl -q -w kernel.unprivileged_userns_clone=1 || die "could not enable unprivileged user namespaces"
  fi
}

ensure_subids() {  # ensure_subids FILE OPTION
  local file=$1 opt=$2 start
  [ -f "$file" ] || touch "$file"
  grep -q "^$TB_USER:" "$file" && return 0
  start=$(awk -F: 'BEGIN { m = 100000 } { e = $2 + $3; if (e > m) m = e } END { print m }' "$file")
  log "adding $file range $start-$((start + 65535)) for $TB_USER"
  usermod "$opt" "$start-$((start + 65535))" "$TB_USER"
}

ensure_user() {
  if ! id -u "$TB_USER" >/dev/null 2>&1; then
    log "creating user $TB_USER"
    useradd -m -s /bin/bash -c "podstack test bed" "$TB_USER"
  fi
  ensure_subids /etc/subuid --add-subuids
  ensure_subids /etc/subgid --add-subgids
}

# ---------------------------------------------------------------------------------------------
# Private configuration.

cgroup_layout() {
  if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then echo unified
  elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then echo hybrid
  else echo legacy; fi
}

CONF_CHANGED=0
write_file() {  # write_file PATH < content; sets CONF_CHANGED when the content differs
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  chmod 0644 "$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 0; fi
  mv -f "$tmp" "$1"
  CONF_CHANGED=1
}

write_configs() {
  local runtime_line="" ulimits_line="" engine_extra="" hn hu np layout
  layout=$(cgroup_layout)
  if [ "$layout" = hybrid ]; then
    bed_has runc || die "cgroup layout is hybrid (crun refuses it) and runc is not installed"
    runtime_line='runtime = "runc"'
    log "sandbox fix: hybrid cgroup layout -> runtime runc (private containers.conf)"
  fi
  hn=$(ulimit -Hn); hu=$(ulimit -Hu)
  # Podman 5 caps its default ulimits at the hard limits itself (nofile came out 20000:20000 on 5.4.2)
  if [ "$PODMAN_MAJOR" = 4 ] && [ "$hn" != unlimited ] && [ "$hn" -lt 1048576 ]; then
    np=4096
    [ "$hu" != unlimited ] && [ "$hu" -lt "$np" ] && np=$hu
    ulimits_line="default_ulimits = [\"nofile=$hn:$hn\", \"nproc=$np:$np\"]"
    log "sandbox fix: hard nofile limit $hn < 1048576 -> default_ulimits (private containers.conf)"
  fi
  if [ ! -d /run/systemd/system ]; then
    # no systemd: no cgroup manager over D-Bus, no journald
    engine_extra=$'cgroup_manager = "cgroupfs"\nevents_logger = "file"'
  fi
  write_file "$CONF/containers.conf" <<EOF
# podstack test bed: private containers.conf (CONTAINERS_CONF); generated by scripts/testbed.sh
[containers]
default_capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE",
  "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
log_driver = "k8s-file"
$ulimits_line

[engine]
$runtime_line
$engine_extra
# lock files in this bed's run directory, not the per-user shared-memory segment (see scripts/testbed.sh)
lock_type = "$LOCK_TYPE"
EOF
  write_file "$CONF/storage.conf" <<EOF
# podstack test bed: private storage.conf (CONTAINERS_STORAGE_CONF)
[storage]
driver = "$DRIVER"
graphroot = "$STATE/storage"
rootless_storage_path = "$STATE/storage"
EOF
  write_file "$CONF/registries.conf" <<EOF
# podstack test bed: private registries.conf (CONTAINERS_REGISTRIES_CONF)
unqualified-search-registries = []
short-name-mode = "permissive"

[[registry]]
location = "$REGISTRY"
insecure = true
EOF
  mkdir -p "$STATE/config/containers"
  write_file "$STATE/config/containers/policy.json" <<'EOF'
{ "default": [ { "type": "insecureAcceptAnything" } ] }
EOF
}

write_registry_config() {
  local before=$CONF_CHANGED
  CONF_CHANGED=0
  write_file "$CONF/registry.yml" <<EOF
# podstack test bed: loopback OCI registry (docker-registry serve)
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  REGISTRY_CONF_CHANGED=$CONF_CHANGED
  CONF_CHANGED=$before
}

write_env_file() {
  print_env >"$STATE/env.tmp"
  chmod 0644 "$STATE/env.tmp"
  mv -f "$STATE/env.tmp" "$STATE/env"
}

print_env() {
  local uid
  uid=$(id -u "$TB_USER" 2>/dev/null || echo "")
  cat <<EOF
export PODSTACK_TEST_URL='$URL'
export CONTAINER_HOST='$URL'
export PODSTACK_TESTBED_USER='$TB_USER'
export PODSTACK_TESTBED_UID='$uid'
export PODSTACK_TEST_REGISTRY='$REGISTRY'
export PODSTACK_TEST_PULL_IMAGE='$PULL_REF'
export PODSTACK_TESTBED_DIR='$STATE'
export PODSTACK_TESTBED_PODMAN='$PODMAN_MAJOR'
EOF
}

# ---------------------------------------------------------------------------------------------
# Directories.

mkdir_owned() {  # mkdir_owned MODE DIR...
  local mode=$1 d; shift
  for d in "$@"; do
    mkdir -p "$d"
    [ "$MODE" = root ] && chown "$TB_UID:$TB_GID" "$d"
    chmod "$mode" "$d"
  done
}

# A state dir that outlived a reboot holds a stale runroot and runtime dir (they live on tmpfs
# normally); drop them so podman refreshes its state.
check_boot() {
  local now old=""
  now=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
  [ -f "$STATE/boot_id" ] && old=$(cat "$STATE/boot_id")
  if [ -n "$old" ] && [ "$old" != "$now" ]; then
    log "state dir is from an earlier boot; clearing runtime dirs"
    rm -rf "$RUNDIR" "$SERVICE_PID" "$REGISTRY_PID" "$SOCK" 2>/dev/null || :
  fi
  echo "$now" >"$STATE/boot_id"
}

prepare_dirs() {
  mkdir -p "$STATE"
  if [ "$MODE" = root ]; then chown "$TB_UID:$TB_GID" "$STATE"; fi
  chmod 0755 "$STATE"   # traversable: root-run tests connect to the socket inside
  check_boot
  mkdir_owned 0700 "$RUNDIR"
  mkdir_owned 0755 "$CONF" "$STATE/config" "$STATE/data" "$STATE/home" "$STATE/registry"
  if [ "$MODE" = root ]; then
    # the test user must reach the state dir through every parent
    as_user test -w "$STATE" || die "user $TB_USER cannot write $STATE (is a parent dir closed to others?)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Service and registry.

launch_service() {
  rm -f "$SOCK"
  log "starting podman system service on $URL (log: $STATE/service.log)"
  printf '\n--- %s testbed up: podman system service\n' "$(date -u +%FT%TZ)" >>"$STATE/service.log"
  start_detached "$SERVICE_PID" "$STATE/service.log" "$@"
}

# Podman's default locks live in one shared-memory segment per user (/dev/shm/libpod_rootless_lock_UID),
# which both test beds, and a developer's own Podman when they run this as themselves, would share. Each
# bed's `podman system renumber` (unwedge_locks) freed every lock in it, the other bed's too, so two
# objects came to share a lock; a fault test's SIGKILL then left one held and both beds hung (seen in a
# full run). Lock files live in each bed's run directory, and the kernel releases a killed holder's. A bed
# made before the change gets its locks anew in the new place, with its service stopped.
renumber_if_lock_type_changed() {
  [ "$(cat "$STATE/lock_type" 2>/dev/null)" = "$LOCK_TYPE" ] && return 0
  if [ -d "$STATE/storage" ]; then
    log "lock type is now '$LOCK_TYPE'; giving every pod, container and volume a new lock (podman system renumber)"
    as_user podman system renumber >>"$STATE/service.log" 2>&1 || die "podman system renumber failed; see $STATE/service.log"
  fi
  echo "$LOCK_TYPE" >"$STATE/lock_type"
}

# `podman system migrate` resets Podman after it lost its processes. Podman 5.4.2 panics in it (nil pointer
# in UnmountContainerImage, podman#27520, fixed for 5.7), one container at a time: rerunning it gets through.
migrate_podman() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    as_user podman system migrate >>"$STATE/service.log" 2>&1 && return 0
    [ "$PODMAN_MAJOR" = 5 ] || return 0
    log "podman system migrate failed (attempt $attempt; Podman 5.4 panics there, podman#27520); again"
  done
}

start_service() {
  # warn, not info: at info level the service writes an access-log line for every request
  local cmd=(podman --log-level=warn system service --time=0 "$URL") want
  want=$(printf '%q ' "${cmd[@]}")
  if [ "$(cat "$STATE/service.cmd" 2>/dev/null)" != "$want" ]; then CONF_CHANGED=1; fi
  if pid_alive "$SERVICE_PID" podman; then
    if [ "$CONF_CHANGED" = 1 ]; then
      log "private podman configuration or service command changed; restarting the service"
      stop_pidfile "$SERVICE_PID" podman "podman service"
    elif ping_service; then
      log "podman service already running (pid $(first_pid "$SERVICE_PID" podman))"
      return 0
    fi
  fi
  if ! pid_alive "$SERVICE_PID" podman; then
    if ping_service; then die "something else answers on $SOCK; stop it or set PODSTACK_TESTBED_DIR"; fi
    renumber_if_lock_type_changed
    launch_service "${cmd[@]}"
    echo "$want" >"$STATE/service.cmd"
  fi
  local _ resets=0
  for _ in $(seq 1 600); do
    ping_service && { log "podman service answers /_ping"; return 0; }
    if ! pid_alive "$SERVICE_PID" podman; then
      # A service killed with its whole process group (the fault tests do that, a crash or an OOM kill can
      # too) leaves containers recorded as running whose conmon and pause processes are gone; Podman then
      # cannot join its user namespace and refuses to start until `podman system migrate` resets it.
      if [ "$resets" -lt 3 ] && tail -n 5 "$STATE/service.log" | grep -q 'podman system migrate'; then
        resets=$((resets + 1))
        log "podman lost its pause process; resetting it with 'podman system migrate' and starting again"
        migrate_podman
        launch_service "${cmd[@]}"
        continue
      fi
      tail -n 20 "$STATE/service.log" >&2 || :
      die "podman system service exited; see $STATE/service.log"
    fi
    sleep 0.1
  done
  tail -n 20 "$STATE/service.log" >&2 || :
  die "podman service did not answer /_ping on $SOCK within 60 s"
}

# A lock left held makes everything that needs it wait forever, the CLI and the service alike. Podman 4.3
# leaves one held when a request handler panics while holding it (seen removing a pod while a volume it
# used was being removed); with the shared-memory locks beds once had, a killed holder's lock also stayed
# held across restarts (see renumber_if_lock_type_changed). A bounded `podman pod ps` tells; stopping this
# bed's processes frees lock files, and `podman system renumber` gives every pod and container a fresh
# lock (after `migrate` has reset the pause process).
unwedge_locks() {
  if (cd "$STATE" && timeout 20 "${USER_PREFIX[@]}" podman pod ps -q >/dev/null 2>&1); then return 0; fi
  log "podman's locks are stuck (a crashed request left one held); stopping this bed's processes and renumbering its locks"
  stop_pidfile "$SERVICE_PID" podman "podman service"
  local pid cmdline pause
  for pid in $(pgrep -x conmon || :); do
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || :)
    case "$cmdline" in
      *"$STATE/"*) pkill -KILL -P "$pid" 2>/dev/null || :; kill -KILL "$pid" 2>/dev/null || : ;;
    esac
  done
  pause=$(cat "$STATE/run/libpod/tmp/pause.pid" 2>/dev/null || :)
  case "$pause" in ''|*[!0-9]*) ;; *) grep -q catatonit "/proc/$pause/cmdline" 2>/dev/null && kill -KILL "$pause" ;; esac
  migrate_podman
  as_user podman system renumber >>"$STATE/service.log" 2>&1 || die "podman system renumber failed; see $STATE/service.log"
  start_service
  (cd "$STATE" && timeout 20 "${USER_PREFIX[@]}" podman pod ps -q >/dev/null 2>&1) ||
    die "podman's locks are still stuck after renumbering; see $STATE/service.log"
}

start_registry() {
  if ! have docker-registry; then
    [ "$MODE" = root ] && die "docker-registry is not installed"
    log "warning: docker-registry is not installed; no local registry (pull tests will have nothing to pull)"
    return 1
  fi
  if pid_alive "$REGISTRY_PID" docker-registry; then
    if [ "$REGISTRY_CONF_CHANGED" = 1 ]; then
      stop_pidfile "$REGISTRY_PID" docker-registry "registry"
    elif ping_registry; then
      log "registry already running on $REGISTRY (pid $(first_pid "$REGISTRY_PID" docker-registry))"
      return 0
    fi
  fi
  if ! pid_alive "$REGISTRY_PID" docker-registry; then
    if ss -Hltn "sport = :$REG_PORT" 2>/dev/null | grep -q .; then
      die "port $REG_PORT is taken by another process; set PODSTACK_TESTBED_REGISTRY_PORT"
    fi
    log "starting registry on $REGISTRY (log: $STATE/registry.log)"
    local USER_PREFIX=("${HOST_PREFIX[@]}")
    start_detached "$REGISTRY_PID" "$STATE/registry.log" docker-registry serve "$CONF/registry.yml"
  fi
  local _
  for _ in $(seq 1 300); do
    ping_registry && { log "registry answers /v2/"; return 0; }
    if ! pid_alive "$REGISTRY_PID" docker-registry; then
      tail -n 20 "$STATE/registry.log" >&2 || :
      die "registry exited; see $STATE/registry.log"
    fi
    sleep 0.1
  done
  die "registry did not answer on http://$REGISTRY/v2/ within 30 s"
}

# Build the pause image now, not in the middle of the first test that creates a pod.
warm_pause_image() {
  if as_user podman images --format '{{.Repository}}' | grep -q '^localhost/podman-pause$'; then return 0; fi
  log "building podman's pause image (first pod)"
  local name=podstack-testbed-warmup-$$
  as_user podman pod create --name "$name" >/dev/null
  as_user podman pod rm -f "$name" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Subcommands.

# A fake CDI device for the GPU tests (docs/gpus.md): example.com/gpu=fake0 sets PODSTACK_FAKE_GPU=fake0 and
# gives the node /dev/pstest-fakegpu0 (c 1 3, like /dev/null, 0666). Its node keeps the same path on both
# sides: rootless runc bind-mounts nodes at the container's path, so a renamed node would fail at start.
# Written only when absent; 4.3.1 reads /etc/cdi (cdiVersion 0.5.0 is the newest it reads). $1 is a root
# to write under (the Podman 5 bed's, whose /dev is the host's).
ensure_fake_cdi() {
  local root=${1:-}
  [ -e /dev/pstest-fakegpu0 ] || { mknod -m 0666 /dev/pstest-fakegpu0 c 1 3 || die "mknod /dev/pstest-fakegpu0 failed"; }
  [ -e "$root/etc/cdi/podstack-test.yaml" ] && return 0
  mkdir -p "$root/etc/cdi"
  cat >"$root/etc/cdi/podstack-test.yaml" <<'CDI'
cdiVersion: 0.5.0
kind: example.com/gpu
devices:
  - name: fake0
    containerEdits:
      env: [PODSTACK_FAKE_GPU=fake0]
      deviceNodes:
        - path: /dev/pstest-fakegpu0
CDI
}

cmd_up() {
  local images=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-images) images=0 ;;
      *) die "up: unknown option $1" ;;
    esac
    shift
  done
  [ ${#SOCK} -lt 100 ] || die "socket path $SOCK is too long for a unix socket; set a shorter PODSTACK_TESTBED_DIR"
  if [ "$MODE" = root ]; then
    install_packages
    fix_tun
    fix_userns
    fix_keys
    ensure_user
    ensure_fake_cdi
  else
    have podman || die "podman is not installed (as root, this script installs it)"
    have curl || die "curl is not installed"
    if [ -e /dev/net/tun ] && [ ! -r /dev/net/tun ]; then
      log "warning: /dev/net/tun is not readable for you; rootless networking will fail (root: chmod 666 /dev/net/tun)"
    fi
  fi
  resolve_user || die "user $TB_USER does not exist"
  mkdir -p "$STATE"
  exec 9>>"$STATE/.lock"
  flock -w 300 9 || die "another 'testbed.sh up/down' holds $STATE/.lock"
  if [ "$PODMAN_MAJOR" = 5 ]; then
    ensure_rootfs
    ensure_rootfs_user
    if [ "$MODE" = root ]; then ensure_fake_cdi "$ROOTFS"; fi
    echo "$ROOTFS" >"$STATE/podman5_rootfs"
  fi
  echo "$PODMAN_MAJOR" >"$STATE/podman_major"
  prepare_dirs
  write_configs
  write_registry_config
  echo "$REG_PORT" >"$STATE/registry.port"
  write_env_file
  start_service
  unwedge_locks
  local reg_ok=1
  start_registry || reg_ok=0
  warm_pause_image
  if [ "$images" = 1 ]; then
    local args=()
    [ "$reg_ok" = 1 ] && args+=(--registry "$REGISTRY")
    PODSTACK_TESTBED_DIR=$STATE "$SCRIPT_DIR/build-standins.sh" "${args[@]}" >&2
  fi
  log "ready; exports in $STATE/env"
  echo "$URL"
}

cmd_down() {
  local purge=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --purge) purge=1 ;;
      *) die "down: unknown option $1" ;;
    esac
    shift
  done
  if [ ! -d "$STATE" ]; then log "nothing to do: $STATE does not exist"; return 0; fi
  resolve_user || die "user $TB_USER does not exist"
  exec 9>>"$STATE/.lock"
  flock -w 300 9 || die "another 'testbed.sh up/down' holds $STATE/.lock"
  if [ -f "$CONF/containers.conf" ]; then
    # leave no conmon/rootlessport behind: containers started through the service outlive it
    if ! (cd "$STATE" && timeout 120 "${USER_PREFIX[@]}" podman stop --all --time 3 >/dev/null 2>&1); then
      log "warning: 'podman stop --all' failed or timed out"
    fi
  fi
  stop_pidfile "$SERVICE_PID" podman "podman service"
  stop_pidfile "$REGISTRY_PID" docker-registry "registry"
  rm -f "$SOCK"
  # the rootless pause process holds the user namespace; nothing needs it once all is stopped
  local pause
  pause=$(cat "$RUNDIR/libpod/tmp/pause.pid" 2>/dev/null || :)
  if [ -n "$pause" ] && proc_running "$pause" && grep -q catatonit "/proc/$pause/cmdline" 2>/dev/null; then
    kill -TERM "$pause" 2>/dev/null || :
  fi
  if [ "$purge" = 1 ]; then
    log "purging $STATE"
    if [ "$MODE" = user ] && [ -d "$STATE/storage" ]; then
      # layers hold files owned by sub-uids: delete them from inside the user namespace
      as_user podman unshare rm -rf "$STATE/storage" "$RUNDIR/containers" >/dev/null 2>&1 || :
      pause=$(cat "$RUNDIR/libpod/tmp/pause.pid" 2>/dev/null || :)
      [ -n "$pause" ] && kill -TERM "$pause" 2>/dev/null || :
    fi
    rm -rf "$STATE" || die "could not delete all of $STATE"
  fi
  log "down"
}

cmd_status() {
  local rc=0
  if pid_alive "$SERVICE_PID" podman; then
    if ping_service; then echo "service: running (pid $(first_pid "$SERVICE_PID" podman)), $URL answers /_ping"
    else echo "service: process $(cat "$SERVICE_PID") runs but $SOCK does not answer"; rc=3; fi
  else
    echo "service: stopped"; rc=3
  fi
  if pid_alive "$REGISTRY_PID" docker-registry; then
    if ping_registry; then echo "registry: running (pid $(first_pid "$REGISTRY_PID" docker-registry)) on $REGISTRY"
    else echo "registry: process $(cat "$REGISTRY_PID") runs but $REGISTRY does not answer"; rc=3; fi
  else
    echo "registry: stopped"; rc=3
  fi
  echo "state: $STATE"
  return $rc
}

cmd_podman() {
  [ -f "$CONF/containers.conf" ] || die "no test bed in $STATE; run 'scripts/testbed.sh up' first"
  resolve_user || die "user $TB_USER does not exist"
  as_user podman "$@"
}

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  env) print_env ;;
  status) cmd_status ;;
  podman) shift; cmd_podman "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
