#!/usr/bin/env bash
# Switchboard load benchmark (README, "Performance"): builds the packaged app and the harness, then runs the
# scenarios and prints one table. Options: src/bench/run.sh --help. BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in wrk taskset jcmd; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        if [ "$tool" = wrk ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "Installing wrk (Debian package)..."
            apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
        else
            echo "The benchmark needs $tool (Debian: apt-get install -y wrk util-linux openjdk-17-jdk-headless)" >&2
            exit 1
        fi
    fi
done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "Building the packaged app and the benchmark (./mvnw -Pbench package)..."
    ./mvnw -q -B -Pbench -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi

# The two-nodes scenario (in the default list) runs a Redis beside the two app nodes: Debian's redis-server.
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing redis-server (Debian package) for the two-nodes scenario..."
        apt-get install -y redis-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }
    else
        echo "The two-nodes scenario needs redis-server (Debian: apt-get install -y redis-server); other scenarios run without it" >&2
    fi
fi

# --perf samples the app's CPUs with Linux perf: Debian's linux-perf.
if [[ " $* " == *" --perf "* ]] && ! command -v perf >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing perf (Debian package linux-perf) for --perf..."
        apt-get install -y linux-perf >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y linux-perf >/dev/null; }
    else
        echo "--perf needs perf (Debian: apt-get install -y linux-perf) and root" >&2
    fi
fi

# The harness pins itself (and so wrk and the Homey fleet) to --load-cpus, and the app to --app-cpus.
exec java -Xmx2g -XX:+UseSerialGC \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    dev.switchboard.bench.SwitchboardBench "$@"
