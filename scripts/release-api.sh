#!/usr/bin/env bash
# Cuts a release of the Spindle API: builds storage.api (with its tests) and stores the bundle as
#   cnf/baseline/org/spindle/org.spindle.storage.api/<version>/org.spindle.storage.api-<version>.jar (+ .pom)
# a file-based Maven repository in the repo, which bnd-baseline-maven-plugin compares every later build of
# storage.api against (root pom.xml, property spindle.api.baseline, which this script sets to <version>).
#
# Run it when an API release is cut, and only then: the stored jar is the contract every later change is
# checked against, so storing a newer build hides changes from the baseline. Commit cnf/baseline and
# pom.xml with the release. Usage:
#   scripts/release-api.sh            # 1.0.0, the first release
#   scripts/release-api.sh 1.1.0      # a later one: bump the changed packages' @Version first
#
# Idempotent: the bundle is built reproducibly, so running it again on the same sources writes the same
# bytes. It also drops the copy Maven cached in the local repository (a release version is never
# downloaded again once cached, so a stale copy would be what the baseline compares against).
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-1.0.0}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release-api: version must be MAJOR.MINOR.MICRO (was '$version')" >&2; exit 2; }

group=org.spindle
artifact=org.spindle.storage.api
dir=cnf/baseline/${group//.//}/$artifact/$version

# package, not install or verify: the baseline check itself (verify) would compare against the release
# being replaced, and a release that breaks compatibility is exactly when a new major is cut
mvn -B -ntp -q package -pl storage.api
built=$(ls storage.api/target/"$artifact"-*.jar | grep -v -e '-sources' -e '-tests' | head -1)

mkdir -p "$dir"
cp "$built" "$dir/$artifact-$version.jar"
cat > "$dir/$artifact-$version.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <description>The released Spindle API $version, built from storage.api by scripts/release-api.sh: the baseline of later builds.</description>
</project>
POM
for f in "$dir/$artifact-$version.jar" "$dir/$artifact-$version.pom"; do
    sha1sum "$f" | cut -d' ' -f1 | tr -d '\n' > "$f.sha1"
done

# the root pom pins the baseline to this release (rewritten only when it changes: bin/spindle's summary
# counts the test reports newer than pom.xml)
grep -q "<spindle.api.baseline>[^<]*</spindle.api.baseline>" pom.xml \
    || { echo "release-api: pom.xml has no <spindle.api.baseline> property to set" >&2; exit 1; }
grep -q "<spindle.api.baseline>$version</spindle.api.baseline>" pom.xml \
    || sed -i "s|<spindle.api.baseline>[^<]*</spindle.api.baseline>|<spindle.api.baseline>$version</spindle.api.baseline>|" pom.xml

local_repo=$(mvn -B -ntp -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || true)
local_repo=${local_repo:-$HOME/.m2/repository}
rm -rf "$local_repo/${group//.//}/$artifact/$version"

echo "release-api: $artifact $version stored in $dir ($(sha1sum "$dir/$artifact-$version.jar" | cut -c1-12)); commit it with pom.xml:"
echo "  git add -- cnf/baseline pom.xml && git commit -m 'storage.api $version released: the new baseline' -- cnf/baseline pom.xml"
