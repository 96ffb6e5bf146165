#!/usr/bin/env bash
# Builds the desktop packages with the broker bundled as a Tauri sidecar (next to the app's binary,
# where the sandbox looks for it). Usage: tests/package.sh [bundles, default: deb]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tests/setup.sh app
export PATH="$HOME/.cargo/bin:$PATH"
TOOLS="${GUREUM_TOOLS:-$HOME/.local/share/gureum-tools}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
mkdir -p src-tauri/binaries
cp "$TOOLS/bin/nisshi" "src-tauri/binaries/nisshi-$triple"
ui/node_modules/.bin/tauri build --ci --bundles "${1:-deb}" --config src-tauri/packaging.conf.json -- --ignore-rust-version
ls -l target/release/bundle/*/
