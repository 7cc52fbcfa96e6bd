#!/usr/bin/env bash
# Runs every test: installs what they need (PostgreSQL, Chromium, ChromeDriver and npm
# from Debian's packages, axe-core from npm) if absent, starts a throwaway PostgreSQL on loopback, runs the
# workspace tests on both stores and in the browser, checks formatting and lints, and
# cleans up. Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/postgres" ] || need_packages+=(postgresql)
command -v chromium >/dev/null || need_packages+=(chromium)
command -v chromedriver >/dev/null || need_packages+=(chromium-driver)
command -v npm >/dev/null || need_packages+=(npm)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "==> installing ${need_packages[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_packages[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# axe-core, for the accessibility checks in the browser tests (pinned).
axe_dir=target/test-tools
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  echo "==> installing axe-core"
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-save --no-audit --no-fund --loglevel=error axe-core@4.14.1 >/dev/null
fi
export AXE_CORE_JS="$PWD/$axe_dir/node_modules/axe-core/axe.min.js"

# A throwaway PostgreSQL cluster on a free loopback port, owned by a non-root user
# (PostgreSQL refuses to run as root).
pg_dir=$(mktemp -d /tmp/ilacs-pg.XXXXXX)
pg_user=$(id -un)
as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  chown postgres "$pg_dir"
  as_pg() { runuser -u postgres -- "$@"; }
fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
echo "==> starting PostgreSQL on 127.0.0.1:$pg_port"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" --auth=trust -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null

export ILACS_TEST_POSTGRES_URL="postgres://$pg_user@127.0.0.1:$pg_port/postgres"
export ILACS_REQUIRE_POSTGRES=1
export ILACS_REQUIRE_BROWSER=1
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

if [ "${ILACS_SKIP_LINT:-0}" != 1 ]; then
  echo "==> cargo fmt --check"
  cargo fmt --all -- --check
  echo "==> cargo clippy"
  cargo clippy --workspace --all-targets --quiet -- -D warnings
fi
echo "==> cargo test (SQLite, PostgreSQL and headless Chromium)"
log="$pg_dir/cargo-test.log"
set +e
cargo test --workspace "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run (the last cargo line is a doc-test summary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "workspace: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
