#!/usr/bin/env bash
# Sets up this machine and runs every Gureum test: frontend unit tests, Rust unit and integration
# tests (real keyring), and the real-window end-to-end tests (Xvfb + tauri-driver + WebKitWebDriver).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tests/setup.sh all
export PATH="${GUREUM_TOOLS:-$HOME/.local/share/gureum-tools}/bin:$HOME/.cargo/bin:$PATH"
say() { printf '\n\033[1m== %s (%s)\033[0m\n' "$*" "$(date +%T)"; }
# Checks a run had to skip (e.g. the contract check without Confluent's specs: tests/sandbox/contract.py)
# are written to this file by the suites and listed at the very end, whether the run passed or not.
export GUREUM_SKIP_REPORT="$(mktemp)"
skipped() {
  if [ -s "$GUREUM_SKIP_REPORT" ]; then printf '\n\033[1m== skipped\033[0m\n'; cat "$GUREUM_SKIP_REPORT"; fi
  rm -f "$GUREUM_SKIP_REPORT"
}
trap skipped EXIT

say "frontend: type check and unit tests"
(cd ui && npm run --silent typecheck && npx vitest run)

say "build the app once (release, UI embedded)"
ui/node_modules/.bin/tauri build --no-bundle --ci -- --ignore-rust-version

say "rust: unit and integration tests (same release artifacts, real keyring)"
tests/with-keyring.sh cargo test --release --ignore-rust-version --features tauri/custom-protocol --workspace

say "sandbox cloud: integration and contract tests (real broker, real HTTP, real keyring)"
# Same features as the test build above, so this reuses its artifacts (a lone `-p` build would
# resolve features differently and recompile half the graph).
cargo build --release --ignore-rust-version --features tauri/custom-protocol --workspace
tests/with-keyring.sh tests/.venv/bin/pytest -q -p no:cacheprovider tests/sandbox

say "end to end: the built app in a real window"
xvfb-run -a -s "-screen 0 1280x800x24" tests/with-keyring.sh \
  node --test --test-concurrency=1 tests/e2e/
say "done"
[ -s "$GUREUM_SKIP_REPORT" ] || echo "Nothing was skipped."
