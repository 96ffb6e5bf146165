#!/usr/bin/env bash
# Builds the desktop packages. The sandbox's broker is a mode of the app's own binary, so packages
# carry it without a sidecar. Usage: tests/package.sh [bundles, default: deb]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tests/setup.sh app
export PATH="$HOME/.cargo/bin:$PATH"
# Arguments after `--` go to `cargo build`: nisshi's dependencies declare rustc 1.96.
ui/node_modules/.bin/tauri build --ci --bundles "${1:-deb}" -- --ignore-rust-version
ls -l target/release/bundle/*/
