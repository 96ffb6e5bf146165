#!/usr/bin/env bash
# Sets up this machine to build, run and test Gureum. Installs only what is missing, so it is
# cheap to re-run. Debian/Ubuntu; run as root or with sudo available.
#   tests/setup.sh            everything (app + tests)
#   tests/setup.sh app        only what the app needs to build and run
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${GUREUM_TOOLS:-$HOME/.local/share/gureum-tools}"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
WHAT="${1:-all}"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# What Tauri v2 needs to build on Linux, plus what the tests drive it with. A Korean font, or
# the Korean UI (and its screenshots) shows boxes on a bare Debian.
APP_PACKAGES=(build-essential pkg-config curl file cmake libwebkit2gtk-4.1-dev libgtk-3-dev
  libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev
  gnome-keyring dbus fonts-nanum)
# xclip reads the X clipboard in the real-window tests (a snippet copied by the backend).
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver libsecret-tools python3-venv xclip)

packages=("${APP_PACKAGES[@]}")
[ "$WHAT" = app ] || packages+=("${TEST_PACKAGES[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  say "Rust: installing the stable toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Gureum's UI build needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from https://nodejs.org or your distribution, then run this again." >&2
  exit 1
fi

npm_install() { # dir
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm: installing $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install "$ROOT/ui"

# The sandbox's Kafka broker (nisshi, docs/broker.md) is compiled into Gureum's own binaries
# (src-tauri/broker): nothing to install. Its dependencies declare rustc 1.96, so every cargo and
# tauri build passes --ignore-rust-version (older stable rustc builds it fine).

if [ "$WHAT" != app ]; then
  npm_install "$ROOT/tests/e2e"
  VENV="$ROOT/tests/.venv"
  if [ ! -x "$VENV/bin/pytest" ] || [ "$ROOT/tests/sandbox/requirements.txt" -nt "$VENV/.installed" ]; then
    say "pip: installing the sandbox tests' Python packages into tests/.venv"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/sandbox/requirements.txt"
    touch "$VENV/.installed"
  fi
  if ! command -v tauri-driver >/dev/null; then
    say "cargo: installing tauri-driver (about a minute)"
    cargo install tauri-driver --version '^2' --locked --root "$TOOLS" --quiet
  fi
  # The dependency audit (tests/audit.sh). Built from source, once: measured 4 min 43 s on two
  # cores that were building Gureum at the same time.
  if ! command -v cargo-deny >/dev/null; then
    say "cargo: installing cargo-deny (about 5 minutes)"
    cargo install cargo-deny --version '^0.20' --locked --root "$TOOLS" --quiet
  fi
fi
