#!/bin/sh
# The GPU figures on a lent H100/H200 (Ubuntu 24.04, no Swift, NVIDIA's Vulkan ICD). Two halves:
#
#   Benchmarks/kernel/device-run.sh prepare
#       here, in the repository root: a release mybro-kernel with the Swift runtime linked in
#       (--static-swift-stdlib), stripped and gzipped, and the Vulkan loader's .deb, into .gl/
#       (git-ignored through .git/info/exclude; the device tool's README describes the carry).
#   Benchmarks/kernel/device-run.sh run
#       there, from the repository root, with .gl carried: unpacks the loader, points it at the
#       NVIDIA ICD, checks the GPU path's accuracy beside numpy's (gpu_check.py), then times the
#       GPU kernels against the device's copy bandwidth and the CPU against numpy. Output: JSON
#       Lines, also under $OUT. Here, VK_DRIVER_FILES pointing at lavapipe's ICD runs it too.
#
# The device call, once prepared:
#   run(command: "sh Benchmarks/kernel/device-run.sh run", carry: [".gl"], timeout_s: 420)
set -eu
case "${1:-}" in
prepare)
    grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo /.gl/ >> "$(git rev-parse --git-path info/exclude)"
    mkdir -p .gl /tmp/amd64/partial
    swift build -c release --static-swift-stdlib --product mybro-kernel
    strip -o .gl/mybro-kernel .build/release/mybro-kernel
    gzip -9f .gl/mybro-kernel
    o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    # shellcheck disable=SC2086
    apt-get $o update -q
    # The loader, and the GL dispatch libraries NVIDIA's Vulkan ICD (libGLX_nvidia) needs: without
    # them vkCreateInstance fails there with VK_ERROR_INCOMPATIBLE_DRIVER.
    # shellcheck disable=SC2086
    (cd .gl && apt-get $o download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 libgles2)
    ls -l .gl
    ;;
run)
    # As the device tool's README says: the carried loader unpacked over /, then NVIDIA's ICD.
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES="${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}"
    export VK_ICD_FILENAMES=$VK_DRIVER_FILES
    out=${OUT:-/tmp/mybro-device}
    mkdir -p "$out"
    gunzip -c .gl/mybro-kernel.gz > /tmp/mybro-kernel
    chmod +x /tmp/mybro-kernel
    k=/tmp/mybro-kernel
    $k --version
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm,clocks.max.mem --format=csv,noheader || true
    nproc
    # Which device the GPU path opens (or why none), before anything is timed.
    $k neg --device gpu -v < /dev/null 2> "$out/open.txt" || true
    cat "$out/open.txt"
    # Accuracy there: the maps, reductions and batched kernels against float64, beside numpy.
    python3 Benchmarks/kernel/gpu_check.py $k --device gpu | tee "$out/check.jsonl"
    # The GPU's times (device timestamps) against its own copy bandwidth, then the CPU against
    # numpy on this machine's cores.
    $k bench --device gpu --sizes "${GPU_SIZES:-1e5,1e6,1e7,1e8,2.5e8}" --format json | tee "$out/gpu-bench.jsonl"
    $k bench --device cpu --sizes "${CPU_SIZES:-1e6,1e8}" --format json sum l2 exp tanh add dot cosine | tee "$out/cpu-bench.jsonl"
    ;;
*)
    echo "usage: $0 prepare|run" >&2
    exit 64
    ;;
esac
