#!/usr/bin/env bash
# The dependency audit (issue 15), a phase of tests/run.sh:
#   - cargo deny (deny.toml): licenses, sources and bans always; RustSec advisories when their
#     database can be fetched. It is cloned from GitHub, which some machines (this project's CI
#     among them: only the package registries are reachable) can't reach. Then the advisories are
#     checked against a database fetched earlier if there is one (its age is said), or not at all —
#     said here and in the run's closing "skipped" list (GUREUM_SKIP_REPORT), never passed
#     silently. That is not a failure, under CI=true either: a machine that can never reach
#     GitHub would otherwise never pass. GUREUM_REQUIRE_ADVISORIES=1 makes it one.
#   - npm audit of the UI's runtime dependencies, when the registry answers its audit endpoint
#     (a mirror may serve packages and refuse it: then it is skipped and said, the same way;
#     GUREUM_REQUIRE_NPM_AUDIT=1 makes that a failure).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${GUREUM_TOOLS:-$HOME/.local/share/gureum-tools}/bin:$HOME/.cargo/bin:$PATH"

skip() {
  echo "audit: NOT CHECKED — $*"
  [ -z "${GUREUM_SKIP_REPORT:-}" ] || echo "dependency audit (tests/audit.sh): $*" >>"$GUREUM_SKIP_REPORT"
}

DB_DIR="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
echo "cargo deny $(cargo deny --version | awk '{print $2}'): fetching the RustSec advisory database (github.com)…"
fetch_log="$(mktemp)"
trap 'rm -f "$fetch_log"' EXIT
if timeout 120 cargo deny fetch db >"$fetch_log" 2>&1; then
  checks=(advisories licenses sources bans)
  flags=()
  echo "advisory database fetched"
else
  # git's own last words say it best ("Could not resolve host: github.com"), else cargo-deny's.
  why="$( (grep -E '^fatal:' "$fetch_log" || grep -iE 'error|failed' "$fetch_log") | tail -1 | sed -E 's/^[0-9-]+ [0-9:]+ //; s/^fatal: //' | cut -c1-200)"
  [ -n "$why" ] || why="no answer within 120 s"
  # A database fetched on an earlier run (by this script or by hand) still checks what it knows.
  db=""
  for d in "$DB_DIR"/*/; do
    if [ -d "$d/crates" ]; then db="${d%/}"; break; fi
  done
  if [ -n "$db" ]; then
    when="$(git -C "$db" log -1 --format=%cs 2>/dev/null || date -r "$db" +%F)"
    checks=(advisories licenses sources bans)
    flags=(--offline)
    skip "the RustSec advisory database could not be fetched ($why); advisories were checked against the copy in $db, last updated $when, so anything published since is not"
  else
    if [ "${GUREUM_REQUIRE_ADVISORIES:-}" = 1 ]; then
      echo "audit: the RustSec advisory database could not be fetched ($why) and GUREUM_REQUIRE_ADVISORIES=1" >&2
      exit 1
    fi
    checks=(licenses sources bans)
    flags=()
    skip "RustSec advisories (known vulnerabilities, unmaintained and yanked crates) were not checked: their database is fetched from github.com, which this machine can't reach ($why). Licenses, sources and bans were."
  fi
fi
# deny.toml allows path dependencies between our crates; a version requirement of `*` is refused here.
if grep -nE '=[[:space:]]*"\*"|version[[:space:]]*=[[:space:]]*"\*"' Cargo.toml src-tauri/*/Cargo.toml; then
  echo "audit: a dependency above takes any version (\"*\"): give it a version requirement" >&2
  exit 1
fi
echo "cargo deny check ${checks[*]}"
cargo deny --locked "${flags[@]}" check --show-stats "${checks[@]}"

echo "npm audit --omit=dev (ui/)"
# `npm audit` exits 1 both for vulnerabilities and when the registry's audit endpoint can't be
# asked (a registry mirror that serves packages but refuses the endpoint's POST: measured here,
# 405 with "allow: GET,HEAD"). Only the second is a skip.
report="$(cd ui && npm audit --omit=dev --json 2>/dev/null || true)"
case "$(printf '%s' "$report" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    try { const r = JSON.parse(s); console.log(r.metadata ? "report" : `error ${r.statusCode ?? ""} ${r.message ?? r.error?.summary ?? ""}`.trim()); }
    catch { console.log("error: npm audit gave no report"); }
  });')" in
  report) (cd ui && npm audit --omit=dev) ;;
  error*)
    why="$(printf '%s' "$report" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{const r=JSON.parse(s);console.log(r.message||r.error?.summary||"no report")}catch{console.log("no report")}})')"
    if [ "${GUREUM_REQUIRE_NPM_AUDIT:-}" = 1 ]; then
      echo "audit: npm audit could not ask the registry ($why) and GUREUM_REQUIRE_NPM_AUDIT=1" >&2
      exit 1
    fi
    skip "npm audit of the UI's runtime dependencies was not checked: the registry refused its audit endpoint ($why)"
    ;;
esac
