#!/usr/bin/env bash
# Sets up this machine, builds Gureum and starts it on the built-in sandbox cloud (no account needed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tests/setup.sh app
export PATH="$HOME/.cargo/bin:$PATH"
ui/node_modules/.bin/tauri build --no-bundle -- --ignore-rust-version
exec target/release/gureum "$@"
