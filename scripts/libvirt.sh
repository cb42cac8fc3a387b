#!/usr/bin/env bash
# Start, stop or query libvirtd + virtlogd (QEMU driver, TCG) for tests and the demo, without systemd.
#
#   scripts/libvirt.sh start [RUN_DIR]   install the libvirt/QEMU packages if missing, start virtlogd and libvirtd,
#                                        wait until 'virsh -c qemu:///system version' answers
#   scripts/libvirt.sh stop  [RUN_DIR]   stop the daemons this script started (by their PID files)
#   scripts/libvirt.sh status [RUN_DIR]  exit 0 when qemu:///system answers, 1 otherwise
#
# 'start' and 'stop' also start and stop the second libvirtd of the KVM remote-host tests (qemu+tls:// and
# qemu+ssh:// on loopback, in its own mount namespace: scripts/libvirt-remote.sh, RUN_DIR/remote); it never
# touches the libvirtd above. LIBVIRT_REMOTE=0 leaves it out.
# RUN_DIR (default: $LIBVIRT_RUN_DIR or /run/spindle-libvirt) holds virtlogd.pid, libvirtd.pid and the logs.
# Idempotent: 'start' on running daemons and 'stop' on stopped ones succeed. Daemons that answer but were not
# started by this script are left alone.
# Environment: LIBVIRT_START_TIMEOUT seconds (default 60; the first start probes QEMU capabilities, ~8 s).
set -euo pipefail

cmd="${1:-}"
run_dir="${2:-${LIBVIRT_RUN_DIR:-/run/spindle-libvirt}}"
timeout_s="${LIBVIRT_START_TIMEOUT:-60}"
uri="qemu:///system"

# package -> a file that proves it is installed
declare -A PROBE=(
  [libvirt-daemon-system]=/etc/libvirt/libvirtd.conf
  [libvirt-daemon]=/usr/sbin/libvirtd
  [libvirt-daemon-driver-qemu]=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so
  [libvirt-clients]=/usr/bin/virsh
  [qemu-system-x86]=/usr/bin/qemu-system-x86_64
  [qemu-block-extra]=/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so
  [qemu-utils]=/usr/bin/qemu-img
  [libvirt-daemon-driver-storage-iscsi-direct]=/usr/lib/x86_64-linux-gnu/libvirt/storage-backend/libvirt_storage_backend_iscsi-direct.so
  [libxml2-utils]=/usr/bin/xmllint
)
PACKAGES=(libvirt-daemon-system libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
          qemu-block-extra qemu-utils libvirt-daemon-driver-storage-iscsi-direct libxml2-utils)
# libxml2-utils: xmllint, which virt-xml-validate (libvirt-clients) runs with libvirt's schema files; the KVM tests
# validate every domain XML they read with it

say() { echo "libvirt.sh: $*" >&2; }

missing_packages() {
  local p out=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      out+=("$p")
    elif [[ ! -e "${PROBE[$p]}" ]]; then
      out+=("$p")
    fi
  done
  echo "${out[@]:-}"
}

install_missing() {
  local missing
  missing="$(missing_packages)"
  [[ -z "$missing" ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing packages: $missing; installing them needs root (run as root: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing)"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing packages: $missing and no apt-get on this machine"
    return 1
  fi
  say "installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! apt-get install -y --no-install-recommends $missing >"$run_dir/apt.log" 2>&1; then
    say "install without a package list update failed; running apt-get update"
    apt-get update >>"$run_dir/apt.log" 2>&1
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing >>"$run_dir/apt.log" 2>&1 \
      || { say "apt-get install failed; see $run_dir/apt.log"; tail -n 20 "$run_dir/apt.log" >&2; return 1; }
  fi
}

libvirt_answers() {
  command -v virsh >/dev/null 2>&1 || return 1
  timeout 10 virsh -c "$uri" version >/dev/null 2>&1
}

# our_pid NAME: the PID in RUN_DIR/NAME.pid if that process is alive and still a NAME
our_pid() {
  local name="$1" pid_file="$run_dir/$1.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == "$name" ]] || return 1
  echo "$pid"
}

# start_daemon NAME: start NAME -d --pid-file, wait for the PID file
start_daemon() {
  local name="$1" pid
  if pid="$(our_pid "$name")"; then say "$name already running (pid $pid)"; return 0; fi
  if pgrep -x "$name" >/dev/null 2>&1; then say "a $name not started by this script is running; leaving it alone"; return 0; fi
  rm -f "$run_dir/$name.pid"
  # -d daemonizes; the daemon writes its own PID file. Logs go to RUN_DIR (the default outputs need journald/syslog).
  case "$name" in
    virtlogd) LIBVIRT_LOG_OUTPUTS="3:file:$run_dir/virtlogd.log" virtlogd -d --pid-file="$run_dir/virtlogd.pid" ;;
    libvirtd) LIBVIRT_LOG_OUTPUTS="3:file:$run_dir/libvirtd.log" libvirtd -d --pid-file="$run_dir/libvirtd.pid" ;;
  esac
  for _ in $(seq 1 100); do
    our_pid "$name" >/dev/null && { say "$name started (pid $(cat "$run_dir/$name.pid"))"; return 0; }
    sleep 0.1
  done
  say "$name did not write $run_dir/$name.pid"
  [[ -f "$run_dir/$name.log" ]] && tail -n 20 "$run_dir/$name.log" >&2
  return 1
}

# Without udev, /dev/kvm (where it exists) stays root-only. QEMU's capability probe (run as root) then sees KVM but
# libvirt's check for the QEMU user (libvirt-qemu, group kvm) does not, so libvirt re-probes the capabilities
# (~4 s) again and again, e.g. on every configuration change of a stopped domain. Apply udev's own default rule.
kvm_permissions() {
  [[ -c /dev/kvm ]] || return 0
  getent group kvm >/dev/null 2>&1 || return 0
  if [[ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]]; then
    chgrp kvm /dev/kvm && chmod 0660 /dev/kvm && say "set /dev/kvm to root:kvm 0660 (what udev does)"
  fi
}

start() {
  mkdir -p "$run_dir"
  install_missing
  if [[ "$(id -u)" -ne 0 ]]; then
    if libvirt_answers; then say "$uri answers (daemons not started by this script)"; return 0; fi
    say "libvirtd for $uri must run as root (it manages /run/libvirt and QEMU processes); you are uid $(id -u)"
    return 1
  fi
  # the default network and dnsmasq are not needed: domains here have no NIC
  mkdir -p /run/libvirt /var/lib/libvirt/qemu /var/log/libvirt/qemu
  kvm_permissions
  start_daemon virtlogd
  start_daemon libvirtd
  local deadline=$((SECONDS + timeout_s))
  until libvirt_answers; do
    if ! pgrep -x libvirtd >/dev/null 2>&1; then
      say "libvirtd exited during start; log follows"; tail -n 30 "$run_dir/libvirtd.log" >&2 || true
      return 1
    fi
    if (( SECONDS >= deadline )); then
      say "$uri did not answer within ${timeout_s}s; log follows"; tail -n 30 "$run_dir/libvirtd.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  say "$uri answers ($(virsh -c "$uri" version 2>/dev/null | grep -E 'Running hypervisor' | sed 's/.*: //'))"
  if [[ "${LIBVIRT_REMOTE:-1}" != 0 ]]; then
    "$(dirname "$0")/libvirt-remote.sh" start "$run_dir/remote"
  fi
}

stop_daemon() {
  local name="$1" pid
  if ! pid="$(our_pid "$name")"; then
    rm -f "$run_dir/$name.pid"
    say "no $name started by this script is running"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not exit; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$run_dir/$name.pid"
  say "$name stopped"
}

stop() {
  if [[ -x "$(dirname "$0")/libvirt-remote.sh" && -d "$run_dir/remote" ]]; then
    "$(dirname "$0")/libvirt-remote.sh" stop "$run_dir/remote" || true
  fi
  # libvirtd first (it holds connections to virtlogd); running QEMU processes outlive libvirtd by design
  stop_daemon libvirtd
  stop_daemon virtlogd
}

status() {
  local missing
  missing="$(missing_packages)"
  if [[ -n "$missing" ]]; then echo "not installed (missing packages: $missing)"; return 1; fi
  if libvirt_answers; then
    local who="not started by this script"
    our_pid libvirtd >/dev/null && who="libvirtd pid $(our_pid libvirtd), virtlogd pid $(our_pid virtlogd || echo '?'), started by this script"
    echo "running ($who)"
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]]; then echo "not reachable: $uri needs root or membership in group libvirt (you are uid $(id -u))"; return 1; fi
  echo "not running"
  return 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [RUN_DIR]" >&2; exit 2 ;;
esac
