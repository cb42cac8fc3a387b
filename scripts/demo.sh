#!/usr/bin/env bash
# The seed flow for real, on this machine: a SolidFire Element simulator serving real iSCSI LUNs through tgt,
# the Spindle distribution configured for it and for the local libvirt, and a running no-OS QEMU VM.
# Walks pool → offering → volume → attach → QoS change → grow → detach → delete with storage: commands and shows,
# at each step, what the SAN (Element API) and libvirt see. Run through `bin/spindle run --demo`, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VM=spindle-demo
POOL=sf-demo
ZONE=demo
INITIATOR=iqn.2026-11.org.spindle.demo:local

missing=()
[ "$(id -u)" = 0 ] || missing+=("root (tgtd, libvirtd and their packages need it)")
for c in java mvn python3 curl; do command -v "$c" >/dev/null 2>&1 || missing+=("the '$c' command"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "demo: cannot run; missing:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi

started=()
for peer in tgt libvirt; do
    if ! "scripts/$peer.sh" status >/dev/null 2>&1; then
        "scripts/$peer.sh" start || { echo "demo: could not start $peer (see above for what is missing)" >&2; exit 2; }
        started+=("$peer")
    fi
done

SIM_JAR=$(ls solidfire.simulator/target/org.spindle.solidfire.simulator-*.jar 2>/dev/null | grep -v sources | head -1 || true)
if [ ! -x distribution/target/assembly/bin/karaf ] || [ -z "$SIM_JAR" ]; then
    echo "demo: building the distribution and the simulator (first run)…"
    mvn -B -q -ntp install -DskipTests -pl distribution,solidfire.simulator -am
    SIM_JAR=$(ls solidfire.simulator/target/org.spindle.solidfire.simulator-*.jar | grep -v sources | head -1)
fi

WORK=$(mktemp -d /tmp/spindle-demo.XXXXXX)
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
K=$WORK/karaf
SIM_PID=
cleanup() {
    set +e
    echo
    echo "== cleaning up"
    [ -x "$K/bin/stop" ] && "$K/bin/stop" >/dev/null 2>&1
    virsh -q destroy "$VM" >/dev/null 2>&1
    virsh -q undefine "$VM" >/dev/null 2>&1
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    for p in "${started[@]}"; do "scripts/$p.sh" stop >/dev/null 2>&1; done
    rm -rf "$WORK"
}
trap cleanup EXIT

SAN_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)
java -jar "$SIM_JAR" --port 0 --tgt on --unique-id demo --user admin --password "$SAN_PASSWORD" \
    --state-dir "$WORK/san" --cert-out "$WORK/san.pem" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 100); do grep -q '"event":"started"' "$WORK/sim.log" && break; sleep 0.1; done
STARTED=$(grep '"event":"started"' "$WORK/sim.log") || { echo "demo: the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
SAN_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$STARTED")
SAN_FP=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["certificateSha256"])' "$STARTED")
SAN_LUN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["lun"])' "$STARTED")

virsh -q destroy "$VM" >/dev/null 2>&1 || true
virsh -q undefine "$VM" >/dev/null 2>&1 || true
cat >"$WORK/vm.xml" <<XML
<domain type='qemu'><name>$VM</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices></domain>
XML
virsh -q define "$WORK/vm.xml" >/dev/null
virsh -q start "$VM" >/dev/null

cp -r distribution/target/assembly "$K"
rm -rf "$K/data"
cat >"$K/etc/org.spindle.driver.solidfire-demo.cfg" <<CFG
mvip = ${SAN_URL#https://}
username = admin
.password = $SAN_PASSWORD
tls.fingerprint.sha256 = $SAN_FP
storage.pool = $POOL
storage.zone = $ZONE
storage.tags = gold
target.lun = $SAN_LUN
CFG
cat >"$K/etc/org.spindle.hyper.kvm-local.cfg" <<CFG
libvirt.uri = qemu:///system
hypervisor.host = local
storage.zone = $ZONE
initiator.iqn = $INITIATOR
CFG

FAILED=()
run_shell() {
    echo "karaf@spindle()> $*"
    local out
    out=$({ echo "$*" | timeout 90 "$K/bin/client" -u spindle -p spindle -b 2>&1 || true; } | grep -v '^$' | sed 's/\x1b\[[0-9;]*m//g')
    printf '%s\n' "$out" | sed 's/^/    /'
    if printf '%s\n' "$out" | grep -q "Error executing command"; then return 1; fi
}
shell() {     # a command that must succeed: the demo goes on, and fails at the end
    run_shell "$@" || FAILED+=("$*")
}
refused() {   # a command that must be refused
    if run_shell "$@"; then FAILED+=("(should have been refused) $*"); fi
}
element() {   # one Element API call, for showing the SAN's view (the demo's own admin credentials)
    curl -s --cacert "$WORK/san.pem" -u "admin:$SAN_PASSWORD" -H 'Content-Type: application/json' \
        -d "{\"method\":\"$1\",\"params\":${2:-{\}},\"id\":1}" "$SAN_URL/json-rpc/8.0"
}
san_view() {
    echo "SAN (Element ListActiveVolumes / ListVolumeAccessGroups):"
    python3 - "$(element ListActiveVolumes)" "$(element ListVolumeAccessGroups)" <<'PY'
import json, sys
vols = json.loads(sys.argv[1])["result"]["volumes"]
vags = json.loads(sys.argv[2])["result"]["volumeAccessGroups"]
if not vols:
    print("    no volumes")
for v in vols:
    q = v["qos"]
    print(f"    volume {v['volumeID']} {v['name']}: {v['totalSize']} bytes, qos min/max/burst {q['minIOPS']}/{q['maxIOPS']}/{q['burstIOPS']}, iqn {v['iqn']}")
for g in vags:
    print(f"    access group {g['name']}: initiators {g['initiators']} volumes {g['volumes']}")
PY
}
libvirt_view() {
    echo "libvirt (virsh dumpxml $VM, disks):"
    virsh dumpxml "$VM" | sed -n "/<disk type='network'/,/<\/disk>/p" | grep -E "source|host|iqn|target dev|_sec" | sed 's/^ */    /' || true
    [ "$(virsh dumpxml "$VM" | grep -c "<disk type='network'")" = 0 ] && echo "    no network disk"
    echo "tgt sessions: $(tgtadm --lld iscsi --mode target --op show | grep -c 'Initiator: ') initiator(s) logged in"
}
disk_capacity() {   # the capacity of the VM's Spindle disk as the running QEMU reports it
    [ -n "${DISK:-}" ] && virsh domblkinfo "$VM" "$DISK" | awk '/^Capacity:/ {print $2}'
}
step() { echo; echo "== $*"; }

echo "demo: SolidFire simulator at $SAN_URL (real iSCSI LUNs through tgt, LUN $SAN_LUN); VM $VM running under QEMU (TCG)"
"$K/bin/start"
for _ in $(seq 1 90); do
    echo "storage:pool-list --json" | timeout 20 "$K/bin/client" -u spindle -p spindle -b 2>/dev/null | grep -q "\"$POOL\"" && break
    sleep 1
done

step "1. The driver configuration makes pool $POOL appear in zone $ZONE"
shell storage:driver-list
shell storage:hypervisor-list
shell storage:pool-list
step "2. A disk offering references the pool's storage tag and carries QoS for both sides"
shell storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 --read-bps 20M --write-bps 20M gold
step "3. A volume: a database row, ALLOCATED, nothing on the SAN yet"
shell storage:volume-create --offering gold --size 1G demo1
san_view
step "4. Attach: the driver creates the SAN volume and grants the host; libvirt gets a CHAP secret and the iSCSI disk with iotune"
shell storage:volume-attach demo1 $VM
shell storage:volume-show demo1
san_view
libvirt_view
step "5. Runtime QoS change: on the SAN (max, burst IOPS) and live in QEMU (read IOPS); contradictory QoS is refused"
refused storage:volume-qos --max-iops 2000 demo1
shell storage:volume-qos --max-iops 2000 --burst-iops 3000 --read-iops 800 demo1
san_view
libvirt_view
step "6. Grow while attached: the SAN volume grows, then QEMU re-reads the LUN and the running VM sees the new size"
DISK=$(virsh domblklist "$VM" | awk '$2 ~ /^iqn\./ {print $1; exit}' || true)
echo "virsh domblkinfo $VM $DISK: $(disk_capacity) bytes"
shell storage:volume-resize demo1 2G
echo "virsh domblkinfo $VM $DISK: $(disk_capacity) bytes"
[ "$(disk_capacity)" = $((2 * 1024 * 1024 * 1024)) ] || FAILED+=("the running VM does not see the grown disk (virsh domblkinfo)")
step "7. Detach: the disk and the secret leave libvirt, the SAN revokes the host's group; the volume stays READY"
shell storage:volume-detach demo1
shell storage:volume-list
san_view
libvirt_view
step "8. Delete: the SAN volume is deleted and purged"
shell storage:volume-delete demo1
shell storage:volume-list --all
san_view

echo
[ "$(element ListActiveVolumes | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]["volumes"]))')" = 0 ] \
    || FAILED+=("the SAN still has volumes after the delete")
virsh dumpxml "$VM" | grep -q "<disk type='network'" && FAILED+=("libvirt still has the disk after the detach")
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "demo: FAILED:"
    printf '  - %s\n' "${FAILED[@]}"
    exit 1
fi
echo "demo: every step did what it should"
