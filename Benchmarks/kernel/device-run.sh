#!/bin/sh
# The GPU figures on a lent H100/H200 (Ubuntu 24.04, no Swift, NVIDIA's Vulkan ICD): NOT YET
# MEASURED — no device was lent to the session that wrote this. Two halves:
#
#   Benchmarks/kernel/device-run.sh prepare
#       here, in the repository root: a release mybro-kernel with the Swift runtime linked in
#       (--static-swift-stdlib), stripped and gzipped, and the Vulkan loader's .deb, into .gl/
#       (git-ignored through .git/info/exclude; the device tool's README describes the carry).
#   Benchmarks/kernel/device-run.sh run
#       there, from the repository root, with .gl carried: unpacks the loader, points it at the
#       NVIDIA ICD, checks the GPU path against the CPU, then times the GPU kernels against the
#       copy kernel's bandwidth and the CPU against numpy-free STREAM. Output: JSON Lines.
#
# The device call, once prepared:
#   run(command: "sh Benchmarks/kernel/device-run.sh run", carry: [".gl"], timeout_s: 400)
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
    # shellcheck disable=SC2086
    (cd .gl && apt-get $o download libvulkan1)
    ls -l .gl
    ;;
run)
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export VK_ICD_FILENAMES=$VK_DRIVER_FILES
    gunzip -c .gl/mybro-kernel.gz > /tmp/mybro-kernel
    chmod +x /tmp/mybro-kernel
    k=/tmp/mybro-kernel
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    # Correctness there: the GPU's maps and reductions against the CPU's on the same input.
    head -c 40000000 /dev/urandom | $k tanh --device cpu > /tmp/x.f32
    for kernel in exp tanh sigmoid neg; do
        $k "$kernel" --device cpu < /tmp/x.f32 | $k sum --device cpu > /tmp/cpu.f32
        $k "$kernel" --device gpu < /tmp/x.f32 | $k sum --device cpu > /tmp/gpu.f32
        echo "{\"type\":\"check\",\"kernel\":\"$kernel\",\"cpu_sum\":$(od -An -f /tmp/cpu.f32 | tr -d ' '),\"gpu_sum\":$(od -An -f /tmp/gpu.f32 | tr -d ' ')}"
    done
    $k bench --device gpu --sizes 1e6,1e7,1e8,2.5e8 --format json
    $k bench --device cpu --sizes 1e7,1e8 --no-numpy --format json sum exp add cosine
    ;;
*)
    echo "usage: $0 prepare|run" >&2
    exit 64
    ;;
esac
