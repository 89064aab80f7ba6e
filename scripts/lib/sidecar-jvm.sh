# The JVM of a sidecar (`firemesh proxy`, and `firemesh run`, which supervises an app beside its
# sidecar in the same process): a small fixed heap, the serial collector, capped
# metaspace, code cache, thread stacks and direct memory, glibc held to two malloc arenas, and an
# AOT cache (JDK 25, JEP 483/514) for a fast start. The figures behind each choice are in
# docs/benchmarks.md ("Sidecar JVM"). Other subcommands keep the JVM's defaults.
#
# FIREMESH_PROXY_JAVA_OPTS, when set (even to nothing), replaces all of it: flags, AOT cache and
# MALLOC_ARENA_MAX. FIREMESH_JAVA_OPTS still comes last, for one extra flag.
#
# The AOT cache lives in the build's own folder (target/dist.<n>/proxy.aot), so a new jar always
# gets a new cache. build_dist trains it with one short sidecar start (see train_sidecar_aot).
# -XX:AOTMode=auto: a missing, stale or unreadable cache makes the JVM start without it, never
# fail. Delete the file and the next build trains it again.

# Needs $root, $JAVA_HOME; sets the array sidecar_jvm for the dist folder $1.
sidecar_jvm_options() {
  local dist=$1
  if [ -n "${FIREMESH_PROXY_JAVA_OPTS+set}" ]; then
    read -r -a sidecar_jvm <<<"$FIREMESH_PROXY_JAVA_OPTS"
    return 0
  fi
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  sidecar_jvm=("${sidecar_jvm_flags[@]}")
  if [ -f "$dist/proxy.aot" ]; then
    sidecar_jvm+=(-XX:AOTCache="$dist/proxy.aot" -XX:AOTMode=auto)
  fi
}

# The flags themselves, and why, are in one file that `firemesh demo` reads too.
sidecar_jvm_file="$root/mesh-cli/src/main/resources/dev/firemesh/cli/sidecar-jvm.options"
mapfile -t sidecar_jvm_flags < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$sidecar_jvm_file")

# Records the AOT cache of dist folder $1 from one real sidecar start with the sidecar's flags: a
# control plane of its own (embedded PostgreSQL, ephemeral ports, a scratch data directory), and a
# sidecar that enrols on that data directory's admin token, opens its mTLS xDS stream, takes its
# configuration and registers; it is then stopped, and the JVM writes the classes it loaded,
# linked, into proxy.aot (TLS and enrolment included, as every sidecar now runs them). Failure is
# only a warning: the sidecar then starts without the cache.
train_sidecar_aot() {
  local dist=$1 scratch port control sidecar i
  scratch=$(mktemp -d /tmp/firemesh-aot.XXXXXX)
  local cp=(-cp "$dist/firemesh.jar:$dist/lib/*" dev.firemesh.cli.FireMesh)
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${cp[@]}" control \
    --data-dir "$scratch/control" --admin-port 0 --xds-port 0 >"$scratch/control.log" 2>&1 &
  control=$!
  for ((i = 0; i < 600; i++)); do
    [ -f "$scratch/control/control.json" ] && break
    kill -0 "$control" 2>/dev/null || break
    sleep 0.1
  done
  # The sidecar registers only once its app listens; its own inbound listener stands in for the
  # app. A taken port only costs the cache.
  port=$((20000 + RANDOM % 20000))
  (cd "$scratch" && MALLOC_ARENA_MAX=2 exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    "${sidecar_jvm_flags[@]}" -XX:AOTCacheOutput="$dist/proxy.aot" "${cp[@]}" proxy \
    --data-dir "$scratch/control" --service aot-training --instance-id aot-training \
    --inbound-port "$port" --app-port "$port" --outbound-port 0 --admin-port 0 \
    --drain-delay 0s --drain-timeout 1s --ready-file "$scratch/ready.json") \
    >"$scratch/training.log" 2>&1 &
  sidecar=$!
  for ((i = 0; i < 600; i++)); do
    [ -f "$scratch/ready.json" ] && break
    kill -0 "$sidecar" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$sidecar" 2>/dev/null || true
  wait "$sidecar" 2>/dev/null || true
  kill -TERM "$control" 2>/dev/null || true
  wait "$control" 2>/dev/null || true
  if [ ! -f "$dist/proxy.aot" ] || [ ! -f "$scratch/ready.json" ]; then
    echo "firemesh: note: the sidecar's AOT cache was not trained on a whole start (training log below)" >&2
    tail -n 20 "$scratch/training.log" >&2
    [ -f "$scratch/ready.json" ] || tail -n 10 "$scratch/control.log" >&2
  fi
  rm -rf "$scratch"
}
