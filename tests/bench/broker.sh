#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): what one sandbox broker costs. Starts N brokers
# (default 3) from each program given (default: target/release/gureum-broker), the way the sandbox
# does (`<program> sandbox-broker …`, the login on stdin), and prints each one's time to serving
# and its memory once idle: RSS, PSS (its share of pages it shares) and USS (pages only it has).
#   tests/bench/broker.sh [N] [program…]     e.g. tests/bench/broker.sh 3 target/release/gureum-broker /old/gureum
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-3}"
shift || true
[ $# -gt 0 ] || set -- "$ROOT/target/release/gureum-broker"

one_program() {
  local bin=$1 dir i fd t0 t1 pids=() fds=()
  dir=$(mktemp -d)
  echo "$bin ($(( $(stat -c %s "$bin") / 1024 / 1024 )) MiB, $(ldd "$bin" 2>/dev/null | wc -l) shared objects)"
  for i in $(seq "$N"); do
    mkfifo "$dir/in$i"
    t0=$(date +%s%N)
    "$bin" sandbox-broker --cluster-id "lkc-bench$i" --node-id "$i" --db "$dir/db$i.sqlite" \
      <"$dir/in$i" >"$dir/out$i" 2>"$dir/err$i" &
    pids+=($!)
    exec {fd}>"$dir/in$i"
    fds+=("$fd")
    # The login the parent hands over (a random password; the broker keeps only its SCRAM hash).
    printf '{"user":"gureum-bench","password":"%s"}\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >&"$fd"
    until grep -q port "$dir/out$i" 2>/dev/null; do
      kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/err$i" >&2; exit 1; }
      sleep 0.002
    done
    t1=$(date +%s%N)
    printf '  broker %d serving after %d ms\n' "$i" $(((t1 - t0) / 1000000))
  done
  sleep 2
  for p in "${pids[@]}"; do
    awk '/^Rss/{r=$2} /^Pss:/{s=$2} /^Private_Clean/{pc=$2} /^Private_Dirty/{pd=$2}
         END{printf "  idle: RSS %.1f MiB, PSS %.1f MiB, USS %.1f MiB\n", r/1024, s/1024, (pc+pd)/1024}' "/proc/$p/smaps_rollup"
  done
  # End of file on stdin: each broker stops, as when the app goes away.
  for fd in "${fds[@]}"; do exec {fd}>&-; done
  wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$dir"
}

for bin in "$@"; do one_program "$bin"; done
