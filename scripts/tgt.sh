#!/usr/bin/env bash
# Start, stop or query a userspace iSCSI target daemon (tgtd) on 127.0.0.1:3260 for tests.
#
#   scripts/tgt.sh start [RUN_DIR]   install tgt + libiscsi-bin if missing, start tgtd, wait until it answers
#   scripts/tgt.sh stop  [RUN_DIR]   stop the tgtd this script started (by its PID file)
#   scripts/tgt.sh status [RUN_DIR]  exit 0 when tgtd answers tgtadm, 1 otherwise
#
# RUN_DIR (default: $TGT_RUN_DIR or /run/spindle-tgt) holds tgtd.pid and tgtd.log.
# No systemd; idempotent: 'start' on a running tgtd and 'stop' on a stopped one succeed.
# Environment: TGT_PORTAL (default 127.0.0.1:3260), TGT_START_TIMEOUT seconds (default 20).
set -euo pipefail

cmd="${1:-}"
run_dir="${2:-${TGT_RUN_DIR:-/run/spindle-tgt}}"
portal="${TGT_PORTAL:-127.0.0.1:3260}"
timeout_s="${TGT_START_TIMEOUT:-20}"
pid_file="$run_dir/tgtd.pid"
log_file="$run_dir/tgtd.log"

say() { echo "tgt.sh: $*" >&2; }

tgt_answers() {
  command -v tgtadm >/dev/null 2>&1 || return 1
  timeout 5 tgtadm --lld iscsi --mode target --op show >/dev/null 2>&1
}

our_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # make sure the PID still belongs to a tgtd (PIDs get reused)
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == tgtd ]] || return 1
  echo "$pid"
}

install_missing() {
  local missing=()
  command -v tgtd >/dev/null 2>&1 && command -v tgtadm >/dev/null 2>&1 || missing+=(tgt)
  command -v iscsi-ls >/dev/null 2>&1 && command -v iscsi-inq >/dev/null 2>&1 \
    && command -v iscsi-readcapacity16 >/dev/null 2>&1 || missing+=(libiscsi-bin)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing packages: ${missing[*]}; installing them needs root (run: apt-get install -y --no-install-recommends ${missing[*]})"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing packages: ${missing[*]} and no apt-get on this machine"
    return 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    say "install without a package list update failed; running apt-get update"
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

start() {
  install_missing
  if tgt_answers; then
    if pid="$(our_pid)"; then say "tgtd already running (pid $pid)"; else say "a tgtd not started by this script already answers; leaving it alone"; fi
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    say "tgtd must run as root (it binds $portal and owns /var/run/tgtd*); you are uid $(id -u)"
    return 1
  fi
  mkdir -p "$run_dir"
  # -f: foreground (so the PID we record is tgtd's own); -C 0: control port 0 (the default socket tgtadm uses)
  nohup tgtd -f --iscsi "portal=$portal" -C 0 >"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  local deadline=$((SECONDS + timeout_s))
  until tgt_answers; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      say "tgtd exited during start; log follows"; cat "$log_file" >&2 || true
      rm -f "$pid_file"
      return 1
    fi
    if (( SECONDS >= deadline )); then
      say "tgtd did not answer tgtadm within ${timeout_s}s; log follows"; cat "$log_file" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  say "tgtd running (pid $(cat "$pid_file")) on $portal"
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$pid_file"
    say "no tgtd started by this script is running"
    return 0
  fi
  # tgtd ignores SIGTERM; the supported way down is 'tgtadm --op delete --mode system' (ends sessions, exits)
  timeout 5 tgtadm --op delete --mode system >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "tgtd (pid $pid) did not exit; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  say "tgtd stopped"
}

status() {
  if tgt_answers; then
    if pid="$(our_pid)"; then echo "running (pid $pid, started by this script)"; else echo "running (not started by this script)"; fi
    return 0
  fi
  command -v tgtadm >/dev/null 2>&1 || { echo "not installed (tgt package missing)"; return 1; }
  if [[ "$(id -u)" -ne 0 ]]; then echo "not reachable: tgtadm needs root to talk to tgtd (you are uid $(id -u))"; return 1; fi
  echo "not running"
  return 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [RUN_DIR]" >&2; exit 2 ;;
esac
