# Finds a JDK 25 or newer and exports JAVA_HOME. Sourced by ./firemesh, ./run-tests and .ci/run.
# Order: JAVA_HOME if it is 25+, then /usr/lib/jvm/temurin-25-jdk-amd64, then any 25+ JDK under
# /usr/lib/jvm.

java_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release"
  [ -x "$1/bin/java" ] && [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  echo "firemesh: no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm)." >&2
  echo "firemesh: install one, e.g. Temurin 25, or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME
