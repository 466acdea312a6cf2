#!/usr/bin/env bash
# Issue #7 item 10, the sustained load: 200 simulated devices (real keys, real envelopes, one MQTT connection each)
# offer a steady 1,000 events/s for 10 minutes to a real hub process on loopback. The hub stores on PostgreSQL
# (LiteDB's durable inserts top out near 700 events/s here; docs/BENCHMARKS.md), in a throwaway cluster this script
# makes and removes: Debian's postgresql, own directory, loopback port, fsync and synchronous_commit on.
# The generator exits 1 when any event is lost, rejected, acked twice, out of order or never checkpointed; its table
# (throughput, p99 scan-to-ack and scan-to-checkpoint, hub CPU, hub RSS sampled through the window) replaces
# <!-- load:LABEL --> in docs/BENCHMARKS.md. Extra arguments go to the generator, e.g. --duration 60 for a rehearsal.
#   tests/load-200.sh [--write-docs sustained-200] [generator options...]
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
port=${COLDTRACE_LOAD_PG_PORT:-55433}
cluster=$(mktemp -d /tmp/coldtrace-load-pg-XXXXXX)
chown postgres "$cluster"
stop() {
  runuser -u postgres -- "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT
runuser -u postgres -- "$bin/initdb" -D "$cluster/data" -U coldtrace -A trust -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster" start >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U coldtrace -d postgres -qc "create database load200"

dotnet build tests/Benchmarks -c Release -nologo -v quiet
dotnet run -c Release --no-build --project tests/Benchmarks -- load --devices 200 --rate 1000 --duration 600 --warmup 30 \
  --hub-setting Storage:Backend=Postgres \
  --hub-setting "Storage:ConnectionString=Host=127.0.0.1;Port=$port;Username=coldtrace;Database=load200" "$@"
