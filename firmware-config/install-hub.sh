#!/usr/bin/env bash
# Installs or updates the ColdTrace hub on Debian (firmware-config/README.md "The hub"). Idempotent: a second run with the
# same inputs changes nothing. Run as root on the server, or with --root DIR against a throwaway root (tests/run.sh).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install-hub.sh [--binaries DIR] [--config FILE] [--dry-run] [--root DIR]

  --binaries DIR  the published hub (dotnet publish hub -r linux-x64 ...; see README "Builds"), installed as
                  /opt/coldtrace-hub. Required the first time; without it the installed program is kept.
  --config FILE   the hub's settings, installed as /etc/coldtrace-hub/appsettings.json. Without it the installed file
                  is kept, or firmware-config/hub/appsettings.json is installed the first time.
  --dry-run       print every change (and the diff of changed settings) and make none.
  --root DIR      install into DIR instead of /; nothing is started.

Creates the user coldtrace-hub, /var/lib/coldtrace-hub (0700; the log, devices and hub.key) and the systemd unit, and
enables the service; it is restarted only when it was running and something changed. The hub key is made at the
first start: the journal and GET /v1/log/key show its verifier key.
USAGE
}

# shellcheck source=install-common.sh
. "$(dirname "$0")/install-common.sh"
parse_common "$@"
program_paths coldtrace-hub hub
if [ -z "$CONFIG" ] && [ ! -f "$(target $ETC/appsettings.json)" ]; then
  CONFIG=$HERE/hub/appsettings.json
fi
echo "Installing the ColdTrace hub into $ROOT$([ "$DRY_RUN" -eq 1 ] && echo ' (dry run)')"

install_file "$HERE/systemd/coldtrace-hub.sysusers" /etc/sysusers.d/coldtrace-hub.conf 0644 root root
ensure_sysusers coldtrace-hub

ensure_dir /opt 0755 root root
[ -n "$BINARIES" ] && install_tree "$BINARIES" "$PROGRAM"
# The hub's tools (devices enroll, log audit) with the service's settings and data directory; stop the hub first.
install_text /usr/local/bin/coldtrace-hub 0755 root root <<WRAPPER
#!/bin/sh
# The hub's tools with the service's settings: sudo -u $USER_NAME coldtrace-hub devices list
export DOTNET_CONTENTROOT=$ETC STATE_DIRECTORY=$DATA
exec $PROGRAM/coldtrace-hub "\$@"
WRAPPER
ensure_dir "$ETC" 0750 root "$USER_NAME"
[ -n "$CONFIG" ] && install_file "$CONFIG" "$ETC/appsettings.json" 0640 root "$USER_NAME"
ensure_dir /var/lib 0755 root root
ensure_dir "$DATA" 0700 "$USER_NAME" "$USER_NAME"

install_file "$HERE/systemd/$UNIT" "/etc/systemd/system/$UNIT" 0644 root root
ensure_enabled "$UNIT"

if live && [ "$DRY_RUN" -eq 0 ] && [ -d /run/systemd/system ]; then
  if changed "/etc/systemd/system/$UNIT"; then systemctl daemon-reload; fi
  if [ "$CHANGES" -gt 0 ] && systemctl is-active --quiet "$UNIT"; then systemctl restart "$UNIT"; echo "restarted $UNIT"; fi
fi
summary
