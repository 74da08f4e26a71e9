# Sourced by bin/ scripts: one clear line naming what to install when a tool Switchboard needs is missing.
require_java() {
  command -v java >/dev/null 2>&1 || { echo "Switchboard needs a JDK 17 or newer: install one (e.g. Temurin 17+) and put java on PATH" >&2; exit 1; }
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  v=${v%%.*}
  if [ -z "$v" ] || [ "$v" -lt 17 ] 2>/dev/null; then
    echo "Switchboard needs a JDK 17 or newer; java on PATH is version ${v:-unknown}: install JDK 17+ or set JAVA_HOME/PATH to it" >&2
    exit 1
  fi
}
require_maven() {
  command -v mvn >/dev/null 2>&1 || { echo "Switchboard builds with Maven 3.8+: install Maven (e.g. apt-get install maven, brew install maven) and put mvn on PATH" >&2; exit 1; }
}
require_tool() { # name, what to install
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is needed here: install $2" >&2; exit 1; }
}
