# shellcheck shell=sh
# Shared helpers for the podstack stand-in images (busybox ash). Sourced by each entry script.
# Every stand-in runs as PID 1 without an init: it must trap TERM/INT itself, or `podman stop`
# waits for the timeout and then kills it.

STANDIN_NAME=${STANDIN_NAME:-stand-in}
STANDIN_PIDS=""

standin_log() { echo "$STANDIN_NAME: $*"; }
standin_err() { echo "$STANDIN_NAME: $*" >&2; }

standin_on_term() {
  trap - TERM INT
  # shellcheck disable=SC2086
  [ -n "$STANDIN_PIDS" ] && kill $STANDIN_PIDS 2>/dev/null
  standin_log "stopping on signal"
  exit 0
}

standin_traps() { trap standin_on_term TERM INT; }

# standin_sleep SECONDS: a sleep that a TERM interrupts at once
standin_sleep() {
  sleep "$1" &
  _standin_sleep=$!
  STANDIN_PIDS="$STANDIN_PIDS $_standin_sleep"
  wait "$_standin_sleep"
}

standin_port_open() { nc -w 1 "$1" "$2" </dev/null >/dev/null 2>&1; }

# busybox 1.35 (Debian static) wget segfaults with -T: bound it with timeout(1) instead
standin_http_ok() { timeout "${2:-3}" wget -q -O /dev/null "$1" 2>/dev/null; }

# standin_serve PORT DOCROOT LABEL: busybox httpd in the background, logged once it accepts
STANDIN_HTTPD_PIDS=""
standin_serve() {
  httpd -f -p "$1" -h "$2" &
  _standin_httpd=$!
  STANDIN_PIDS="$STANDIN_PIDS $_standin_httpd"
  STANDIN_HTTPD_PIDS="$STANDIN_HTTPD_PIDS $_standin_httpd"
  _i=0
  while [ $_i -lt 50 ]; do
    standin_port_open 127.0.0.1 "$1" && break
    kill -0 "$_standin_httpd" 2>/dev/null || break
    sleep 0.1
    _i=$((_i + 1))
  done
  if ! standin_port_open 127.0.0.1 "$1"; then
    standin_err "could not listen on port $1"
    exit 1
  fi
  echo "${3:-$STANDIN_NAME} listening on $1"
}

# standin_wait: block until a signal arrives; exit 1 if a server process dies by itself
standin_wait() {
  # shellcheck disable=SC2086
  wait $STANDIN_HTTPD_PIDS
  standin_err "server process exited"
  exit 1
}

# standin_docroot SRC DEST: a writable copy of a static tree
standin_docroot() {
  rm -rf "$2"
  mkdir -p "$2"
  cp -a "$1/." "$2/"
}
