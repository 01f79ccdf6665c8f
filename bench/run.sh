#!/usr/bin/env bash
# Runs the Baton benchmarks: bench/run.sh [p1|p3|cold|all] [options for the benchmark program]
#
#   p1    baton compile of generated 10,000- and 100,000-model projects vs a read-every-file floor
#         (options: --sizes 10000,100000 --runs 3 --yaml per-folder|per-model)
#   p3    baton build --threads 1 of 1,000 trivial table models vs the same statements over plain JDBC
#         (options: --models 1000 --runs 3)
#   p6    no-op baton build -s state:modified+ of an unchanged 1,000-model project vs its full build
#         (options: --models 1000 --runs 5)
#   cold  baton build of a fresh copy of examples/shop, then a rebuild, vs baton --version
#         (options: --runs 3)
#   all   p1, p3 and cold with their defaults (the default)
#   phases DIR   diagnostic: the steps of a compile of project DIR, timed in-process
#
# Every benchmark also takes --out DIR to generate its projects somewhere else than bench/out
# (for example on a tmpfs such as /dev/shm, to take a slow disk out of the figures).
#
# Builds the distribution first when needed (through the launcher), compiles the benchmark programs
# to bench/out/classes and writes generated projects under bench/out/. Each benchmark prints one line
# per scenario with the median of its runs.
set -euo pipefail

root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

java="java"
javac="javac"
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
  javac="$JAVA_HOME/bin/javac"
fi

./baton --version >/dev/null
mkdir -p bench/out/classes
"$javac" -d bench/out/classes -cp "baton-cli/target/lib/*" bench/*.java

scenario="${1:-all}"
[ $# -gt 0 ] && shift
run() {
  "$java" -cp bench/out/classes "$@"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, load:$(uptime | sed 's/.*load average://')"
case "$scenario" in
  p1) run CompileBenchmark "$@" ;;
  p3) run OverheadBenchmark "$@" ;;
  p6) run StateAwareBenchmark "$@" ;;
  cold) run ColdBuildBenchmark "$@" ;;
  phases)
    "$java" -XX:+UseParallelGC -XX:InitialRAMPercentage=6 -XX:NewRatio=1 -XX:TieredStopAtLevel=1 -cp "bench/out/classes:baton-cli/target/lib/*" CompilePhases "$@"
    ;;
  all)
    run CompileBenchmark "$@"
    run OverheadBenchmark "$@"
    run ColdBuildBenchmark "$@"
    ;;
  *)
    echo "usage: bench/run.sh [p1|p3|p6|cold|all|phases DIR] [options]" >&2
    exit 2
    ;;
esac
