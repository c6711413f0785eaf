#!/usr/bin/env bash
# Runs a command the way the tests need it on a headless Linux box: inside a D-Bus session with an
# unlocked gnome-keyring (keytar talks to it through libsecret) and, where there is no display,
# under Xvfb. Usage: scripts/with-session.sh npm test
set -euo pipefail

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${KEYLINE_IN_SESSION:-}" ] && command -v dbus-run-session >/dev/null; then
  export KEYLINE_IN_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

if command -v gnome-keyring-daemon >/dev/null; then
  # A throwaway keyring for this session, in a throwaway data home: a login keyring left locked by
  # another session (with another password) must not make keytar fail. The password only unlocks it.
  if [ -n "${KEYLINE_IN_SESSION:-}" ] && [ -z "${KEYLINE_KEEP_DATA_HOME:-}" ]; then
    XDG_DATA_HOME="$(mktemp -d -t keyline-session-XXXXXX)"
    export XDG_DATA_HOME
  fi
  printf 'keyline-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s '-screen 0 1920x1080x24' "$@"
fi
exec "$@"
