#!/usr/bin/env bash
# Installs or updates the ColdTrace station agent on Debian or Raspberry Pi OS (firmware-config/README.md). Idempotent:
# a second run with the same inputs changes nothing. Run as root on the station, or with --root DIR against a
# throwaway root (tests/run.sh does, twice).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: install-agent.sh [--binaries DIR] [--config FILE] [--dry-run] [--root DIR]

  --binaries DIR  the published agent (dotnet publish agent -r linux-arm64 ...; see README "Builds"), installed as
                  /opt/coldtrace-agent. Required the first time; without it the installed program is kept.
  --config FILE   the station's settings (start from firmware-config/stations/<role>.json), installed as
                  /etc/coldtrace-agent/appsettings.json. Required the first time; without it the installed file is kept.
  --dry-run       print every change (and the diff of changed settings) and make none.
  --root DIR      install into DIR instead of / (users, groups, units and files); nothing is started.

Creates the user coldtrace-agent (groups gpio, i2c, dialout, input), /var/lib/coldtrace-agent (0700), the systemd unit,
the udev rules, chrony settings when chrony is installed and the config.txt lines on a Raspberry Pi; creates the device
key if there is none and prints the line to run on the hub. The service is enabled; it is restarted only when it was
running and something changed (start it yourself the first time, after enrolment: README step 6).
EOF
}

# shellcheck source=install-common.sh
. "$(dirname "$0")/install-common.sh"
parse_common "$@"
program_paths coldtrace-agent agent
if [ -z "$CONFIG" ] && [ ! -f "$(target $ETC/appsettings.json)" ]; then
  die "first install: give --config FILE (start from $HERE/stations/<role>.json)"
fi
echo "Installing the ColdTrace agent into $ROOT$([ "$DRY_RUN" -eq 1 ] && echo ' (dry run)')"

# 1. The service user and its device groups.
install_file "$HERE/systemd/coldtrace-agent.sysusers" /etc/sysusers.d/coldtrace-agent.conf 0644 root root
ensure_sysusers coldtrace-agent

# 2. Program, settings, state.
ensure_dir /opt 0755 root root
[ -n "$BINARIES" ] && install_tree "$BINARIES" "$PROGRAM"
install_text /usr/local/bin/coldtrace-agent 0755 root root <<EOF
#!/bin/sh
# The agent's tools with the service's settings: sudo -u $USER_NAME coldtrace-agent identity|status
export DOTNET_CONTENTROOT=$ETC
exec $PROGRAM/coldtrace-agent "\$@"
EOF
ensure_dir "$ETC" 0750 root "$USER_NAME"
[ -n "$CONFIG" ] && install_file "$CONFIG" "$ETC/appsettings.json" 0640 root "$USER_NAME"
ensure_dir /var/lib 0755 root root
ensure_dir "$DATA" 0700 "$USER_NAME" "$USER_NAME"

# 3. systemd.
install_file "$HERE/systemd/$UNIT" "/etc/systemd/system/$UNIT" 0644 root root
ensure_enabled "$UNIT"

# 4. Raspberry Pi: devices, clock, config.txt.
install_file "$HERE/pi/60-coldtrace.rules" /etc/udev/rules.d/60-coldtrace.rules 0644 root root
if [ -d "$(target /etc/chrony)" ]; then
  install_file "$HERE/pi/chrony.conf" /etc/chrony/conf.d/coldtrace.conf 0644 root root
  install_file "$HERE/pi/coldtrace-clock-synced.service" /etc/systemd/system/coldtrace-clock-synced.service 0644 root root
  ensure_enabled coldtrace-clock-synced.service
else
  note "chrony is not installed: the agent reads clock sync from systemd-timesyncd (README \"Clock\")"
fi
boot_config=""
for candidate in /boot/firmware/config.txt /boot/config.txt; do
  if [ -f "$(target $candidate)" ]; then boot_config=$candidate; break; fi
done
if [ -n "$boot_config" ]; then
  while IFS= read -r line; do
    case "$line" in ''|'#'*) ;; *) ensure_line "$boot_config" "$line" ;; esac
  done < "$HERE/pi/config.txt"
else
  note "no config.txt: not a Raspberry Pi, 1-Wire and I2C left as they are"
fi

# 5. The device key (created once, never replaced) and the enrolment line. The agent validates the Station settings
#    here, so a wrong setting stops the install with the key named.
#    A dry run checks the new settings from a temporary copy.
content=$(target $ETC)
if [ "$DRY_RUN" -eq 1 ] && [ -n "$CONFIG" ]; then
  content=$(mktemp -d)
  trap 'rm -rf "$content"' EXIT
  cp "$CONFIG" "$content/appsettings.json"
fi
agent_tool() {
  local program=$PROGRAM/coldtrace-agent
  [ -n "$BINARIES" ] && program=$BINARIES/coldtrace-agent || program=$(target "$program")
  if live && [ "$DRY_RUN" -eq 0 ]; then
    runuser -u "$USER_NAME" -- env DOTNET_CONTENTROOT="$content" "$program" "$@"
  elif live; then
    DOTNET_CONTENTROOT="$content" "$program" "$@"
  else
    # A throwaway root: the data directory is the default one inside it.
    DOTNET_CONTENTROOT="$content" "$program" "$@" "--Station:DataDirectory=$(target $DATA)"
  fi
}
key=$(target $DATA/device.key)
if [ ! -f "$key" ]; then
  if change "$DATA/device.key" "create the device key $DATA/device.key"; then
    agent_tool keygen
    if ! live; then set_owner "$key" "$USER_NAME" "$USER_NAME"; fi
  else
    set +e; out=$(agent_tool identity 2>&1); status=$?; set -e
    [ "$status" -eq 2 ] && die "the settings are not valid: $out"
  fi
else
  agent_tool identity || die "the settings are not valid (see above)"
fi

# 6. On the station itself: tell systemd and udev, restart what was running and changed.
if live && [ "$DRY_RUN" -eq 0 ] && [ -d /run/systemd/system ]; then
  if changed "/etc/systemd/system/$UNIT" || changed /etc/systemd/system/coldtrace-clock-synced.service; then systemctl daemon-reload; fi
  if changed /etc/udev/rules.d/60-coldtrace.rules; then udevadm control --reload && udevadm trigger; fi
  if changed /etc/chrony/conf.d/coldtrace.conf; then systemctl restart chrony; fi
  if [ "$CHANGES" -gt 0 ] && systemctl is-active --quiet "$UNIT"; then systemctl restart "$UNIT"; echo "restarted $UNIT"; fi
fi
summary
if [ "$DRY_RUN" -eq 0 ] && [ -n "$boot_config" ] && changed "$boot_config"; then echo "reboot to apply $boot_config"; fi
