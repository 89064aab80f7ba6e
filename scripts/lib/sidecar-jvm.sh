# The JVM of a sidecar (`firemesh proxy`): a small fixed heap, the serial collector, capped
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

# Heap: the sidecar's live set after start is about 14 MiB (6,400 classes: picocli, Netty, gRPC,
# protobuf and Envoy's API, Jackson, logback, the JDK's HTTP client and TLS; the zip directories of
# the big jars); bodies stream through pooled direct buffers, not the heap. 32 MiB with an 8 MiB
# young generation leaves the old generation 10 MiB of room; docs/benchmarks.md has the runs
# that chose it. Tiered compilation stays on: C2 alone (RECIPES.md's minimal proxy) made this
# sidecar 15 times slower, C1 alone 3 times (docs/benchmarks.md); it costs ~10 MiB of RSS.
# Changing a flag here rebuilds the dist, so the AOT cache is recorded again.
sidecar_jvm_flags=(
  -Xms32m -Xmx32m -Xmn8m -XX:+UseSerialGC
  -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m
  -Xss256k -XX:MaxDirectMemorySize=64m -Dio.netty.allocator.maxOrder=7
  -XX:TrimNativeHeapInterval=2000
)

# Records the AOT cache of dist folder $1: one `firemesh proxy` start with the sidecar's flags that
# binds its listeners, opens its xDS stream and fails to register (the admin address is a closed
# port on loopback, the data directory an empty one of its own: it can never join a real mesh),
# then exits; the JVM writes the classes it loaded, linked, into proxy.aot. Failure is only a
# warning: the sidecar then starts without the cache.
train_sidecar_aot() {
  local dist=$1 scratch
  scratch=$(mktemp -d /tmp/firemesh-aot.XXXXXX)
  echo training >"$scratch/admin.token"
  # A non-zero exit is expected: registration is refused on purpose.
  (cd "$scratch" && MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    "${sidecar_jvm_flags[@]}" -XX:AOTCacheOutput="$dist/proxy.aot" \
    -cp "$dist/firemesh.jar:$dist/lib/*" dev.firemesh.cli.FireMesh proxy \
    --data-dir "$scratch" --server http://127.0.0.1:9 --xds 127.0.0.1:9 \
    --service aot-training --instance-id aot-training --app-port 9 \
    --outbound-port 0 --inbound-port 0 --admin-port 0) >"$scratch/training.log" 2>&1 || true
  if [ ! -f "$dist/proxy.aot" ]; then
    echo "firemesh: note: no AOT cache for the sidecar (training log below); it starts without one" >&2
    tail -n 20 "$scratch/training.log" >&2
  fi
  rm -rf "$scratch"
}
