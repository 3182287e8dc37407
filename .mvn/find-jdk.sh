# Sourced by ./mvnw and ./narrator: makes JAVA_HOME point at a JDK 25 or newer.
# Keeps a JAVA_HOME that already is one; otherwise looks in the usual install places.
narrator_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
narrator_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(narrator_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then return 0; fi
  fi
  case $- in *f*) noglob=1; set +f ;; *) noglob=0 ;; esac
  for d in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* \
           /Library/Java/JavaVirtualMachines/*2[5-9]*/Contents/Home "$HOME"/.sdkman/candidates/java/2[5-9]*; do
    if [ -x "$d/bin/javac" ]; then
      v=$(narrator_java_major "$d")
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME="$d"; [ "$noglob" = 0 ] || set -f; return 0; fi
    fi
  done
  [ "$noglob" = 0 ] || set -f
  echo "Higgs Narrator needs JDK 25 or newer. Install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
narrator_find_jdk || exit 1
