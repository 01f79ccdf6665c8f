#!/usr/bin/env bash
# Benchmark P5a. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, database test), psql, and the
# reactor built (mvn -o -B -q install -DskipTests). Usage: bench/ingest/run.sh [-Drows=N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
classpath="$root/baton-core/target/classes:$root/baton-api/target/classes:$(ls "$root"/baton-cli/target/lib/*.jar | grep -v baton- | tr '\n' ':')"
exec java "$@" -cp "$classpath" "$root/bench/ingest/PostgresToDuckDb.java"
