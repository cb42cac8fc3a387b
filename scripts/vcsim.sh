#!/usr/bin/env bash
# Build Spindle's vSphere simulator (vsphere.simulator: govmomi's vcsim library extended with a software iSCSI HBA
# per host that logs in to real iSCSI targets) from Debian's packages, offline.
#
#   scripts/vcsim.sh build [OUT]   install golang-go, golang-github-vmware-govmomi-dev and libiscsi-bin if missing,
#                                  then build vsphere.simulator/src/main/go into OUT
#                                  (default vsphere.simulator/target/spindle-vcsim); prints the seconds each took
#   scripts/vcsim.sh test [REPORT_DIR]  run the Go tests (govmomi's client against the simulator, real tgt) and
#                                  write a JUnit summary TEST-vsphere.simulator.go.xml into REPORT_DIR
#                                  (default vsphere.simulator/target/surefire-reports); SPINDLE_REQUIRE_TGT=true
#                                  turns a missing tgtd from a skip into a failure
#   scripts/vcsim.sh check         exit 0 when everything the build needs is installed
#
# GOPATH mode with the Debian package's sources (/usr/share/gocode): no module proxy, nothing is downloaded
# except the Debian packages themselves. Idempotent; the Go build cache makes a rebuild take about a second.
set -euo pipefail

cmd="${1:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/vsphere.simulator/src/main/go"
out="${2:-$root/vsphere.simulator/target/spindle-vcsim}"
gocode=/usr/share/gocode
packages=(golang-go golang-github-vmware-govmomi-dev libiscsi-bin libiscsi-dev gcc libc6-dev)

say() { echo "vcsim.sh: $*" >&2; }

have_all() {
  command -v go >/dev/null 2>&1 || return 1
  [[ -d "$gocode/src/github.com/vmware/govmomi/simulator" ]] && [[ -f /usr/include/iscsi/iscsi.h ]] || return 1
  command -v gcc >/dev/null 2>&1 || return 1
  command -v iscsi-ls >/dev/null 2>&1 && command -v iscsi-inq >/dev/null 2>&1 \
    && command -v iscsi-readcapacity16 >/dev/null 2>&1
}

install_missing() {
  have_all && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing Go, govmomi or libiscsi tools; installing them needs root (run: apt-get install -y --no-install-recommends ${packages[*]})"
    return 1
  fi
  command -v apt-get >/dev/null 2>&1 || { say "missing Go, govmomi or libiscsi tools and no apt-get here"; return 1; }
  say "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
    say "install without a package list update failed; running apt-get update"
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null
  fi
}

build() {
  local t0=$SECONDS
  install_missing
  local t1=$SECONDS
  mkdir -p "$(dirname "$out")"
  local gopath
  gopath="$(dirname "$out")/gopath"
  mkdir -p "$gopath"
  (cd "$src" && GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gopath:$gocode" go build -o "$out" .)
  say "built $out (install $((t1 - t0)) s, build $((SECONDS - t1)) s)"
}

gotest() {
  install_missing
  local reports="${1:-$root/vsphere.simulator/target/surefire-reports}" log status=0
  mkdir -p "$reports"
  log="$reports/vsphere.simulator.go-output.txt"
  local gopath
  gopath="$(dirname "$out")/gopath"
  mkdir -p "$gopath"
  (cd "$src" && GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gopath:$gocode" go test -count=1 -v .) >"$log" 2>&1 || status=$?
  grep -E '^(--- |=== RUN|PASS|FAIL|ok)' "$log" >&2 || true
  # one <testcase> per Go test, so that bin/spindle's closing line counts them with the Java tests
  awk -v suite="vsphere.simulator.go" '
    /^--- (PASS|FAIL|SKIP): / { n++; name[n] = $3; result[n] = $2; t = $4; gsub(/[()s]/, "", t); time[n] = t
                                if ($2 == "FAIL:") f++; if ($2 == "SKIP:") k++ }
    END { printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">\n", suite, n, f, k
          for (i = 1; i <= n; i++) {
            printf "  <testcase classname=\"%s\" name=\"%s\" time=\"%s\">", suite, name[i], time[i]
            if (result[i] == "FAIL:") printf "<failure message=\"see vsphere.simulator.go-output.txt\"/>"
            if (result[i] == "SKIP:") printf "<skipped/>"
            printf "</testcase>\n" }
          print "</testsuite>" }' "$log" >"$reports/TEST-vsphere.simulator.go.xml"
  if [[ $status -ne 0 ]] && ! grep -q '^--- FAIL' "$log"; then
    say "go test failed before running tests; output follows"; cat "$log" >&2
  fi
  return $status
}

case "$cmd" in
  build) build ;;
  test) gotest "${2:-}" ;;
  check) have_all ;;
  *) echo "usage: $0 build [OUT] | test [REPORT_DIR] | check" >&2; exit 2 ;;
esac
