# Builds the firemesh CLI when it is missing or older than any source, into target/dist.
# Needs $root and JAVA_HOME (scripts/lib/jdk.sh).
#
# Running processes (a control plane, a demo) keep their jars open, so a rebuild never writes into
# the jars they use: Maven builds in the modules' target folders, then the finished jar and its
# lib/ are copied to a fresh folder and swapped in with a rename.

dist="$root/target/dist"

sources_changed() { # true if any source or build file is newer than the installed jar
  local stamp="$dist/firemesh.jar"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -name target -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml -o -path "$root/.mvn/*" \) -type f \
    -newer "$stamp" -print -quit)" ]
}

ensure_built() {
  sources_changed || return 0
  local log="$root/target/build.log"
  mkdir -p "$root/target"
  echo "firemesh: building (first run or sources changed; log in target/build.log)..." >&2
  # Tests and format checks belong to ./run-tests; this build only makes the jar.
  if ! (cd "$root" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true \
      -pl mesh-cli -am package) >"$log" 2>&1; then
    echo "firemesh: build failed; the end of target/build.log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  local fresh="$root/target/dist.$$"
  rm -rf "$fresh"
  mkdir -p "$fresh"
  cp -r "$root/mesh-cli/target/lib" "$fresh/lib"
  cp "$root/mesh-cli/target/firemesh.jar" "$fresh/firemesh.jar"
  rm -rf "$dist.old"
  [ -d "$dist" ] && mv "$dist" "$dist.old"
  mv "$fresh" "$dist"
  rm -rf "$dist.old"
}
