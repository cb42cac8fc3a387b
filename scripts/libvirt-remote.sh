#!/usr/bin/env bash
# A second libvirtd for the KVM remote-host tests, reached as a remote host over qemu+tls:// and qemu+ssh://, on
# loopback only, without touching the libvirtd that scripts/libvirt.sh runs for everybody else.
#
#   scripts/libvirt-remote.sh start [DIR]          certificates and keys (first time), then the daemons; waits for TLS
#   scripts/libvirt-remote.sh stop [DIR]           stops sshd, libvirtd, virtlogd of DIR
#   scripts/libvirt-remote.sh daemon-stop [DIR]    stops only its libvirtd (a host going away; sshd and the
#                                                   namespace stay)
#   scripts/libvirt-remote.sh daemon-start [DIR]   starts that libvirtd again in the same namespace
#   scripts/libvirt-remote.sh status [DIR]         exit 0 when qemu+tls:// answers
#
# DIR (default: $LIBVIRT_REMOTE_DIR or /run/spindle-libvirt/remote) holds, for the tests:
#   endpoints.properties   tls.uri, ssh.uri, pki.dir (cacert.pem, clientcert.pem, clientkey.pem), ssh.key,
#                          ssh.known_hosts
#   pki/, ssh/             the test CA, server and client certificates, SSH host and client keys (keys 0600)
#   *.pid, *.log
#
# Why a second libvirtd, in its own mount namespace: libvirtd only listens for TLS when started with --listen, so
# the shared one would have to be restarted (and every engineer's test would see it go away). The second one sees
# private (tmpfs) /run/libvirt, /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt and /etc/libvirt/{qemu,
# secrets,storage}: its domains, secrets, sockets and QEMU state are its own, and the shared daemon's definitions are
# invisible to it. The network (loopback, tgt) and /dev/kvm are shared. Its sshd (own host key, own
# authorized_keys, keys only) runs in the same namespace, so qemu+ssh:// reaches the same daemon through
# virt-ssh-helper. The tests stop and start that libvirtd (daemon-stop / daemon-start) to see a host go and return.
# Environment: LIBVIRT_REMOTE_TLS_PORT (16614), LIBVIRT_REMOTE_SSH_PORT (16622).
set -euo pipefail

cmd="${1:-}"
dir="${2:-${LIBVIRT_REMOTE_DIR:-/run/spindle-libvirt/remote}}"
tls_port="${LIBVIRT_REMOTE_TLS_PORT:-16614}"
ssh_port="${LIBVIRT_REMOTE_SSH_PORT:-16622}"
pki="$dir/pki"
sshdir="$dir/ssh"
tls_uri="qemu+tls://localhost:$tls_port/system?pkipath=$pki/client"

say() { echo "libvirt-remote.sh: $*" >&2; }

alive() { # alive NAME: the pid in DIR/NAME.pid runs
  local pid
  [[ -f "$dir/$1.pid" ]] || return 1
  pid="$(cat "$dir/$1.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

install_sshd() {
  [[ -x /usr/sbin/sshd ]] && return 0
  say "installing openssh-server (its init script is kept from starting a system sshd)"
  local policy=/usr/sbin/policy-rc.d made=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends openssh-server >"$dir/apt.log" 2>&1; then
    apt-get update >>"$dir/apt.log" 2>&1
    apt-get install -y --no-install-recommends openssh-server >>"$dir/apt.log" 2>&1 \
      || { [[ $made == 1 ]] && rm -f "$policy"; say "apt-get install openssh-server failed; see $dir/apt.log"; return 1; }
  fi
  [[ $made == 1 ]] && rm -f "$policy"
  return 0
}

make_pki() {
  [[ -f "$pki/client/clientkey.pem" && -f "$pki/server/serverkey.pem" ]] && return 0
  say "making a test CA, a server certificate (localhost, 127.0.0.1) and a client certificate in $pki"
  umask 077
  mkdir -p "$pki/server" "$pki/client"
  local tmp; tmp="$(mktemp -d)"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$pki/cacert.pem" -days 30 \
    -subj "/CN=Spindle KVM test CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/server/serverkey.pem" -out "$tmp/s.csr" -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >"$tmp/s.ext"
  openssl x509 -req -in "$tmp/s.csr" -CA "$pki/cacert.pem" -CAkey "$tmp/ca.key" -CAcreateserial -days 30 \
    -out "$pki/server/servercert.pem" -extfile "$tmp/s.ext" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/client/clientkey.pem" -out "$tmp/c.csr" -subj "/CN=spindle-kvm-test-client" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >"$tmp/c.ext"
  openssl x509 -req -in "$tmp/c.csr" -CA "$pki/cacert.pem" -CAkey "$tmp/ca.key" -CAcreateserial -days 30 \
    -out "$pki/client/clientcert.pem" -extfile "$tmp/c.ext" 2>/dev/null
  cp "$pki/cacert.pem" "$pki/client/cacert.pem"
  chmod 0644 "$pki/cacert.pem" "$pki/client/cacert.pem" "$pki/client/clientcert.pem" "$pki/server/servercert.pem"
  rm -rf "$tmp"   # the CA key: nothing else is ever signed
  umask 022
}

make_ssh() {
  mkdir -p "$sshdir"
  chmod 0700 "$sshdir"
  [[ -f "$sshdir/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C spindle-kvm-test-host -f "$sshdir/host_ed25519"
  [[ -f "$sshdir/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C spindle-kvm-test-client -f "$sshdir/client_ed25519"
  cp "$sshdir/client_ed25519.pub" "$sshdir/authorized_keys"
  echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$sshdir/host_ed25519.pub")" >"$sshdir/known_hosts"
  cat >"$sshdir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $sshdir/host_ed25519
AuthorizedKeysFile $sshdir/authorized_keys
PidFile $dir/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowUsers root
LogLevel VERBOSE
EOF
}

write_libvirtd_conf() {
  cat >"$dir/libvirtd.conf" <<EOF
listen_tls = 1
listen_tcp = 0
listen_addr = "127.0.0.1"
tls_port = "$tls_port"
key_file = "$pki/server/serverkey.pem"
cert_file = "$pki/server/servercert.pem"
ca_file = "$pki/cacert.pem"
tls_allowed_dn_list = ["CN=spindle-kvm-test-client"]
auth_tls = "none"
keepalive_interval = 5
keepalive_count = 5
# the tests open up to 50 connections at once (50 host configurations), each a TLS handshake before it counts
max_anonymous_clients = 100
max_clients = 500
log_outputs = "3:file:$dir/libvirtd.log"
EOF
}

start_libvirtd_in_namespace() { # run inside the namespace
  libvirtd -d --listen -f "$dir/libvirtd.conf" --pid-file="$dir/libvirtd.pid"
}

wait_tls() {
  local deadline=$((SECONDS + ${1:-60}))
  until timeout 15 virsh -c "$tls_uri" version >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then say "$tls_uri did not answer; log follows"; tail -n 20 "$dir/libvirtd.log" >&2 || true; return 1; fi
    sleep 0.3
  done
}

start() {
  [[ "$(id -u)" -eq 0 ]] || { say "needs root (a second libvirtd and sshd)"; return 1; }
  mkdir -p "$dir"
  install_sshd
  make_pki
  make_ssh
  write_libvirtd_conf
  if alive virtlogd && alive libvirtd && alive sshd; then
    say "already running (libvirtd pid $(cat "$dir/libvirtd.pid"))"
  else
    stop >/dev/null 2>&1 || true
    mkdir -p /run/sshd
    # the namespace lives as long as a process in it: virtlogd, libvirtd and sshd all run in it
    unshare --mount --propagation private bash -c '
      set -e
      for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt/qemu /etc/libvirt/secrets /etc/libvirt/storage; do
        mkdir -p "$d"; mount -t tmpfs -o mode=0755 spindle-remote "$d"
      done
      mkdir -p /var/lib/libvirt/qemu /var/log/libvirt/qemu /var/cache/libvirt/qemu /etc/libvirt/qemu/networks/autostart /etc/libvirt/storage/autostart
      LIBVIRT_LOG_OUTPUTS="3:file:$1/virtlogd.log" virtlogd -d --pid-file="$1/virtlogd.pid"
      libvirtd -d --listen -f "$1/libvirtd.conf" --pid-file="$1/libvirtd.pid"
      /usr/sbin/sshd -f "$1/ssh/sshd_config" -E "$1/sshd.log"
    ' spindle-remote "$dir"
  fi
  wait_tls 90
  cat >"$dir/endpoints.properties" <<EOF
tls.uri = qemu+tls://localhost:$tls_port/system
ssh.uri = qemu+ssh://root@127.0.0.1:$ssh_port/system
pki.dir = $pki/client
ssh.key = $sshdir/client_ed25519
ssh.known_hosts = $sshdir/known_hosts
EOF
  say "second libvirtd answers at qemu+tls://localhost:$tls_port/system and qemu+ssh://root@127.0.0.1:$ssh_port/system"
}

stop_pid() {
  local name="$1" pid
  alive "$name" || { rm -f "$dir/$name.pid"; return 0; }
  pid="$(cat "$dir/$name.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/$name.pid"
}

stop() {
  # its domains first: QEMU processes outlive libvirtd by design, and nobody else knows them
  if alive libvirtd; then
    for d in $(timeout 15 virsh -c "$tls_uri" list --name 2>/dev/null); do timeout 15 virsh -c "$tls_uri" destroy "$d" >/dev/null 2>&1 || true; done
  fi
  stop_pid sshd
  stop_pid libvirtd
  stop_pid virtlogd
  say "stopped"
}

daemon_stop() { stop_pid libvirtd; say "libvirtd stopped (namespace, virtlogd and sshd kept)"; }

daemon_start() {
  alive libvirtd && return 0
  alive virtlogd || { say "not started: run start first"; return 1; }
  nsenter --mount="/proc/$(cat "$dir/virtlogd.pid")/ns/mnt" libvirtd -d --listen -f "$dir/libvirtd.conf" --pid-file="$dir/libvirtd.pid"
  wait_tls 60
  say "libvirtd started again"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  daemon-stop) daemon_stop ;;
  daemon-start) daemon_start ;;
  status) alive libvirtd && timeout 15 virsh -c "$tls_uri" version >/dev/null 2>&1 && echo running || { echo "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|daemon-stop|daemon-start|status [DIR]" >&2; exit 2 ;;
esac
