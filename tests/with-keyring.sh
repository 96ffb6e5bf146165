#!/usr/bin/env bash
# Runs a command with a real, unlocked gnome-keyring on a private D-Bus session, so tests use the
# OS keyring exactly as the app does, without touching the user's own keyring.
set -euo pipefail
if [ -z "${GUREUM_IN_KEYRING_SESSION:-}" ]; then
  exec env GUREUM_IN_KEYRING_SESSION=1 dbus-run-session -- "$0" "$@"
fi
# A throwaway login keyring in a throwaway home, unlocked with a throwaway password.
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
echo -n "gureum-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
