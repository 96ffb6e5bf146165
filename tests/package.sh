#!/usr/bin/env bash
# Builds the desktop packages. Every bundle carries both binaries of the app's package: `gureum`
# and the sandbox's broker, `gureum-broker` (Tauri bundles all of a package's binaries).
# Tauri writes a .deb's files gzip-compressed; they are recompressed with xz here, as Debian's own
# packages are (28 MiB → 18 MiB measured). Usage: tests/package.sh [bundles, default: deb]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tests/setup.sh app
export PATH="$HOME/.cargo/bin:$PATH"
# Arguments after `--` go to `cargo build`: nisshi's dependencies declare rustc 1.96.
ui/node_modules/.bin/tauri build --ci --bundles "${1:-deb}" -- --ignore-rust-version
for deb in target/release/bundle/deb/*.deb; do
  [ -e "$deb" ] || continue
  [ "$(ar t "$deb" | grep '^data\.tar')" = data.tar.gz ] || continue
  work="$(mktemp -d)"
  dpkg-deb --raw-extract "$deb" "$work/root"
  dpkg-deb --root-owner-group -Zxz -z6 --build "$work/root" "$deb" >/dev/null
  rm -rf "$work"
done
ls -l target/release/bundle/*/
