#!/usr/bin/env bash
# Orientation figures for the sidecar pair, closed loop (wrk): a 1 KiB answer from nginx, called
# directly and through two FireMesh sidecars (caller side and server side), as RECIPES.md lays
# out the machine: wrk and nginx on CPU 0, both sidecars on CPU 1.
#
# This is not the benchmark harness (constant rate, HdrHistogram, HAProxy and nginx pairs): that
# is issue 5. It exists so the figures in docs/benchmarks.md can be reproduced.
#   scripts/bench/sidecar-pair.sh [DURATION_SECONDS]
# Also prints each sidecar's start-to-ready time and its footprint from the admin port (/stats)
# when idle, after the load and after streaming a 1 GiB answer (BIG_BODY=0 skips that).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/lib/jdk.sh"
source "$root/scripts/lib/build.sh"
ensure_built
duration=${1:-10}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (apt-get)..." >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/fm-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Upstream: nginx answering 1 KiB.
upstream_port=$(free_port)
body=$(head -c 1024 /dev/zero | tr '\0' 'x')
truncate -s 1G "$work/big"
chmod a+rx "$work" && chmod a+r "$work/big" # nginx's workers run as another user
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$upstream_port;
    location / { return 200 "$body"; }
    location = /big { root $work; }   # 1 GiB, sparse: the big-body run at the end
  }
}
NGINX
taskset -c 0 nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

firemesh=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED
  -cp "$(readlink -f "$dist")/firemesh.jar:$(readlink -f "$dist")/lib/*" dev.firemesh.cli.FireMesh)
# The sidecars get the JVM that `./firemesh proxy` gives them (scripts/lib/sidecar-jvm.sh: small
# fixed heap, serial GC, AOT cache); FIREMESH_PROXY_JAVA_OPTS replaces it, to compare, as it does
# for the launcher (e.g. FIREMESH_PROXY_JAVA_OPTS=-XX:+UseSerialGC for the JVM's defaults).
sidecar_jvm_options "$(readlink -f "$dist")"

"${firemesh[@]}" control --data-dir "$work/control" --admin-port 0 --xds-port 0 >"$work/control.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -f "$work/control/control.json" ] && break; sleep 0.1; done
export FIREMESH_DATA_DIR="$work/control"
cat >"$work/mesh.yaml" <<YAML
apiVersion: firemesh.dev/v1
kind: Service
metadata: {name: echo}
spec:
  ports: [{name: http, port: 8080, protocol: http1}]
---
apiVersion: firemesh.dev/v1
kind: Service
metadata: {name: bench-client}
spec:
  ports: [{name: http, port: 8080, protocol: http1}]
YAML
"${firemesh[@]}" apply -f "$work/mesh.yaml" >/dev/null

start_sidecar() { # service instance app_port
  local t0 t1
  t0=$(date +%s%N)
  taskset -c 1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${sidecar_jvm[@]+"${sidecar_jvm[@]}"} \
    -cp "$(readlink -f "$dist")/firemesh.jar:$(readlink -f "$dist")/lib/*" dev.firemesh.cli.FireMesh \
    proxy --service "$1" --instance-id "$2" --app-port "$3" \
    --outbound-port 0 --inbound-port 0 --admin-port 0 --ready-file "$work/$2.json" >"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 3000); do [ -f "$work/$2.json" ] && break; sleep 0.01; done
  [ -f "$work/$2.json" ] || { echo "sidecar $2 did not start:"; cat "$work/$2.log"; exit 1; }
  t1=$(date +%s%N)
  printf 'sidecar %-9s start to ready (listening, registered) %d ms\n' "$2" $(( (t1 - t0) / 1000000 ))
}
start_sidecar echo echo-1 "$upstream_port"
start_sidecar bench-client client-1 1   # the client app itself is wrk; nothing calls its inbound
outbound=$(python3 -c "import json;print(json.load(open('$work/client-1.json'))['outbound'])")

# Wait until the client's sidecar routes to echo.
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: echo' "http://$outbound/" || true)
  [ "$code" = 200 ] && break
  sleep 0.2
done
[ "$code" = 200 ] || { echo "sidecar pair did not route (last status $code)"; tail -20 "$work"/*.log; exit 1; }

run() { # label url [host header]
  local label=$1 url=$2; shift 2
  # warm-up, not counted
  taskset -c 0 wrk -t1 -c16 -d"${WARMUP_SECONDS:-10}s" "$@" "$url" >/dev/null
  for conns in 2 16; do
    local out
    out=$(taskset -c 0 wrk -t1 -c"$conns" -d"${duration}s" --latency "$@" "$url")
    printf '%-28s c=%-3s %s req/s  p50 %s  p99 %s\n' "$label" "$conns" \
      "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
  done
}
stat() { # instance name -> the value of one /stats line of that sidecar
  local admin
  admin=$(python3 -c "import json;print(json.load(open('$work/$1.json'))['admin'])")
  curl -s "http://$admin/stats" | awk -v k="$2" '$1==k {print $2}'
}
footprint() { # label
  local f
  for f in echo-1 client-1; do
    printf '%-22s sidecar %-9s RSS %3d MiB (private %3d)  heap used %2d MiB  GCs %s (%s ms)  loop lag max %s us\n' \
      "$1" "$f" $(( $(stat $f process.resident_bytes) / 1048576 )) \
      $(( $(stat $f process.resident_private_bytes) / 1048576 )) $(( $(stat $f jvm.heap.used_bytes) / 1048576 )) \
      "$(stat $f jvm.gc.collections)" "$(stat $f jvm.gc.pause_ms)" "$(stat $f event_loop.lag.max_us)"
  done
}
echo "sidecar JVM: ${sidecar_jvm[*]:-(defaults)}"
footprint "idle, routed"
echo "wrk -t1, ${duration}s per run, 1 KiB answers; wrk+nginx on CPU 0, sidecars on CPU 1"
run "direct to nginx" "http://127.0.0.1:$upstream_port/"
run "through two sidecars" "http://$outbound/" -H 'Host: echo'
footprint "after load"

# A 1 GiB answer streamed through both sidecars (pooled direct buffers; the heap must not care).
if [ "${BIG_BODY:-1}" = 1 ]; then
  out=$(taskset -c 0 curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' -H 'Host: echo' "http://$outbound/big")
  echo "1 GiB through two sidecars: status, bytes, seconds: $out"
  footprint "after 1 GiB"
fi
