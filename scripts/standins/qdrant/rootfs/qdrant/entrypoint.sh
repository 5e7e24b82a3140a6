#!/bin/sh
# qdrant stand-in: HTTP API on QDRANT__SERVICE__HTTP_PORT (6333), gRPC stand-in on
# QDRANT__SERVICE__GRPC_PORT (6334).
STANDIN_NAME="qdrant stand-in"
. /usr/lib/standin/lib.sh
standin_traps
HTTP_PORT=${QDRANT__SERVICE__HTTP_PORT:-6333}
GRPC_PORT=${QDRANT__SERVICE__GRPC_PORT:-6334}
mkdir -p /qdrant/storage /qdrant/snapshots
standin_docroot /usr/share/qdrant-standin/http /var/lib/qdrant-standin/http
standin_serve "$HTTP_PORT" /var/lib/qdrant-standin/http "qdrant stand-in"
standin_serve "$GRPC_PORT" /usr/share/qdrant-standin/grpc "qdrant stand-in (gRPC)"
standin_wait
