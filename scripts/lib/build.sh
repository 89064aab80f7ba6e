# Builds the firemesh CLI when it is missing or older than any source, into target/dist.
# Needs $root and JAVA_HOME (scripts/lib/jdk.sh); sources scripts/lib/sidecar-jvm.sh. After ensure_built, $dist is the real folder of
# the current build (target/dist.<n>), which the caller puts on the class path.
#
# Running processes (a control plane, a demo) keep using the jars they started with, so a rebuild
# never writes into them: Maven builds in the modules' target folders, the finished jar and its
# lib/ are copied to a fresh target/dist.<n>, and the symbolic link target/dist is switched to it
# with a rename (there is never a moment without a dist). Processes are started on the resolved
# target/dist.<n>, never through the link, so a later switch cannot mix versions under them.
# Builds are serialized with flock(1) on target/.build.lock: a second launcher waits, then finds
# the jar fresh.

source "$root/scripts/lib/sidecar-jvm.sh"

dist_link="$root/target/dist"
dist=""

sources_changed() { # true if any source or build file (or the sidecar's JVM flags, which its AOT
  # cache was recorded with) is newer than the installed jar
  local jar="$dist_link/firemesh.jar"
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -name target -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml -o -path "$root/.mvn/*" \
    -o -path "$root/scripts/lib/sidecar-jvm.sh" \) -type f \
    -newer "$jar" -print -quit)" ]
}

ensure_built() {
  if sources_changed; then
    mkdir -p "$root/target"
    exec 9>"$root/target/.build.lock"
    if ! flock -n 9; then
      echo "firemesh: waiting for another launcher's build (target/.build.lock)..." >&2
      flock 9
    fi
    # The build we waited for may have made everything fresh.
    if sources_changed; then
      build_dist
    fi
    exec 9>&- # unlocks; and the Java process exec'd next must not hold the lock
  fi
  if [ -L "$dist_link" ]; then
    dist="$root/target/$(readlink "$dist_link")"
  else
    dist="$dist_link" # a folder left by an older launcher
  fi
}

# Runs with the build lock held (fd 9), which Maven does not inherit.
build_dist() {
  local target="$root/target"
  local log="$target/build.log"
  local stamp="$target/.build-started"
  echo "firemesh: building (first run or sources changed; log in target/build.log)..." >&2
  # The jar is stamped with the time the build STARTED: a source edited while Maven runs is then
  # newer than the jar, and the next run builds again.
  touch "$stamp"
  # Tests and format checks belong to ./run-tests; this build only makes the jar.
  if ! (cd "$root" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true \
      -pl mesh-cli -am package) >"$log" 2>&1 9>&-; then
    echo "firemesh: build failed; the end of target/build.log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  local n=1 d
  for d in "$target"/dist.[0-9]*; do
    [ -e "$d" ] || continue
    d=${d##*/dist.}
    [[ $d =~ ^[0-9]+$ ]] && [ "$d" -ge "$n" ] && n=$((d + 1))
  done
  local fresh="$target/dist.$n"
  rm -rf "$fresh"
  mkdir -p "$fresh"
  cp -r "$root/mesh-cli/target/lib" "$fresh/lib"
  cp "$root/mesh-cli/target/firemesh.jar" "$fresh/firemesh.jar"
  touch -r "$stamp" "$fresh/firemesh.jar"
  echo "firemesh: recording the sidecar's AOT cache (one short training start)..." >&2
  train_sidecar_aot "$fresh"
  local previous=""
  if [ -L "$dist_link" ]; then
    previous="$target/$(readlink "$dist_link")"
  elif [ -d "$dist_link" ]; then
    # A target/dist folder from an older launcher: keep it, under a number, out of the way.
    previous="$target/dist.0"
    rm -rf "$previous"
    mv -T "$dist_link" "$previous"
  fi
  ln -sfn "dist.$n" "$dist_link.next"
  mv -T "$dist_link.next" "$dist_link"
  remove_unused_dists "$fresh" "$previous"
}

# Deletes the dist.<n> folders that neither the current build, the previous one (a launcher may
# have resolved it just before the switch) nor any running process uses.
remove_unused_dists() {
  local keep_current="$1" keep_previous="$2" d
  for d in "$root/target"/dist.[0-9]*; do
    [ -d "$d" ] || continue
    [ "$d" = "$keep_current" ] || [ "$d" = "$keep_previous" ] && continue
    in_use "$d" || rm -rf "$d"
  done
}

in_use() { # true if a running process names folder $1 on its command line (its class path)
  local f arg args
  for f in /proc/[0-9]*/cmdline; do
    args=()
    mapfile -d '' -t args <"$f" 2>/dev/null || continue
    for arg in "${args[@]}"; do
      [[ $arg == *"$1/"* ]] && return 0
    done
  done
  return 1
}
