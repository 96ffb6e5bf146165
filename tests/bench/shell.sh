#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): start-up to first paint under Xvfb, idle memory of all
# app processes, release binary size and .deb size. Usage: tests/bench/shell.sh [runs=5]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUNS="${1:-5}"
BIN=target/release/gureum
if [ -z "${GUREUM_BENCH_INNER:-}" ]; then
  bash tests/setup.sh all >/dev/null
  export PATH="$HOME/.cargo/bin:$PATH"
  echo "building the release binary and the .deb (broker built in)…" >&2
  bash tests/package.sh deb >/dev/null 2>&1
  exec env GUREUM_BENCH_INNER=1 xvfb-run -a -s "-screen 0 1280x800x24" tests/with-keyring.sh "$0" "$RUNS"
fi

# Sum a field of /proc/PID/smaps_rollup (kB) over the app and its WebKit children.
tree_pids() { local p=$1; echo "$p"; for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done; }
sum_field() { local total=0 v; for p in $(tree_pids "$1"); do
  v=$(awk -v f="$2:" '$1==f {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0); total=$((total + ${v:-0})); done; echo "$total"; }

paints=()
for i in $(seq "$RUNS"); do
  profile=$(mktemp -d)
  log="$profile/log"
  XDG_CONFIG_HOME="$profile" RUST_LOG=info "$BIN" 2>"$log" &
  pid=$!
  for _ in $(seq 300); do grep -q "first paint after" "$log" && break; sleep 0.05; done
  ms=$(sed -n 's/.*first paint after \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  paints+=("${ms:-timeout}")
  if [ "$i" = "$RUNS" ]; then
    sleep 5 # let it settle into idle
    pss=$(sum_field "$pid" Pss); rss=$(sum_field "$pid" Rss); nproc=$(tree_pids "$pid" | wc -l)
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$profile"
done

sorted=$(printf '%s\n' "${paints[@]}" | sort -n | tr '\n' ' ')
echo "start to first paint (ms, $RUNS runs, sorted): $sorted"
echo "median start to first paint: $(printf '%s\n' "${paints[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p") ms"
echo "idle memory, $nproc processes: PSS $((pss / 1024)) MiB, RSS $((rss / 1024)) MiB"
echo "release binary: $(( $(stat -c %s "$BIN") / 1024 / 1024 )) MiB ($(stat -c %s "$BIN") bytes)"
deb=$(ls -t target/release/bundle/deb/*.deb | head -1)
echo ".deb: $(( $(stat -c %s "$deb") / 1024 )) KiB ($(basename "$deb"))"
