#!/usr/bin/env bash
# DuckDB versus Spark local[2] on one machine: the example project and an aggregation over a
# generated table (ROWS rows, 10,000,000 by default), each scenario in a fresh JVM, one line each
# with the wall time of the build (Spark's start included) and the JVM's peak resident memory.
#
#   bench/spark/run.sh [ROWS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows="${1:-10000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
# One invocation, so that the reactor's modules resolve to their target/classes folders (never to installed jars).
mvn -o -q -B test-compile dependency:build-classpath -pl baton-spark -am -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
classpath="baton-spark/target/classes:baton-spark/target/test-classes:$(cat "$work/cp.txt")"
javac -d "$work/classes" -cp "$classpath" bench/spark/SparkVersusDuckDb.java
opens=""
for package in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$package=ALL-UNNAMED"
done
for scenario in shop aggregation; do
  for engine in duckdb spark; do
    # shellcheck disable=SC2086
    java -Xmx3g $opens -Djdk.reflect.useDirectMethodHandle=false -cp "$work/classes:$classpath" SparkVersusDuckDb \
      "$scenario" "$engine" "$work" "$root/examples/shop" "$rows"
  done
done
