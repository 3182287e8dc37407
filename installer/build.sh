#!/usr/bin/env bash
# Builds Higgs Narrator for distribution: a jlink'ed Java runtime (only the JDK modules the jars use, found with
# jdeps) plus a jpackage application image, and optionally a native installer from that image.
#
#   installer/build.sh [TYPE] [--gpu] [--no-build]
#
#   TYPE        app-image (default) | deb | rpm  (Linux) | msi | exe (Windows, WiX) | dmg | pkg (macOS)
#               native installers must be built on their own OS (jpackage cannot cross-build)
#   --gpu       the CUDA flavour: Maven -Pgpu puts onnxruntime_gpu (CUDA 12, Linux/Windows x64) in place of onnxruntime
#   --no-build  reuse app/cli/target (skip the Maven build)
#   --all-platforms  keep the native libraries of every platform in the ONNX Runtime and tokenizers jars
#
# Output under installer/target/: runtime/ (jlink), image/HiggsNarrator/ (app image), dist/ (installers).
# The image has two launchers: HiggsNarrator (starts the studio; the desktop entry) and narrator (the command line,
# same commands as ./narrator). Bundled model packages (onnx-models/) go to <image>/lib/app/onnx-models.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TYPE=app-image
GPU=0
BUILD=1
ALL_PLATFORMS=0
for a in "$@"; do
  case "$a" in
    app-image|deb|rpm|msi|exe|dmg|pkg) TYPE=$a ;;
    --gpu) GPU=1 ;;
    --no-build) BUILD=0 ;;
    --all-platforms) ALL_PLATFORMS=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$a' (see --help)" >&2; exit 2 ;;
  esac
done

. "$ROOT/.mvn/find-jdk.sh"   # sets JAVA_HOME to a JDK 25 (has jlink, jdeps, jpackage)
BIN="$JAVA_HOME/bin"
OUT="$ROOT/installer/target"
NAME=HiggsNarrator
VERSION=$(sed -n 's:.*<version>\([0-9][0-9.]*\)[^<]*</version>.*:\1:p' "$ROOT/pom.xml" | head -1)   # 0.1.0-SNAPSHOT → 0.1.0
VENDOR="Higgs Narrator"
DESCRIPTION="Local text-to-speech narration studio (Higgs Audio v2 on ONNX Runtime)"
t0=$(date +%s)
step() { echo "[$(( $(date +%s) - t0 ))s] $*" >&2; }

case "$TYPE" in
  deb) command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null || { echo "build.sh: deb needs dpkg-deb and fakeroot" >&2; exit 1; } ;;
  rpm) command -v rpmbuild >/dev/null || { echo "build.sh: rpm needs rpmbuild (apt-get install rpm / dnf install rpm-build)" >&2; exit 1; } ;;
esac

# 1. Jars: the CLI module copies its runtime dependencies to app/cli/target/lib at package time. The folder is
#    cleared first so a CPU and a GPU build never leave both ONNX Runtime jars (same classes) on the class path.
if [ "$BUILD" = 1 ]; then
  step "maven package$([ "$GPU" = 1 ] && echo ' -Pgpu')"
  rm -rf "$ROOT/app/cli/target/lib"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests $([ "$GPU" = 1 ] && echo -Pgpu)) >&2
fi
LIB="$ROOT/app/cli/target/lib"
CLI_JAR=$(ls "$ROOT"/app/cli/target/narrator-cli-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)
[ -d "$LIB" ] && [ -n "$CLI_JAR" ] || { echo "build.sh: $LIB or the narrator-cli jar is missing; run without --no-build" >&2; exit 1; }
if [ "$GPU" = 1 ] && ! ls "$LIB"/onnxruntime_gpu-*.jar >/dev/null 2>&1; then echo "build.sh: --gpu but no onnxruntime_gpu jar in $LIB" >&2; exit 1; fi

rm -rf "$OUT/input" "$OUT/image"
mkdir -p "$OUT/input" "$OUT/image" "$OUT/dist"
cp "$LIB"/*.jar "$OUT/input/"
cp "$CLI_JAR" "$OUT/input/narrator-cli.jar"
# The ONNX Runtime and tokenizers jars carry native libraries for four platforms (and macOS debug symbols); an
# installer runs on one, so the others are dropped from the staged copies (≈ 55 MB less per installer).
ORT_OS=; DJL_OS=
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)  ORT_OS=linux-x64;     DJL_OS=linux-x86_64 ;;
  Linux-aarch64) ORT_OS=linux-aarch64; DJL_OS=linux-aarch64 ;;
  Darwin-arm64)  ORT_OS=osx-aarch64;   DJL_OS=osx-aarch64 ;;
  MINGW*|MSYS*|CYGWIN*) ORT_OS=win-x64; DJL_OS=win-x86_64 ;;
esac
if [ "$ALL_PLATFORMS" = 0 ] && [ -n "$ORT_OS" ] && command -v zip >/dev/null && command -v unzip >/dev/null; then
  for j in "$OUT"/input/onnxruntime*.jar "$OUT"/input/tokenizers-*.jar; do
    [ -f "$j" ] || continue
    others=$(unzip -Z1 "$j" | grep -E '^(ai/onnxruntime/native|native/lib)/[^/]+/' | grep -v -e "/$ORT_OS/" -e "/$DJL_OS/" || true)
    [ -n "$others" ] && echo "$others" | zip -q -d "$j" -@ >/dev/null
  done
  step "kept only the $ORT_OS natives in the ONNX Runtime and tokenizers jars"
else
  echo "build.sh: note: native libraries of every platform kept (zip/unzip missing, unknown platform or --all-platforms)" >&2
fi
if [ -d "$ROOT/onnx-models" ] && [ -n "$(ls -A "$ROOT/onnx-models")" ]; then
  cp -r "$ROOT/onnx-models" "$OUT/input/onnx-models"
else
  echo "build.sh: note: $ROOT/onnx-models is empty; the image bundles no model package" >&2
fi

# 2. JDK modules the jars need (jdeps). Plain jars are analysed in one run; modular jars one by one against the
#    others, and a modular jar naming an optional module that is not shipped (commons-compress → commons-lang3)
#    cannot be analysed: its JDK needs are covered by the other jars and the extras below.
step "jdeps"
PLAIN=(); MODULAR=()
for j in "$OUT"/input/*.jar; do
  if grep -q 'module-info.class' "$j"; then MODULAR+=("$j"); else PLAIN+=("$j"); fi
done
MODS="java.base,$("$BIN/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 "${PLAIN[@]}" | tail -1)"
mkdir -p "$OUT/jdeps-cache"   # modular jars are released versions: their answer is cached by name and size
for j in "${MODULAR[@]}"; do
  c="$OUT/jdeps-cache/$(basename "$j").$(wc -c < "$j" | tr -d ' ')"
  if [ ! -f "$c" ]; then
    "$BIN/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 --module-path "$OUT/input" "$j" 2>/dev/null | tail -1 > "$c.tmp" \
      && mv "$c.tmp" "$c" || { rm -f "$c.tmp"; echo "build.sh: jdeps could not analyse $(basename "$j") (it names an optional module that is not shipped)" >&2; }
  fi
  [ -f "$c" ] && MODS="$MODS,$(cat "$c")"
done
# Not visible to jdeps: jdk.crypto.ec is folded into java.base since JDK 22; java.net.http TLS uses java.base.
# jdk.localedata keeps number/date formats right outside the US English locale.
EXTRA="jdk.localedata"
MODS=$(echo "$MODS,$EXTRA" | tr ',' '\n' | grep -E '^(java|jdk)\.' | sort -u | paste -sd, -)
step "modules: $MODS"

# 3. jlink runtime (reused when the module list is unchanged).
if [ ! -x "$OUT/runtime/bin/java" ] || [ "$(cat "$OUT/runtime.modules" 2>/dev/null)" != "$MODS" ]; then
  step "jlink"
  rm -rf "$OUT/runtime"
  "$BIN/jlink" --add-modules "$MODS" --strip-debug --no-header-files --no-man-pages --compress zip-6 \
    --include-locales en,de,fr,es,it,pt,nl,ja,zh,ko --output "$OUT/runtime"
  echo "$MODS" > "$OUT/runtime.modules"
fi

# 4. Application image. $APPDIR is jpackage's token for the folder holding the jars (lib/app on Linux).
JAVA_OPTS=(--java-options "-Xss4m" --java-options "--enable-native-access=ALL-UNNAMED"
           --java-options "--sun-misc-unsafe-memory-access=allow" --java-options "-Dnarrator.home=\$APPDIR")
cat > "$OUT/narrator.properties" <<PROPS
main-class=org.higgsnarrator.cli.Main
arguments=--help
win-console=true
linux-shortcut=false
win-shortcut=false
win-menu=false
PROPS
APP_OPTS=(--name "$NAME" --app-version "$VERSION" --vendor "$VENDOR" --description "$DESCRIPTION"
          --runtime-image "$OUT/runtime" --input "$OUT/input" --main-jar narrator-cli.jar
          --main-class org.higgsnarrator.cli.Main --arguments studio "${JAVA_OPTS[@]}"
          --add-launcher "narrator=$OUT/narrator.properties")
step "jpackage app-image"
"$BIN/jpackage" --type app-image --dest "$OUT/image" "${APP_OPTS[@]}"
IMAGE="$OUT/image/$NAME"
[ -d "$IMAGE" ] || IMAGE="$OUT/image/$NAME.app"   # macOS

# 5. Native installer, from the same inputs (not --app-image: the per-launcher shortcut settings would be lost,
#    giving the command-line launcher a desktop menu entry).
if [ "$TYPE" != app-image ]; then
  step "jpackage $TYPE"
  OS_OPTS=()
  case "$TYPE" in
    deb|rpm) OS_OPTS=(--linux-package-name higgs-narrator --linux-shortcut --linux-menu-group "AudioVideo;Audio"
                      --linux-app-category sound --linux-package-deps libgtk-3-0 --linux-deb-maintainer "narrator@localhost")
             [ "$TYPE" = rpm ] && OS_OPTS=(--linux-package-name higgs-narrator --linux-shortcut --linux-menu-group "AudioVideo;Audio"
                      --linux-app-category Applications/Multimedia --linux-package-deps gtk3 --linux-rpm-license-type "Apache-2.0") ;;
    msi|exe) OS_OPTS=(--win-menu --win-menu-group "$VENDOR" --win-shortcut --win-dir-chooser
                      --win-upgrade-uuid 6f1c1a3e-6b1d-4b8e-9a57-3c0d2c7e5a10) ;;
    dmg|pkg) OS_OPTS=(--mac-package-identifier org.higgsnarrator.studio --mac-package-name "Higgs Narrator") ;;
  esac
  "$BIN/jpackage" --type "$TYPE" --dest "$OUT/dist" "${APP_OPTS[@]}" "${OS_OPTS[@]}"
fi

step "done"
du -sh "$OUT/runtime" "$IMAGE" >&2
[ "$TYPE" != app-image ] && ls -l "$OUT/dist" >&2
echo "$IMAGE"
