#!/bin/sh
# open-webui stand-in: web UI on PORT (8080). Uses OLLAMA_BASE_URL (default http://127.0.0.1:11434);
# an unreachable ollama is logged, not fatal, as in the real app.
STANDIN_NAME="open-webui stand-in"
. /usr/lib/standin/lib.sh
standin_traps
PORT=${PORT:-8080}
base=${OLLAMA_BASE_URL:-}
case "$base" in "") base=http://127.0.0.1:11434 ;; esac
base=${base%/}
mkdir -p /app/backend/data
standin_docroot /usr/share/open-webui-standin/www /var/lib/open-webui-standin/www
if standin_http_ok "$base/api/tags"; then
  standin_log "ollama reachable at $base"
else
  standin_log "ollama not reachable at $base (continuing)"
fi
standin_serve "$PORT" /var/lib/open-webui-standin/www "open-webui stand-in"
standin_wait
