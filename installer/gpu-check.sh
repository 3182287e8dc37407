#!/usr/bin/env bash
# The GPU check: the numbers to take the day a CUDA machine is available (docs/gpu.md "GPU check").
#
#   installer/gpu-check.sh [--layers N] [--steps N] [--cache DIR] [--out FILE] [--no-build]
#
# 1. builds with -Pgpu (onnxruntime_gpu: CUDA 12 + cuDNN 9, Linux x64) and checks that the GPU jar is in place;
# 2. exports synthetic full-width packages (dense random weights, released sizes, N layers; 28 = the release) per
#    precision, once, under --cache;
# 3. per precision: decode steps/s at a short (256) and a 2k (2048) context on --device cuda, with the node
#    placement of one profiled decode step ("N nodes on CUDA, M on CPU (ops…)"), and batched decoding at batch 1 and 8;
# 4. the same through the IoBinding path (KV cache in GPU memory) for the precisions that keep attention on the GPU.
# Everything is printed and kept in --out (default gpu-check-<date>.txt). Nothing here has run on a GPU yet.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAYERS=28
STEPS=32
CACHE="${TMPDIR:-/tmp}/narrator-gpu-check"
OUT="$ROOT/gpu-check-$(date -u +%Y%m%dT%H%M%SZ).txt"
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --layers) LAYERS=$2; shift ;;
    --steps) STEPS=$2; shift ;;
    --cache) CACHE=$2; shift ;;
    --out) OUT=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "gpu-check.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
# fp16-activation precisions keep attention on CUDA; int4 (fp32 activations) is the contrast: its attention falls back to the CPU
PRECISIONS=${GPU_CHECK_PRECISIONS:-fp16,int8-fp16,int4-fp16,int4}
BOUND_PRECISIONS=${GPU_CHECK_BOUND_PRECISIONS:-fp16,int4-fp16}

mkdir -p "$CACHE"
exec > >(tee "$OUT") 2>&1
echo "== Higgs Narrator GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
else
  echo "nvidia-smi not found: no NVIDIA driver here; the CUDA runs below will fail (use --device cpu benches instead)"
fi
echo "CPU: $(nproc) logical CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$BUILD" = 1 ]; then
  echo "== build with -Pgpu"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -Pgpu)
fi
if ! ls "$ROOT"/app/cli/target/lib/onnxruntime_gpu-*.jar >/dev/null 2>&1; then
  echo "gpu-check.sh: no onnxruntime_gpu jar in app/cli/target/lib: build with -Pgpu first (drop --no-build)" >&2
  exit 1
fi
N="env NARRATOR_NO_BUILD=1 $ROOT/narrator"

echo "== decode at the released width, $LAYERS layers: steps/s at 256 and 2048 positions, placement, batch 1 and 8 (Java API path)"
$N bench decode --device cuda --layers "$LAYERS" --steps "$STEPS" --short 256 --prompt 2048 \
  --precision "$PRECISIONS" --batch-sizes 1,8 --cache "$CACHE"

echo "== the same through IoBinding (KV cache in GPU memory, only codes in and logits out per step)"
$N bench decode --device cuda --layers "$LAYERS" --steps "$STEPS" --short 256 --prompt 2048 \
  --precision "$BOUND_PRECISIONS" --io-binding --cache "$CACHE"

echo "== done: $OUT (add the rows to docs/performance.md, with the GPU, driver and date above)"
