#!/usr/bin/env bash
# Ingestion benchmarks. P5a (PostgresToDuckDb) needs PostgreSQL on 127.0.0.1:5432 (user postgres,
# database test) and psql; P5b (CsvFileToDuckDb) writes a 10M-row CSV under the temp folder.
# Build the reactor first: mvn -o -B -q package -DskipTests -pl baton-cli -am (baton-cli/target/lib must exist).
# Usage: bench/ingest/run.sh PostgresToDuckDb|CsvFileToDuckDb [-Drows=N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
benchmark="${1:?name the benchmark: PostgresToDuckDb or CsvFileToDuckDb}"
shift
classpath="$root/baton-core/target/classes:$root/baton-api/target/classes:$root/baton-cli/target/lib/*"
exec java --add-opens=java.base/java.nio=ALL-UNNAMED "$@" -cp "$classpath" "$root/bench/ingest/$benchmark.java"
