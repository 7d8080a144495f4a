#!/usr/bin/env bash
# Registration index benchmark (README, "Performance"): heap per registration, load time and lookups/s of main's
# index and the compact one, in one JVM. Options: --registrations N (default 1000000), --only main|compact|both,
# --heap SIZE (default 3g; 4g for --registrations 10000000 --only compact). BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."

heap=3g
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --heap) heap="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "Building the app classes and the benchmark (./mvnw -Pbench test-compile)..."
    ./mvnw -q -B -o -Pbench test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi

# SerialGC: its heap after System.gc() is exact, which is what the figure is about.
exec java "-Xmx$heap" "-Xms$heap" -XX:+UseSerialGC \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    dev.switchboard.routing.RegistrationIndexBenchmark "${args[@]}"
