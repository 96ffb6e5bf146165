#!/usr/bin/env bash
# Sets up this machine and runs every Gureum test: frontend unit tests, Rust unit and integration
# tests (real keyring), and the real-window end-to-end tests (Xvfb + tauri-driver + WebKitWebDriver).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Each phase's duration is printed when it ends and in a table at the very end (README "Tests").
PHASES=()
phase_name=""
phase_start=0
run_start=$(date +%s)
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
end_phase() {
  [ -n "$phase_name" ] || return 0
  local took=$(($(date +%s) - phase_start))
  PHASES+=("$(printf '%-72s %8s' "$phase_name" "$(fmt "$took")")")
  printf '\033[2m-- %s: %s\033[0m\n' "$phase_name" "$(fmt "$took")"
  phase_name=""
}
say() {
  end_phase
  phase_name="$*"
  phase_start=$(date +%s)
  printf '\n\033[1m== %s (%s)\033[0m\n' "$*" "$(date +%T)"
}
say "setup: apt, Rust, npm, Python, tauri-driver (only what is missing)"
bash tests/setup.sh all
export PATH="${GUREUM_TOOLS:-$HOME/.local/share/gureum-tools}/bin:$HOME/.cargo/bin:$PATH"
# Checks a run had to skip (e.g. the contract check without Confluent's specs: tests/sandbox/contract.py)
# are written to this file by the suites and listed at the very end, whether the run passed or not.
export GUREUM_SKIP_REPORT="$(mktemp)"
skipped() {
  local status=$?
  [ -n "$phase_name" ] && phase_name="$phase_name (FAILED)"
  end_phase
  printf '\n\033[1m== phases\033[0m\n'
  printf '%s\n' "${PHASES[@]}"
  printf '%-72s %8s\n' "total" "$(fmt $(($(date +%s) - run_start)))"
  if [ -s "$GUREUM_SKIP_REPORT" ]; then
    printf '\n\033[1m== skipped\033[0m\n'
    cat "$GUREUM_SKIP_REPORT"
  elif [ "$status" = 0 ]; then
    echo "Nothing was skipped."
  fi
  rm -f "$GUREUM_SKIP_REPORT"
  return $status
}
trap skipped EXIT

say "audit: cargo deny (advisories if reachable), npm audit --omit=dev"
tests/audit.sh

say "frontend: type check and unit tests"
(cd ui && npm run --silent typecheck && npx vitest run)

say "build: the app and its broker once (release, UI embedded), and the .deb"
# One `tauri build` for the binaries every later phase uses and for the package the last one
# installs: bundling again later would rebuild the UI and so the app crate (measured: +1 min).
tests/package.sh deb

say "rust: unit and integration tests (same artifacts, real keyring)"
# Every library, binary and integration test; not the benchmarks in examples/ (run by hand, README
# "Benchmarks": building them here cost ~40 s of CPU) nor doc tests (the crates have none).
tests/with-keyring.sh cargo test --release --ignore-rust-version --features tauri/custom-protocol \
  --workspace --lib --bins --tests

say "sandbox cloud: integration and contract tests (real brokers, HTTP, keyring)"
# Same features as the test build above, so this reuses its artifacts (a lone `-p` build would
# resolve features differently and recompile half the graph).
cargo build --release --ignore-rust-version --features tauri/custom-protocol --workspace
tests/with-keyring.sh tests/.venv/bin/pytest -q -p no:cacheprovider --durations=5 tests/sandbox

say "end to end: the built app in a real window"
xvfb-run -a -s "-screen 0 1280x800x24" tests/with-keyring.sh \
  node --test --test-concurrency=1 tests/e2e/

say "package: install the .deb, start the installed app, remove it"
GUREUM_DEB_BUILT=1 tests/package-test.sh
end_phase
