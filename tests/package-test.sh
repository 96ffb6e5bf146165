#!/usr/bin/env bash
# The package as a user gets it: builds the .deb with tests/package.sh (on the release build
# tests/run.sh already made), checks its size and contents, installs it with apt (which pulls its
# dependencies), starts the installed /usr/bin/gureum under Xvfb with a keyring and sees the
# sandbox cloud come up and run a cluster on the packaged broker (tests/package/installed.mjs),
# then purges the package and checks that nothing of it is left installed or running.
# Debian/Ubuntu; root or sudo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
skip() { echo "package test: skipped — $*"; [ -z "${GUREUM_SKIP_REPORT:-}" ] || echo "package test (tests/package-test.sh): $*" >>"$GUREUM_SKIP_REPORT"; exit 0; }
# The most a .deb may weigh (README "Packages").
MAX_DEB_BYTES=25000000

# A Gureum the machine already has is the user's: never replaced or removed by a test.
if dpkg-query -W -f='${Status}' gureum 2>/dev/null | grep -q "install ok installed"; then
  skip "a gureum package is already installed on this machine, and the test does not replace it"
fi

# tests/run.sh builds the .deb with the binaries (GUREUM_DEB_BUILT=1); alone, this builds it.
if [ -z "${GUREUM_DEB_BUILT:-}" ]; then
  rm -f target/release/bundle/deb/*.deb
  tests/package.sh deb >/dev/null
fi
deb="$(ls -t "$ROOT"/target/release/bundle/deb/*.deb | head -1)"
size=$(stat -c %s "$deb")
echo "package: $(basename "$deb"), $size bytes"
dpkg-deb --contents "$deb" | awk '{print "  " $3 "\t" $6}' | grep -v '/$'
if [ "$size" -gt "$MAX_DEB_BYTES" ]; then
  echo "the .deb weighs $size bytes, more than $MAX_DEB_BYTES" >&2
  exit 1
fi
for f in ./usr/bin/gureum ./usr/bin/gureum-broker; do
  dpkg-deb --contents "$deb" | awk '{print $6}' | grep -qx "$f" || { echo "the .deb lacks $f" >&2; exit 1; }
done

removed=0
remove() {
  [ "$removed" = 1 ] && return 0
  removed=1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq gureum >/dev/null
}
trap remove EXIT
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
echo "installed: $(dpkg-query -W -f='${Package} ${Version} (${Installed-Size} KiB installed)' gureum)"

GUREUM_APP=/usr/bin/gureum xvfb-run -a -s "-screen 0 1280x800x24" tests/with-keyring.sh \
  node --test --test-concurrency=1 tests/package/installed.mjs

remove
trap - EXIT
for f in /usr/bin/gureum /usr/bin/gureum-broker; do
  [ ! -e "$f" ] || { echo "$f is still there after the package was removed" >&2; exit 1; }
done
if pgrep -f '^/usr/bin/gureum' >/dev/null; then
  echo "a process of the removed package is still running: $(pgrep -af '^/usr/bin/gureum')" >&2
  exit 1
fi
echo "removed: nothing of the package is left installed or running"
