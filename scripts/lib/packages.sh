# Installs Debian packages a script needs when their commands are missing. Sourced by ./run-tests
# and the benchmark scripts; needs root (apt-get) only when something is actually missing.
#   ensure_packages "curl:curl" "h2load:nghttp2-client" "pg_ctlcluster:postgresql"
# Each argument is <command that proves the package is there>:<Debian package>.

ensure_packages() {
  local missing=() entry command package
  for entry in "$@"; do
    command=${entry%%:*}
    package=${entry#*:}
    if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "$command" ]; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "firemesh: these Debian packages are needed: ${missing[*]} (run as root, or install them)" >&2
    return 1
  fi
  echo "firemesh: installing ${missing[*]} (apt-get)..." >&2
  # The package lists may be stale on a fresh machine; refresh once, quietly.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
