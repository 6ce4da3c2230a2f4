#ifndef MYBRO_GPU_H
#define MYBRO_GPU_H
// Vulkan compute for mybro's kernels. libvulkan is opened at run time (dlopen), so a binary built
// here runs where there is no Vulkan loader at all; it then reports why and callers use the CPU.
// One mybro_gpu is used by one thread at a time (the Swift wrapper serialises its calls).
#include <stddef.h>
#include <stdint.h>

typedef struct mybro_gpu mybro_gpu;
typedef struct mybro_gpu_buffer mybro_gpu_buffer;

enum { MYBRO_GPU_SUM = 0, MYBRO_GPU_SQUARE_SUM = 1, MYBRO_GPU_MIN = 2, MYBRO_GPU_MAX = 3 };

/// Opens the first compute-capable device, preferring discrete, integrated, then virtual GPUs;
/// CPU implementations (lavapipe) only when `allow_cpu`. NULL on failure, with the reason in `why`.
mybro_gpu *mybro_gpu_open(int allow_cpu, char *why, size_t why_size);
void mybro_gpu_close(mybro_gpu *gpu);
const char *mybro_gpu_device_name(const mybro_gpu *gpu);
/// Whether the device is a CPU implementation (VK_PHYSICAL_DEVICE_TYPE_CPU).
int mybro_gpu_is_cpu(const mybro_gpu *gpu);

/// Whether the shaders run with subnormals, NaN and infinities kept in 32-bit arithmetic (the
/// device honours SPV_KHR_float_controls' DenormPreserve and SignedZeroInfNanPreserve); where
/// not, a driver may flush subnormals to zero, as NVIDIA's does by default.
int mybro_gpu_strict_floats(const mybro_gpu *gpu);
/// What the device said about those float controls, in words (empty where it was not asked).
const char *mybro_gpu_float_note(const mybro_gpu *gpu);

/// Device buffers of `count` floats (device-local memory; mapped directly when it is host-visible,
/// else written and read through a staging buffer). NULL when out of memory.
mybro_gpu_buffer *mybro_gpu_buffer_create(mybro_gpu *gpu, size_t count);
void mybro_gpu_buffer_destroy(mybro_gpu *gpu, mybro_gpu_buffer *buffer);
int mybro_gpu_upload(mybro_gpu *gpu, mybro_gpu_buffer *buffer, const float *values, size_t count);
int mybro_gpu_download(mybro_gpu *gpu, mybro_gpu_buffer *buffer, float *values, size_t count);

/// y = op(x) for op in MYBRO_UNARY_* (mybro_kernels.h), or x ∘ b / x ∘ scalar for MYBRO_BINARY_*
/// (pass binary = 1 for a buffer b, 2 for the scalar). Waits for the result; 0 on success.
int mybro_gpu_map(mybro_gpu *gpu, int op, int binary, mybro_gpu_buffer *x, mybro_gpu_buffer *b, float scalar,
                  mybro_gpu_buffer *y, size_t n);
/// A reduction of the first n values of x into *result (double; NaN when a value is NaN).
int mybro_gpu_reduce(mybro_gpu *gpu, int kind, mybro_gpu_buffer *x, size_t n, double *result);

/// y[r] = x[r]·b[r] for `rows` rows of k (cosine = 0), or the cosine of row r of x with the query
/// b[0..k) whose squared norm is `query_norm2` (cosine = 1).
int mybro_gpu_batched(mybro_gpu *gpu, int cosine, mybro_gpu_buffer *x, mybro_gpu_buffer *b, float query_norm2,
                      mybro_gpu_buffer *y, size_t rows, size_t k);

/// y[r·count + j] = the cosine similarity of row r of x with row j of `queries` (rows of k): many
/// queries at once, a tiled matrix product bound by arithmetic rather than memory (cosines.comp).
/// NaN where a norm is 0. 0 on success; -1 for shapes past the device's limits.
int mybro_gpu_cosines(mybro_gpu *gpu, mybro_gpu_buffer *x, mybro_gpu_buffer *queries, mybro_gpu_buffer *y, size_t rows,
                      size_t count, size_t k);
/// The fp32 yardstick (peak.comp): `groups` workgroups of 256 invocations, each running 16 FMA
/// chains for `steps` trips of 4 rounds (2·64·steps FLOPs an invocation), writing one value each.
int mybro_gpu_peak(mybro_gpu *gpu, mybro_gpu_buffer *y, size_t groups, uint32_t steps);

/// to[0..count) = from[0..count) with the driver's own buffer copy (vkCmdCopyBuffer); 0 on success.
int mybro_gpu_copy(mybro_gpu *gpu, mybro_gpu_buffer *from, mybro_gpu_buffer *to, size_t count);
/// The device's own time in seconds for the last map, reduction, batched product or copy, from
/// timestamps written around it on the GPU (no submit or wait counted); -1 where the device has
/// no timestamps on its compute queue or the last call failed.
double mybro_gpu_last_seconds(const mybro_gpu *gpu);

/// One Vulkan device as mybro-bench reports it.
typedef struct {
    char name[256];
    uint32_t vendor_id;
    uint32_t device_id;
    /// VkPhysicalDeviceType: 0 other, 1 integrated, 2 discrete, 3 virtual, 4 cpu.
    int device_type;
    uint32_t api_version;
    /// The largest device-local heap in bytes.
    uint64_t device_local_bytes;
    /// 0 where the device predates Vulkan 1.1 (no subgroup properties).
    uint32_t subgroup_size;
} mybro_gpu_device_info;

/// Fills up to `capacity` entries with the machine's Vulkan devices (CPU implementations
/// included); returns how many, or -1 with the reason in `why` (no loader, no driver).
int mybro_gpu_list_devices(mybro_gpu_device_info *devices, int capacity, char *why, size_t why_size);

/// The largest n one dispatch takes on this device (its storage-buffer range, at most 2^31).
size_t mybro_gpu_max_elements(const mybro_gpu *gpu);
#endif
