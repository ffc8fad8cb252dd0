#!/bin/sh
# One-shot job of the demo stack: imports logpod's saved objects (data view and
# dashboards) into Kibana through the saved objects API. Safe to run again:
# overwrite=true replaces the objects with the same ids. Exits non-zero, with
# Kibana's answer, when the import is refused or partial.
set -eu

KIBANA_URL="${KIBANA_URL:-http://kibana:5601}"
SAVED_OBJECTS="${SAVED_OBJECTS:-/kibana/saved-objects.ndjson}"

if [ ! -f "$SAVED_OBJECTS" ]; then
  echo "kibana-import: $SAVED_OBJECTS not found" >&2
  exit 1
fi

# Compose starts this job once Kibana is healthy; still, wait (up to 5 minutes)
# in case it runs on its own.
tries=0
until curl -fsS "$KIBANA_URL/api/status" 2>/dev/null | grep -q '"level":"available"'; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "kibana-import: Kibana at $KIBANA_URL is not available after 5 minutes" >&2
    exit 1
  fi
  sleep 5
done

answer=$(curl -sS -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: logpod' \
  --form "file=@$SAVED_OBJECTS")

case "$answer" in
  *'"success":true'*)
    echo "kibana-import: imported $SAVED_OBJECTS: $answer"
    ;;
  *)
    echo "kibana-import: Kibana refused $SAVED_OBJECTS: $answer" >&2
    exit 1
    ;;
esac
