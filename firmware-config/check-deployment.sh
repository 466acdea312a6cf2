#!/usr/bin/env bash
# Checks the deployment pieces against the publishes made by publish.sh (run by tests/run.sh):
#   check-deployment.sh PUBLISH_DIR
# 1. the arm64 programs are aarch64 executables; 2. the trimmed linux-x64 agent validates every station template and
# makes a key, and refuses a broken one naming the key; 3. the linux-x64 hub (untrimmed) parses a GS1 scan, serves a
# checkpoint, answers a verification and its web UI's sign-in page; 4. install-agent.sh and install-hub.sh against a throwaway root: a dry run writes nothing, the first run
# installs, the second run changes nothing; 5. systemd-analyze verify passes on the installed units without a word.
# Never touches the machine itself: everything happens in temporary directories.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
publish=$(cd "${1:?usage: check-deployment.sh PUBLISH_DIR}" && pwd)
work=$(mktemp -d)
hub_pid=""
cleanup() { if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "check-deployment: FAIL: $*" >&2; exit 1; }
ok() { echo "check-deployment: ok: $*"; }

# 1. ELF e_machine (offset 18, little-endian): 0xb7 aarch64, 0x3e x86-64.
machine() { od -An -tx1 -j18 -N1 "$1" | tr -d ' '; }
for app in agent hub; do
  [ "$(machine "$publish/$app-linux-arm64/coldtrace-$app")" = b7 ] || fail "$app-linux-arm64/coldtrace-$app is not an aarch64 executable"
  [ "$(machine "$publish/$app-linux-x64/coldtrace-$app")" = 3e ] || fail "$app-linux-x64/coldtrace-$app is not an x86-64 executable"
done
ok "arm64 and x64 executables"

# 1b. The agent really is trimmed: untrimmed it ships the whole runtime (System.Private.Xml among it, 84-90 MB).
for rid in linux-arm64 linux-x64; do
  [ ! -e "$publish/agent-$rid/System.Private.Xml.dll" ] || fail "agent-$rid is not trimmed (System.Private.Xml.dll shipped)"
  size=$(du -sm "$publish/agent-$rid" | cut -f1)
  [ "$size" -le 50 ] || fail "agent-$rid is $size MB, over the 50 MB a trimmed agent stays under"
done
ok "agent trimmed (System.Private.Xml.dll absent, under 50 MB)"

# 2. The trimmed agent: options binding and validation as the service does them, key creation, enrolment line.
agent=$publish/agent-linux-x64/coldtrace-agent
for template in "$here"/stations/*.json; do
  role=$(basename "$template" .json)
  mkdir -p "$work/$role"
  cp "$template" "$work/$role/appsettings.json"
  DOTNET_CONTENTROOT=$work/$role "$agent" keygen "--Station:DataDirectory=$work/$role/data" > "$work/$role/keygen.txt" \
    || fail "trimmed agent keygen with stations/$role.json"
  DOTNET_CONTENTROOT=$work/$role "$agent" identity "--Station:DataDirectory=$work/$role/data" > "$work/$role/identity.txt" \
    || fail "trimmed agent identity with stations/$role.json"
  cmp -s "$work/$role/keygen.txt" "$work/$role/identity.txt" || fail "identity differs from keygen for $role"
  grep -q '^hub devices enroll --id .* --key .* --site 9506000134383 --role ' "$work/$role/identity.txt" || fail "no enrolment line for $role"
  [ "$(stat -c %a "$work/$role/data/device.key")" = 600 ] || fail "device.key is not 0600"
done
set +e
error=$(DOTNET_CONTENTROOT=$work/dock-out "$agent" identity --Station:SiteGln=9506000134384 2>&1)
status=$?
set -e
[ "$status" -eq 2 ] && [[ "$error" == *"Station:SiteGln"* ]] || fail "trimmed agent accepted a wrong GLN (exit $status: $error)"
ok "trimmed agent: every template validates, keygen/identity, a wrong key is named"

# 3. The hub (published untrimmed: Razor Pages): a CLI tool, then the service itself on free ports with a fresh data directory.
hub=$publish/hub-linux-x64/coldtrace-hub
"$hub" gs1 parse '(01)09506000134352(21)ABC123(17)271231(10)L1' | grep -q '"digitalLink": "https://id.gs1.org/01/09506000134352/10/L1/21/ABC123?17=271231"' \
  || fail "trimmed hub gs1 parse"
mkdir -p "$work/hub-state"
STATE_DIRECTORY=$work/hub-state DOTNET_CONTENTROOT=$work "$hub" --urls=http://127.0.0.1:0 --Broker:Port=0 > "$work/hub.log" 2>&1 &
hub_pid=$!
url=""
for _ in $(seq 1 120); do
  url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$work/hub.log" | head -1 | sed 's/Now listening on: //') || true
  [ -n "$url" ] && break
  kill -0 "$hub_pid" 2>/dev/null || fail "trimmed hub exited: $(cat "$work/hub.log")"
  sleep 0.5
done
[ -n "$url" ] || fail "trimmed hub did not start: $(cat "$work/hub.log")"
checkpoint=""
for _ in $(seq 1 40); do
  checkpoint=$(curl -sf "$url/v1/log/checkpoint") && break
  sleep 0.5
done
[[ "$checkpoint" == *"coldtrace.localhost/log"* ]] || fail "no checkpoint from the trimmed hub: $checkpoint"
answer=$(curl -sf -X POST -H 'content-type: application/json' -d '{"scan":"(01)09506000134352(21)ABC123"}' "$url/v1/verify")
[[ "$answer" == *'"status":"unknown"'* ]] || fail "trimmed hub /v1/verify: $answer"
# The web UI (Razor Pages, untrimmed): the sign-in page and its stylesheet, found next to the program whatever the
# working directory; a page without a session redirects to sign-in.
signin=$(curl -sf "$url/account/signin") || fail "hub web UI: no sign-in page"
[[ "$signin" == *'name="__RequestVerificationToken"'* ]] || fail "hub web UI: sign-in page without antiforgery token"
curl -sf "$url/css/site.css" | grep -q -- '--touch' || fail "hub web UI: no stylesheet"
[[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$url/verify")" == "302 $url/account/signin?ReturnUrl=%2Fverify" ]] \
  || fail "hub web UI: /verify without a session does not redirect to sign-in"
kill "$hub_pid"; wait "$hub_pid" || true; hub_pid=""
ok "hub (untrimmed): gs1 parse, checkpoint, verify, web UI sign-in"

# 4. The installers against a throwaway root that looks like a Raspberry Pi OS / Debian install.
root=$work/root
mkdir -p "$root/etc/chrony/conf.d" "$root/boot/firmware" "$root/usr/lib/systemd" "$root/usr/bin"
cp /etc/passwd /etc/group "$root/etc/"
for file in shadow gshadow; do if [ -r "/etc/$file" ]; then cp "/etc/$file" "$root/etc/"; fi; done
printf '[all]\narm_64bit=1\n' > "$root/boot/firmware/config.txt"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
# What the clock unit needs on a Pi with chrony: its unit and programs (stand-ins; never run).
printf '[Unit]\nDescription=chrony stand-in\n[Service]\nExecStart=/usr/bin/chronyc\n' > "$root/usr/lib/systemd/system/chrony.service"
for program in chronyc mkdir touch; do printf '#!/bin/sh\nexit 0\n' > "$root/usr/bin/$program"; chmod +x "$root/usr/bin/$program"; done

snapshot() {
  (cd "$root" && find . -path ./usr/lib/systemd/system -prune -o -printf '%p %m %U %G %s %T@ %l\n' | sort \
    && find . -path ./usr/lib/systemd/system -prune -o -type f -print0 | sort -z | xargs -0 md5sum)
}
run_twice() { # NAME ARGS...
  local name=$1; shift
  snapshot > "$work/$name.before"
  "$here/install-$name.sh" --root "$root" --dry-run "$@" > "$work/$name.dry.txt" || fail "install-$name.sh --dry-run: $(cat "$work/$name.dry.txt")"
  snapshot > "$work/$name.after-dry"
  diff -q "$work/$name.before" "$work/$name.after-dry" >/dev/null || fail "install-$name.sh --dry-run changed the root"
  grep -q '^would install /etc/systemd/system/coldtrace-' "$work/$name.dry.txt" || fail "install-$name.sh --dry-run did not show its changes"
  "$here/install-$name.sh" --root "$root" "$@" > "$work/$name.first.txt" || fail "install-$name.sh: $(cat "$work/$name.first.txt")"
  grep -q '^made [0-9]* changes$' "$work/$name.first.txt" || fail "install-$name.sh first run: $(cat "$work/$name.first.txt")"
  snapshot > "$work/$name.after-first"
  "$here/install-$name.sh" --root "$root" "$@" > "$work/$name.second.txt" || fail "install-$name.sh second run: $(cat "$work/$name.second.txt")"
  grep -q '^nothing to change$' "$work/$name.second.txt" || fail "install-$name.sh second run changed something: $(cat "$work/$name.second.txt")"
  snapshot > "$work/$name.after-second"
  diff "$work/$name.after-first" "$work/$name.after-second" >&2 || fail "install-$name.sh second run touched files"
}
run_twice agent --binaries "$publish/agent-linux-x64" --config "$here/stations/dock-out.json"
grep -q '^hub devices enroll --id dock-7-out ' "$work/agent.first.txt" || fail "install-agent.sh printed no enrolment line"
[ -f "$root/var/lib/coldtrace-agent/device.key" ] || fail "install-agent.sh made no device key"
grep -qx 'dtoverlay=w1-gpio,gpiopin=4' "$root/boot/firmware/config.txt" || fail "config.txt lacks the 1-Wire overlay"
grep -q '^coldtrace-agent:' "$root/etc/passwd" || fail "no coldtrace-agent user"
for group in gpio i2c dialout input; do
  grep -q "^$group:.*[:,]coldtrace-agent\(,\|$\)" "$root/etc/group" || fail "coldtrace-agent is not in group $group"
done
[ -L "$root/etc/systemd/system/multi-user.target.wants/coldtrace-agent.service" ] || fail "coldtrace-agent.service not enabled"
sed 's/"SiteGln": "9506000134383"/"SiteGln": "9506000134384"/' "$here/stations/dock-out.json" > "$work/broken.json"
if "$here/install-agent.sh" --root "$root" --dry-run --config "$work/broken.json" > "$work/broken.txt" 2>&1 \
  || ! grep -q 'Station:SiteGln' "$work/broken.txt"; then
  fail "install-agent.sh accepted settings with a wrong GLN: $(cat "$work/broken.txt")"
fi
run_twice hub --binaries "$publish/hub-linux-x64"
grep -q '^coldtrace-hub:' "$root/etc/passwd" || fail "no coldtrace-hub user"
ok "install-agent.sh and install-hub.sh: dry run writes nothing, second run changes nothing"

# 5. The units as installed, with their ExecStart programs in place (systemd-analyze prints warnings but exits 0 on
#    unknown keys or bad values: any output is a failure).
units="coldtrace-agent.service coldtrace-hub.service coldtrace-clock-synced.service"
# shellcheck disable=SC2086
report=$(systemd-analyze verify --root="$root" --man=no $units 2>&1) || fail "systemd-analyze verify: $report"
[ -z "$report" ] || fail "systemd-analyze verify: $report"
ok "systemd-analyze verify $units"
