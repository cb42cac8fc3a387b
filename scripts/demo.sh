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
export INITIATOR=iqn.2026-11.org.spindle.demo:local

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
# the distribution ships no user: the demo makes its own admin, with a password made for this run only
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
printf '\ndemo-admin = %s,_g_:admingroup\n' "$ADMIN_PASSWORD" >>"$K/etc/users.properties"
client() { timeout "$1" "$K/bin/client" -u demo-admin -p "$ADMIN_PASSWORD" -b; }
# secrets at rest (README, "Security"): a master key for this run in a private file named in etc/system.properties, and
# the SAN and database passwords in etc/ only as ENC(...) values made with it
CONFIG_KEY_FILE=$WORK/config.key
(umask 077 && bin/spindle encrypt --new-key >"$CONFIG_KEY_FILE")
printf '\nspindle.config.keyfile = %s\n' "$CONFIG_KEY_FILE" >>"$K/etc/system.properties"
encrypt() { printf '%s\n' "$1" | bin/spindle encrypt --keyfile "$CONFIG_KEY_FILE" --home "$K"; }
cat >"$K/etc/org.spindle.driver.solidfire-demo.cfg" <<CFG
mvip = ${SAN_URL#https://}
username = admin
.password = $(encrypt "$SAN_PASSWORD")
tls.fingerprint.sha256 = $SAN_FP
storage.pool = $POOL
storage.zone = $ZONE
storage.tags = gold
target.lun = $SAN_LUN
CFG
# a random database password (the embedded H2 file is created with it), and a second SolidFire configuration with a
# wrong password (REJECTED): both are among the secrets the closing sweep looks for
DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
WRONG_SAN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
printf '.password = %s\n' "$(encrypt "$DB_PASSWORD")" >>"$K/etc/org.spindle.storage.database.cfg"
sed -e "s|^\.password = .*|.password = $(encrypt "$WRONG_SAN_PASSWORD")|" -e "s/^storage.pool = .*/storage.pool = sf-wrong/" \
    "$K/etc/org.spindle.driver.solidfire-demo.cfg" >"$K/etc/org.spindle.driver.solidfire-wrong.cfg"
cat >"$K/etc/org.spindle.hyper.kvm-local.cfg" <<CFG
libvirt.uri = qemu:///system
hypervisor.host = local
storage.zone = $ZONE
initiator.iqn = $INITIATOR
CFG

FAILED=()
run_shell() { # runs one command through bin/client; fails when the client exits non-zero or reports an error
    echo "karaf@spindle()> $*"
    local raw rc=0
    raw=$(echo "$*" | client 90 2>&1) || rc=$?
    printf '%s\n' "$raw" >>"$WORK/transcript"
    OUT=$(printf '%s\n' "$raw" | grep -v '^$' | sed 's/\x1b\[[0-9;]*m//g' || true)
    printf '%s\n' "$OUT" | sed 's/^/    /'
    [ "$rc" = 0 ] && ! printf '%s\n' "$OUT" | grep -q "Error executing command"
}
shell() {     # a command that must succeed: the demo goes on, and fails at the end
    run_shell "$@" || FAILED+=("$*")
}
refused() {   # a command that must be refused
    if run_shell "$@"; then FAILED+=("(should have been refused) $*"); fi
}
expect() {    # expect "what must hold now" command…: the step's own effect, checked; a miss fails the demo at the end
    local what=$1; shift
    if "$@"; then echo "    ok: $what"; else echo "    MISSING: $what"; FAILED+=("$what"); fi
}
volume_field() {  # volume_field <volume> <field>: a field of storage:volume-show --json
    local raw
    raw=$(echo "storage:volume-show --json $1" | client 60 2>/dev/null) || return 1
    printf '%s\n' "$raw" >>"$WORK/transcript"
    python3 -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t[t.index("{"):]).get(sys.argv[1]))' "$2" <<<"$raw"
}
san_holds() {     # san_holds <python condition over vols, vags, VID (the Spindle volume id), SID (its SAN id), INITIATOR>
    python3 - "$(element ListActiveVolumes)" "$(element ListVolumeAccessGroups)" "$1" <<'PY'
import json, os, sys
vols = json.loads(sys.argv[1])["result"]["volumes"]
vags = json.loads(sys.argv[2])["result"]["volumeAccessGroups"]
VID, INITIATOR = os.environ.get("VID", ""), os.environ["INITIATOR"]
mine = [v for v in vols if v.get("attributes", {}).get("spindle-uuid") == VID]
SID = mine[0]["volumeID"] if mine else None
qos = (mine[0]["qos"]["minIOPS"], mine[0]["qos"]["maxIOPS"], mine[0]["qos"]["burstIOPS"]) if mine else None
sys.exit(0 if eval(sys.argv[3]) else 1)
PY
}
domain_has() { local xml; xml=$(virsh dumpxml "$VM") && grep -q -- "$1" <<<"$xml"; }
no_disk() { ! domain_has "<disk type='network'"; }
SEEN_SAN=0 SEEN_DISK=0   # set when the attach step found the SAN volume and the disk: the closing checks need them
seen_on_san() { san_holds 'qos == (500, 1000, 1500)' && SEEN_SAN=1; }
seen_in_vm() { domain_has "<disk type='network'" && SEEN_DISK=1; }
gone_from_san() { [ "$SEEN_SAN" = 1 ] && san_holds 'VID and not mine'; }
gone_from_vm() { [ "$SEEN_DISK" = 1 ] && no_disk; }
spindle_secrets() { virsh secret-list | grep -cE ' spindle[-/]' || true; }   # usage spindle-<vm uuid>-<volume> (spindle/… before)
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
# The secret sweep: every secret of the run goes into $WORK/secrets (NAME=value, private to root), and sweep looks for
# each (as it is and base64-encoded, as libvirt shows a CHAP secret) in files and folders; a find fails the demo.
touch "$WORK/secrets" "$WORK/transcript"
chmod 600 "$WORK/secrets"
secret() { [ -n "$2" ] && printf '%s=%s\n' "$1" "$2" >>"$WORK/secrets"; return 0; }
secret "SAN admin password" "$SAN_PASSWORD"
secret "wrong SAN password" "$WRONG_SAN_PASSWORD"
secret "database password" "$DB_PASSWORD"
secret "shell admin password" "$ADMIN_PASSWORD"
secret "configuration master key" "$(cat "$CONFIG_KEY_FILE")"
collect_chap() {  # the CHAP secrets as the SAN keeps them (Element ListAccounts) and as libvirt holds them
    local uuid
    python3 -c 'import json,sys
for a in json.loads(sys.argv[1])["result"]["accounts"]:
    for k in ("initiatorSecret", "targetSecret"):
        if a.get(k): print(a["username"] + " " + k + "=" + a[k])' "$(element ListAccounts)" >>"$WORK/secrets"
    for uuid in $(virsh secret-list | awk '/ spindle[-\/]/ {print $1}'); do
        secret "libvirt secret $uuid" "$(virsh secret-get-value "$uuid" | base64 -d 2>/dev/null || true)"
    done
}
sweep() {  # sweep WHAT PATH...
    python3 - "$WORK/secrets" "$@" <<'PY'
import base64, pathlib, sys
secrets = [line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]) if "=" in line]
what, found, looked = sys.argv[2], [], 0
for path in sys.argv[3:]:
    p = pathlib.Path(path)
    for f in ([x for x in p.rglob("*") if x.is_file()] if p.is_dir() else [p] if p.exists() else []):
        data, looked = f.read_bytes(), looked + 1
        for name, value in secrets:
            for form in {value, base64.b64encode(value.encode()).decode()}:
                if len(form) >= 8 and form.encode() in data:
                    found.append(f"{name} in {f}")
print(f"    {what}: {len(secrets)} secrets looked for in {looked} file(s)" + ("".join(f"\n    FOUND: {x}" for x in found) if found else ", none found"))
sys.exit(1 if found or looked == 0 else 0)
PY
}

echo "demo: SolidFire simulator at $SAN_URL (real iSCSI LUNs through tgt, LUN $SAN_LUN); VM $VM running under QEMU (TCG)"
"$K/bin/start"
for _ in $(seq 1 90); do
    echo "storage:pool-list --json" | client 20 2>/dev/null | grep -q "\"$POOL\"" && break
    sleep 1
done

step "1. The driver configuration makes pool $POOL appear in zone $ZONE"
shell storage:driver-list
shell storage:hypervisor-list
shell storage:pool-list
step "2. A disk offering references the pool's storage tag and carries QoS for both sides"
shell storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --write-iops 200 --read-bps 20M --write-bps 20M --custom-iops gold
step "3. A volume: a database row, ALLOCATED, nothing on the SAN yet"
shell storage:volume-create --offering gold --size 1G demo1
export VID; VID=$(volume_field demo1 id || true)
expect "volume demo1 exists, ALLOCATED" [ "$(volume_field demo1 state)" = ALLOCATED ]
expect "no SAN volume for demo1 yet" san_holds 'VID and not mine'
san_view
step "4. Attach: the driver creates the SAN volume and grants the host; libvirt gets a CHAP secret and the iSCSI disk with iotune"
shell storage:volume-attach demo1 $VM
shell storage:volume-show demo1
san_view
libvirt_view
expect "demo1 is ATTACHED" [ "$(volume_field demo1 state)" = ATTACHED ]
expect "the SAN volume of demo1 exists with QoS 500/1000/1500" seen_on_san
expect "the host's group ($INITIATOR) holds the SAN volume" san_holds 'any(SID in g["volumes"] and INITIATOR in g["initiators"] for g in vags)'
expect "the VM has the iSCSI disk" seen_in_vm
expect "the disk carries read_iops_sec 400" domain_has "<read_iops_sec>400</read_iops_sec>"
expect "the disk carries write_iops_sec 200" domain_has "<write_iops_sec>200</write_iops_sec>"
expect "the disk carries read_bytes_sec 20M" domain_has "<read_bytes_sec>20971520</read_bytes_sec>"
expect "libvirt holds one Spindle CHAP secret" [ "$(spindle_secrets)" = 1 ]
collect_chap
step "5. Runtime QoS change: on the SAN (max, burst IOPS) and live in QEMU (read IOPS); contradictory QoS is refused"
refused storage:volume-qos --max-iops 900 --burst-iops 800 demo1
shell storage:volume-qos --max-iops 800 --burst-iops 1200 --read-iops 800 demo1
san_view
libvirt_view
expect "the SAN volume's QoS is 500/800/1200" san_holds 'qos == (500, 800, 1200)'
expect "the disk carries read_iops_sec 800" domain_has "<read_iops_sec>800</read_iops_sec>"
step "6. Grow while attached: the SAN volume grows, then QEMU re-reads the LUN and the running VM sees the new size"
DISK=$(virsh domblklist "$VM" | awk '$2 ~ /^iqn\./ {print $1; exit}' || true)
echo "virsh domblkinfo $VM $DISK: $(disk_capacity) bytes"
shell storage:volume-resize demo1 2G
echo "virsh domblkinfo $VM $DISK: $(disk_capacity) bytes"
expect "the running VM sees the grown disk (virsh domblkinfo: 2 GiB)" [ "$(disk_capacity)" = $((2 * 1024 * 1024 * 1024)) ]
expect "the SAN volume is 2 GiB" san_holds 'mine and mine[0]["totalSize"] >= 2 * 1024**3'
step "7. Detach: the disk and the secret leave libvirt, the SAN revokes the host's group; the volume stays READY"
shell storage:volume-detach demo1
shell storage:volume-list
san_view
libvirt_view
expect "demo1 is READY" [ "$(volume_field demo1 state)" = READY ]
expect "the SAN volume is still there" san_holds 'bool(mine)'
expect "no access group holds the SAN volume (access revoked)" san_holds 'bool(mine) and not mine[0]["volumeAccessGroups"] and not any(SID in g["volumes"] for g in vags)'
expect "the VM has no iSCSI disk" no_disk
expect "no Spindle CHAP secret left in libvirt" [ "$(spindle_secrets)" = 0 ]
step "8. Delete: the SAN volume is deleted and purged"
shell storage:volume-delete demo1
shell storage:volume-list --all
san_view
expect "demo1 is DESTROYED" [ "$(volume_field demo1 state)" = DESTROYED ]

step "9. Forced failures: an attach to a VM libvirt does not have, a pool whose SolidFire password is wrong"
shell storage:volume-create --offering gold --size 1G demo2
refused storage:volume-attach demo2 spindle-demo-missing
shell storage:volume-delete demo2
shell storage:driver-list
expect "the configuration with the wrong SAN password is REJECTED" grep -q "REJECTED" <<<"$OUT"

step "10. Secret sweep: no CHAP secret, SAN, database or shell password in any log, any storage: output or the database"
for c in "storage:pool-list --json" "storage:driver-list --json" "storage:hypervisor-list --json" "storage:offering-list --json" \
         "storage:volume-list --all --json" "storage:volume-show --json demo1" "storage:volume-list --all" "storage:pool-show sf-demo"; do
    echo "$c" | client 60 >>"$WORK/transcript" 2>&1 || true
done
collect_chap
echo "    $(grep -c . "$WORK/secrets") secrets collected (CHAP secrets from Element ListAccounts and libvirt, passwords of this run)"
"$K/bin/stop" >/dev/null 2>&1 || true
for _ in $(seq 1 60); do pgrep -f -- "-Dkaraf.home=$K" >/dev/null || break; sleep 1; done   # the H2 file is locked while it runs
H2_JAR=$(find "$K/system/com/h2database" -name 'h2-*.jar' | head -1)
java -cp "$H2_JAR" org.h2.tools.Script -url "jdbc:h2:file:$K/data/spindle/spindle" -user spindle -password "$DB_PASSWORD" \
    -script "$WORK/database.sql" >/dev/null 2>&1 || echo "    (could not dump the database)"
expect "the database dump holds the demo's volumes" grep -q "demo1" "$WORK/database.sql"
expect "no secret in data/log" sweep "data/log" "$K/data/log"
expect "no secret in the storage: outputs (plain and --json)" sweep "storage: outputs" "$WORK/transcript"
expect "no secret in the database (a full SQL dump)" sweep "database dump" "$WORK/database.sql"

echo
# the closing checks hold only if the volume existed on both sides on the way (a demo where nothing was ever
# created must not pass): VID was known, the attach step found the SAN volume and the disk
expect "the SAN volume of demo1, seen after the attach, is gone" gone_from_san
expect "the SAN has no volume left" san_holds 'not vols'
expect "the disk, seen after the attach, is not in the VM" gone_from_vm
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "demo: FAILED:"
    printf '  - %s\n' "${FAILED[@]}"
    exit 1
fi
echo "demo: every step did what it should"
