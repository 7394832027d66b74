#!/usr/bin/env bash
# Builds the snapshot `orders-world` every orders scenario forks: what the shop team has before
# the service runs, the GitHub repository acme/shop and the Slack channel #orders (created by the
# app's bot, so the bot is in it). Run it once per `dtu serve` (again after a restart with
# `--db memory`); it replaces an older snapshot of the same name.
#
#   scenarios/orders/make_world.sh http://127.0.0.1:8080
set -euo pipefail

twins="${1:-http://127.0.0.1:8080}"
twins="${twins%/}"
source_session="orders-world-source"
base="$twins/_s/$source_session"

call() {
  # --fail-with-body: a refusal stops the script and shows why
  curl --silent --show-error --fail-with-body --max-time 30 "$@"
  echo
}

call -X POST "$twins/_twin/sessions/$source_session/reset" > /dev/null
call -X POST "$base/github/orgs/acme/repos" -H 'Authorization: Bearer ghp_orders' \
     -H 'Content-Type: application/json' -d '{"name": "shop"}' > /dev/null
channel=$(call -X POST "$base/slack/api/conversations.create" \
     -H 'Authorization: Bearer xoxb-orders' -d name=orders)
# Slack answers 200 with "ok": false on a refusal
case "$channel" in
  *'"ok":true'* | *'"ok": true'*) ;;
  *) echo "make_world: Slack refused to create #orders: $channel" >&2; exit 1 ;;
esac
call -X POST "$twins/_twin/sessions/$source_session/snapshot" \
     -H 'Content-Type: application/json' -d '{"name": "orders-world", "replace": true}'
