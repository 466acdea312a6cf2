#!/usr/bin/env bash
# Installs what the tests need (once), builds the solution with warnings as errors, runs every test project,
# and ends with one line: "N passed, N failed, N skipped". Exits non-zero on any failure or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the suites use, as "command package" pairs. In CI a prerequisite that cannot be installed is a failure.
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
# Mosquitto for the external-broker tests (tests/SupplyChain.IntegrationTests/Broker): /usr/sbin is not on every PATH.
[ -x /usr/sbin/mosquitto ] || packages+=(mosquitto)
need mosquitto_sub mosquitto-clients
# Network faults (tests/SupplyChain.IntegrationTests/Network): ip netns, veth pairs and iptables DROP rules inside the
# namespaces the tests create (Debian 12's iptables is nft-based and works in a namespace).
[ -x /usr/sbin/ip ] || packages+=(iproute2)
[ -x /usr/sbin/iptables ] || packages+=(iptables)
# firmware-config/check-deployment.sh: systemd-analyze verify, systemd-sysusers and systemctl --root; curl for the hub.
need systemd-analyze systemd
need curl curl
# libfaketime for the clock-jump and day-offline tests (tests/SupplyChain.IntegrationTests/Agent/FakeTime.cs).
need faketime faketime
# eatmydata for `coldtrace-bench agent` (and its smoke test): the outbox backlogs it measures are seeded with fsync
# turned off (the seeding is not what is measured); without it seeding still works, only slower.
need eatmydata eatmydata
# The web UI's browser tests (tests/SupplyChain.Hub.Tests/Web): Playwright drives Debian's Chromium, never a download.
[ -x /usr/bin/chromium ] || packages+=(chromium)
# The PostgreSQL store tests (tests/SupplyChain.Hub.Tests/Storage): each test run starts its own throwaway cluster with
# Debian's initdb and pg_ctl (own directory, loopback port), and stops it at the end; the system's cluster is not used.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
# Disk-full tests (tests/SupplyChain.Hub.Tests/Storage/Tmpfs.cs): mount -t tmpfs on a temporary directory, as root.
[ -x /usr/bin/mount ] || [ -x /bin/mount ] || packages+=(mount)
# Fuzzing (tests/fuzz.sh, tests/SupplyChain.IntegrationTests/Fuzzing): AFL++ drives the SharpFuzz-instrumented contracts.
need afl-fuzz afl++
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${packages[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build SupplyChain.sln -c Release -warnaserror -nologo -v quiet
status=0
dotnet test SupplyChain.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@" || status=$?

# Trimmed self-contained publishes for both architectures (a broken arm64 publish fails here), then the deployment
# checks on them: templates, smoke runs, install scripts twice against a throwaway root, systemd-analyze verify.
deployment_started=$SECONDS
firmware-config/publish.sh artifacts/publish && firmware-config/check-deployment.sh artifacts/publish || status=1
echo "publish and deployment checks: $((SECONDS - deployment_started)) s"

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "No test ran." >&2; exit 1; fi
