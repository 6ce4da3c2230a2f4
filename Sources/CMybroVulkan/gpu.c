// Vulkan compute with the loader opened by dlopen: no link-time dependency on libvulkan.
#define VK_NO_PROTOTYPES
#include "mybro_gpu.h"
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>
#include "shaders_spirv.h"

#define INSTANCE_FUNCTIONS(X)                                                                      \
    X(vkEnumeratePhysicalDevices)                                                                  \
    X(vkGetPhysicalDeviceProperties)                                                               \
    X(vkGetPhysicalDeviceQueueFamilyProperties)                                                    \
    X(vkGetPhysicalDeviceMemoryProperties)                                                         \
    X(vkCreateDevice)                                                                              \
    X(vkGetDeviceProcAddr)                                                                         \
    X(vkDestroyInstance)

#define DEVICE_FUNCTIONS(X)                                                                        \
    X(vkGetDeviceQueue)                                                                            \
    X(vkDestroyDevice)                                                                             \
    X(vkCreateBuffer)                                                                              \
    X(vkDestroyBuffer)                                                                             \
    X(vkGetBufferMemoryRequirements)                                                               \
    X(vkAllocateMemory)                                                                            \
    X(vkFreeMemory)                                                                                \
    X(vkBindBufferMemory)                                                                          \
    X(vkMapMemory)                                                                                 \
    X(vkCreateShaderModule)                                                                        \
    X(vkDestroyShaderModule)                                                                       \
    X(vkCreateDescriptorSetLayout)                                                                 \
    X(vkDestroyDescriptorSetLayout)                                                                \
    X(vkCreatePipelineLayout)                                                                      \
    X(vkDestroyPipelineLayout)                                                                     \
    X(vkCreateComputePipelines)                                                                    \
    X(vkDestroyPipeline)                                                                           \
    X(vkCreateDescriptorPool)                                                                      \
    X(vkDestroyDescriptorPool)                                                                     \
    X(vkAllocateDescriptorSets)                                                                    \
    X(vkUpdateDescriptorSets)                                                                      \
    X(vkCreateCommandPool)                                                                         \
    X(vkDestroyCommandPool)                                                                        \
    X(vkAllocateCommandBuffers)                                                                    \
    X(vkResetCommandBuffer)                                                                        \
    X(vkBeginCommandBuffer)                                                                        \
    X(vkEndCommandBuffer)                                                                          \
    X(vkCmdBindPipeline)                                                                           \
    X(vkCmdBindDescriptorSets)                                                                     \
    X(vkCmdPushConstants)                                                                          \
    X(vkCmdDispatch)                                                                               \
    X(vkCmdCopyBuffer)                                                                             \
    X(vkCmdPipelineBarrier)                                                                        \
    X(vkQueueSubmit)                                                                               \
    X(vkCreateFence)                                                                               \
    X(vkDestroyFence)                                                                              \
    X(vkWaitForFences)                                                                             \
    X(vkResetFences)                                                                               \
    X(vkCreateQueryPool)                                                                           \
    X(vkDestroyQueryPool)                                                                          \
    X(vkCmdResetQueryPool)                                                                         \
    X(vkCmdWriteTimestamp)                                                                         \
    X(vkGetQueryPoolResults)

#define DECLARE(name) PFN_##name name;

/// map.comp's operations: the unary ones (MYBRO_UNARY_*, copy 7), then 8 + MYBRO_BINARY_*.
enum { MAP_OPERATIONS = 12, MAP_COPY = 7 };

struct mybro_gpu_buffer {
    VkBuffer buffer;
    VkDeviceMemory memory;
    size_t count;
    void *mapped;
};

struct mybro_gpu {
    void *library;
    PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr;
    INSTANCE_FUNCTIONS(DECLARE)
    DEVICE_FUNCTIONS(DECLARE)
    VkInstance instance;
    VkPhysicalDevice physical;
    VkPhysicalDeviceProperties properties;
    VkPhysicalDeviceMemoryProperties memory;
    VkDevice device;
    VkQueue queue;
    uint32_t family;
    VkDescriptorSetLayout setLayout;
    VkPipelineLayout pipelineLayout;
    /// One map pipeline per operation (map.comp's specialization constant), made on first use.
    VkPipeline mapPipelines[MAP_OPERATIONS];
    VkPipeline reducePipeline, batchedPipeline, cosinesPipeline, peakPipeline;
    VkDescriptorPool descriptorPool;
    VkDescriptorSet set;
    VkCommandPool commandPool;
    VkCommandBuffer commands;
    VkFence fence;
    mybro_gpu_buffer *staging, *partials;
    /// Two timestamps around each dispatch (VK_NULL_HANDLE where the queue has none): the
    /// device's own time for the work, without the submit and the wait that the host sees.
    VkQueryPool timestamps;
    uint64_t timestampMask;
    double lastDispatchSeconds;
    int timestampsPending;
    /// Whether the pipelines are the strict build (subnormals, NaN and infinities kept), and why not.
    int strictFloats;
    char floatNote[160];
};

typedef struct {
    uint32_t n, op;
    float scalar;
    uint32_t useScalar;
} push_constants;

/// cosines.comp's and peak.comp's parameters: the same 16 bytes, other meanings.
typedef struct {
    uint32_t rows, count, k, unused;
} cosines_constants;
typedef struct {
    uint32_t steps, unused;
    float multiplier, addend;
} peak_constants;
_Static_assert(sizeof(cosines_constants) == sizeof(push_constants), "one push-constant range for every shader");
_Static_assert(sizeof(peak_constants) == sizeof(push_constants), "one push-constant range for every shader");

/// Invocations per workgroup (every shader's local_size_x), the most workgroups one dispatch asks
/// for where the device allows no more (Vulkan's guaranteed minimum), a reduction's partials, and
/// rows per batched workgroup (batched.comp: 32 invocations to a row).
enum { GROUP = 256, MAX_GROUPS = 65535, REDUCE_GROUPS = 1024, BATCHED_ROWS_PER_GROUP = 8, COSINES_TILE = 128 };

size_t mybro_gpu_max_elements(const mybro_gpu *g) {
    // One storage-buffer descriptor spans at most maxStorageBufferRange bytes (128 MiB on
    // lavapipe, under 4 GiB on NVIDIA); the shaders' 32-bit indices stop at 2^31.
    size_t range = g->properties.limits.maxStorageBufferRange / sizeof(float);
    return range < ((size_t)1 << 31) ? range : (size_t)1 << 31;
}

static void say(char *why, size_t size, const char *message, VkResult result) {
    if (!why || !size) return;
    if (result) snprintf(why, size, "%s (VkResult %d)", message, (int)result);
    else snprintf(why, size, "%s", message);
}

static int device_rank(VkPhysicalDeviceType type) {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
    }
}

static void destroy_pipeline(mybro_gpu *g, VkPipeline *pipeline) {
    if (*pipeline) g->vkDestroyPipeline(g->device, *pipeline, NULL);
    *pipeline = VK_NULL_HANDLE;
}

static void destroy_pipelines(mybro_gpu *g) {
    for (int op = 0; op < MAP_OPERATIONS; op++) destroy_pipeline(g, &g->mapPipelines[op]);
    destroy_pipeline(g, &g->reducePipeline);
    destroy_pipeline(g, &g->batchedPipeline);
    destroy_pipeline(g, &g->cosinesPipeline);
    destroy_pipeline(g, &g->peakPipeline);
}

/// A compute pipeline from SPIR-V; `operation`, when not NULL, is specialization constant 0.
static VkPipeline make_pipeline(mybro_gpu *g, const uint32_t *code, size_t bytes, const uint32_t *operation) {
    VkShaderModuleCreateInfo moduleInfo = {VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, NULL, 0, bytes, code};
    VkShaderModule module;
    if (g->vkCreateShaderModule(g->device, &moduleInfo, NULL, &module) != VK_SUCCESS) return VK_NULL_HANDLE;
    VkComputePipelineCreateInfo info = {VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    VkSpecializationMapEntry entry = {0, 0, sizeof *operation};
    VkSpecializationInfo specialization = {1, &entry, sizeof *operation, operation};
    info.stage = (VkPipelineShaderStageCreateInfo){VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, NULL, 0,
                                                   VK_SHADER_STAGE_COMPUTE_BIT, module, "main",
                                                   operation ? &specialization : NULL};
    info.layout = g->pipelineLayout;
    VkPipeline pipeline = VK_NULL_HANDLE;
    if (g->vkCreateComputePipelines(g->device, VK_NULL_HANDLE, 1, &info, NULL, &pipeline) != VK_SUCCESS)
        pipeline = VK_NULL_HANDLE;
    g->vkDestroyShaderModule(g->device, module, NULL);
    return pipeline;
}

/// Whether the chosen device keeps subnormals, NaN and infinities in 32-bit float arithmetic when a
/// shader asks (DenormPreserve and SignedZeroInfNanPreserve, through VK_KHR_shader_float_controls);
/// `*enable` is then set: the extension must be enabled on the device.
static int strict_floats(mybro_gpu *g, int *enable) {
    PFN_vkGetPhysicalDeviceProperties2 properties2 =
        (PFN_vkGetPhysicalDeviceProperties2)g->vkGetInstanceProcAddr(g->instance, "vkGetPhysicalDeviceProperties2");
    PFN_vkEnumerateDeviceExtensionProperties extensions = (PFN_vkEnumerateDeviceExtensionProperties)g->vkGetInstanceProcAddr(
        g->instance, "vkEnumerateDeviceExtensionProperties");
    if (!properties2 || !extensions || g->properties.apiVersion < VK_API_VERSION_1_1) {
        snprintf(g->floatNote, sizeof g->floatNote, "the device or loader predates Vulkan 1.1");
        return 0;
    }
    uint32_t count = 0;
    int listed = 0;
    if (extensions(g->physical, NULL, &count, NULL) == VK_SUCCESS && count) {
        VkExtensionProperties *list = calloc(count, sizeof *list);
        if (list && extensions(g->physical, NULL, &count, list) == VK_SUCCESS)
            for (uint32_t i = 0; i < count; i++)
                if (!strcmp(list[i].extensionName, VK_KHR_SHADER_FLOAT_CONTROLS_EXTENSION_NAME)) listed = 1;
        free(list);
    }
    // The extension, even on a Vulkan 1.2 device: the instance asks for 1.1 at most, so 1.2's
    // core float controls are not ours to use without it.
    if (!listed) {
        snprintf(g->floatNote, sizeof g->floatNote, "the device lacks VK_KHR_shader_float_controls");
        return 0;
    }
    VkPhysicalDeviceFloatControlsProperties controls = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FLOAT_CONTROLS_PROPERTIES};
    VkPhysicalDeviceProperties2 all = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &controls};
    properties2(g->physical, &all);
    snprintf(g->floatNote, sizeof g->floatNote,
             "shaderDenormPreserveFloat32 %s, shaderSignedZeroInfNanPreserveFloat32 %s, shaderDenormFlushToZeroFloat32 %s",
             controls.shaderDenormPreserveFloat32 ? "true" : "false",
             controls.shaderSignedZeroInfNanPreserveFloat32 ? "true" : "false",
             controls.shaderDenormFlushToZeroFloat32 ? "true" : "false");
    if (!controls.shaderDenormPreserveFloat32 || !controls.shaderSignedZeroInfNanPreserveFloat32) return 0;
    *enable = 1;
    return 1;
}

/// The map pipeline for one operation, made on first use from the build `strict` picks.
static VkPipeline map_pipeline(mybro_gpu *g, uint32_t operation, int strict) {
    if (operation >= MAP_OPERATIONS) return VK_NULL_HANDLE;
    if (!g->mapPipelines[operation] && strict)
        g->mapPipelines[operation] = make_pipeline(g, mybro_spirv_map_strict, sizeof mybro_spirv_map_strict, &operation);
    // A driver that took the other strict pipelines but refuses this one: the plain build.
    if (!g->mapPipelines[operation])
        g->mapPipelines[operation] = make_pipeline(g, mybro_spirv_map, sizeof mybro_spirv_map, &operation);
    return g->mapPipelines[operation];
}

/// The reduction and batched pipelines and the copy map, from the strict build of the shaders
/// (float controls) or the plain one; the other maps follow on first use.
static int make_pipelines(mybro_gpu *g, int strict) {
    g->reducePipeline = strict ? make_pipeline(g, mybro_spirv_reduce_strict, sizeof mybro_spirv_reduce_strict, NULL)
                               : make_pipeline(g, mybro_spirv_reduce, sizeof mybro_spirv_reduce, NULL);
    g->batchedPipeline = strict ? make_pipeline(g, mybro_spirv_batched_strict, sizeof mybro_spirv_batched_strict, NULL)
                                : make_pipeline(g, mybro_spirv_batched, sizeof mybro_spirv_batched, NULL);
    g->cosinesPipeline = strict ? make_pipeline(g, mybro_spirv_cosines_strict, sizeof mybro_spirv_cosines_strict, NULL)
                                : make_pipeline(g, mybro_spirv_cosines, sizeof mybro_spirv_cosines, NULL);
    g->peakPipeline = strict ? make_pipeline(g, mybro_spirv_peak_strict, sizeof mybro_spirv_peak_strict, NULL)
                             : make_pipeline(g, mybro_spirv_peak, sizeof mybro_spirv_peak, NULL);
    if (map_pipeline(g, MAP_COPY, strict) && g->reducePipeline && g->batchedPipeline && g->cosinesPipeline &&
        g->peakPipeline)
        return 1;
    destroy_pipelines(g);
    return 0;
}

mybro_gpu *mybro_gpu_open(int allow_cpu, char *why, size_t why_size) {
    mybro_gpu *g = calloc(1, sizeof *g);
    if (!g) return say(why, why_size, "out of memory", 0), NULL;
    g->library = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!g->library) g->library = dlopen("libvulkan.so", RTLD_NOW | RTLD_LOCAL);
    if (!g->library) {
        say(why, why_size, "no Vulkan loader (libvulkan.so.1)", 0);
        free(g);
        return NULL;
    }
    g->vkGetInstanceProcAddr = (PFN_vkGetInstanceProcAddr)dlsym(g->library, "vkGetInstanceProcAddr");
    PFN_vkCreateInstance createInstance =
        g->vkGetInstanceProcAddr ? (PFN_vkCreateInstance)g->vkGetInstanceProcAddr(NULL, "vkCreateInstance") : NULL;
    if (!createInstance) {
        say(why, why_size, "the Vulkan loader lacks vkCreateInstance", 0);
        mybro_gpu_close(g);
        return NULL;
    }
    // Vulkan 1.1 where the loader has it: vkGetPhysicalDeviceProperties2 then says whether the
    // device honours the float controls the strict shaders ask for.
    PFN_vkEnumerateInstanceVersion instanceVersion =
        (PFN_vkEnumerateInstanceVersion)g->vkGetInstanceProcAddr(NULL, "vkEnumerateInstanceVersion");
    uint32_t loaderVersion = VK_API_VERSION_1_0;
    if (instanceVersion && instanceVersion(&loaderVersion) != VK_SUCCESS) loaderVersion = VK_API_VERSION_1_0;
    uint32_t apiVersion = loaderVersion >= VK_API_VERSION_1_1 ? VK_API_VERSION_1_1 : VK_API_VERSION_1_0;
    VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, "mybro-kernel", 1, "mybro", 1, apiVersion};
    VkInstanceCreateInfo instanceInfo = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, NULL, 0, &app};
    VkResult result = createInstance(&instanceInfo, NULL, &g->instance);
    if (result != VK_SUCCESS) {
        say(why, why_size, "no Vulkan driver answered (vkCreateInstance failed)", result);
        g->instance = VK_NULL_HANDLE;
        mybro_gpu_close(g);
        return NULL;
    }
#define LOAD_INSTANCE(name) g->name = (PFN_##name)g->vkGetInstanceProcAddr(g->instance, #name);
    INSTANCE_FUNCTIONS(LOAD_INSTANCE)
    uint32_t count = 0;
    g->vkEnumeratePhysicalDevices(g->instance, &count, NULL);
    VkPhysicalDevice devices[16];
    if (count > 16) count = 16;
    g->vkEnumeratePhysicalDevices(g->instance, &count, devices);
    int best = 0;
    for (uint32_t i = 0; i < count; i++) {
        VkPhysicalDeviceProperties properties;
        g->vkGetPhysicalDeviceProperties(devices[i], &properties);
        int rank = device_rank(properties.deviceType);
        if (rank == 1 && !allow_cpu) continue;
        uint32_t families = 0;
        g->vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &families, NULL);
        VkQueueFamilyProperties familyProperties[16];
        if (families > 16) families = 16;
        g->vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &families, familyProperties);
        for (uint32_t f = 0; f < families; f++) {
            if ((familyProperties[f].queueFlags & VK_QUEUE_COMPUTE_BIT) && rank > best) {
                best = rank;
                g->physical = devices[i];
                g->properties = properties;
                g->family = f;
                uint32_t bits = familyProperties[f].timestampValidBits;
                g->timestampMask = bits >= 64 ? UINT64_MAX : bits ? (((uint64_t)1 << bits) - 1) : 0;
                break;
            }
        }
    }
    if (!best) {
        say(why, why_size,
            count ? "no Vulkan GPU (only a CPU implementation such as lavapipe)" : "no Vulkan device", 0);
        mybro_gpu_close(g);
        return NULL;
    }
    // Every shader's workgroup is 256 invocations, above Vulkan's guaranteed 128.
    if (g->properties.limits.maxComputeWorkGroupInvocations < GROUP ||
        g->properties.limits.maxComputeWorkGroupSize[0] < GROUP) {
        say(why, why_size, "the Vulkan device takes fewer than 256 invocations per workgroup", 0);
        mybro_gpu_close(g);
        return NULL;
    }
    g->vkGetPhysicalDeviceMemoryProperties(g->physical, &g->memory);
    float priority = 1;
    VkDeviceQueueCreateInfo queueInfo = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, NULL, 0, g->family, 1, &priority};
    VkDeviceCreateInfo deviceInfo = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, NULL, 0, 1, &queueInfo};
    const char *floatControls = VK_KHR_SHADER_FLOAT_CONTROLS_EXTENSION_NAME;
    int enableExtension = 0;
    g->strictFloats = apiVersion >= VK_API_VERSION_1_1 && strict_floats(g, &enableExtension);
    if (enableExtension) {
        deviceInfo.enabledExtensionCount = 1;
        deviceInfo.ppEnabledExtensionNames = &floatControls;
    }
    if ((result = g->vkCreateDevice(g->physical, &deviceInfo, NULL, &g->device)) != VK_SUCCESS) {
        say(why, why_size, "vkCreateDevice failed", result);
        g->device = VK_NULL_HANDLE;
        mybro_gpu_close(g);
        return NULL;
    }
#define LOAD_DEVICE(name) g->name = (PFN_##name)g->vkGetDeviceProcAddr(g->device, #name);
    DEVICE_FUNCTIONS(LOAD_DEVICE)
    g->vkGetDeviceQueue(g->device, g->family, 0, &g->queue);

    VkDescriptorSetLayoutBinding bindings[3];
    for (uint32_t b = 0; b < 3; b++)
        bindings[b] = (VkDescriptorSetLayoutBinding){b, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                                                     VK_SHADER_STAGE_COMPUTE_BIT, NULL};
    VkDescriptorSetLayoutCreateInfo setInfo = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, NULL, 0, 3,
                                               bindings};
    VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push_constants)};
    VkDescriptorPoolSize poolSize = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 3};
    VkDescriptorPoolCreateInfo poolInfo = {VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, NULL, 0, 1, 1, &poolSize};
    VkCommandPoolCreateInfo commandPoolInfo = {VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, NULL,
                                               VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT, g->family};
    VkFenceCreateInfo fenceInfo = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    int ok = g->vkCreateDescriptorSetLayout(g->device, &setInfo, NULL, &g->setLayout) == VK_SUCCESS;
    VkPipelineLayoutCreateInfo layoutInfo = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, NULL, 0, 1,
                                             &g->setLayout, 1, &range};
    ok = ok && g->vkCreatePipelineLayout(g->device, &layoutInfo, NULL, &g->pipelineLayout) == VK_SUCCESS;
    if (ok && g->strictFloats && !make_pipelines(g, 1)) {
        g->strictFloats = 0;
        snprintf(g->floatNote, sizeof g->floatNote, "the driver refused the float-controls shaders");
    }
    ok = ok && (g->strictFloats || make_pipelines(g, 0));
    ok = ok && g->vkCreateDescriptorPool(g->device, &poolInfo, NULL, &g->descriptorPool) == VK_SUCCESS;
    VkDescriptorSetAllocateInfo allocate = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, NULL, g->descriptorPool, 1,
                                            &g->setLayout};
    ok = ok && g->vkAllocateDescriptorSets(g->device, &allocate, &g->set) == VK_SUCCESS;
    ok = ok && g->vkCreateCommandPool(g->device, &commandPoolInfo, NULL, &g->commandPool) == VK_SUCCESS;
    VkCommandBufferAllocateInfo commandInfo = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, NULL, g->commandPool,
                                               VK_COMMAND_BUFFER_LEVEL_PRIMARY, 1};
    ok = ok && g->vkAllocateCommandBuffers(g->device, &commandInfo, &g->commands) == VK_SUCCESS;
    ok = ok && g->vkCreateFence(g->device, &fenceInfo, NULL, &g->fence) == VK_SUCCESS;
    ok = ok && (g->partials = mybro_gpu_buffer_create(g, 2 * REDUCE_GROUPS)) != NULL;
    if (ok && g->timestampMask && g->properties.limits.timestampPeriod > 0) {
        VkQueryPoolCreateInfo queryInfo = {VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO, NULL, 0, VK_QUERY_TYPE_TIMESTAMP, 2};
        if (g->vkCreateQueryPool(g->device, &queryInfo, NULL, &g->timestamps) != VK_SUCCESS)
            g->timestamps = VK_NULL_HANDLE;
    }
    g->lastDispatchSeconds = -1;
    if (!ok) {
        say(why, why_size, "setting up the Vulkan compute pipelines failed", 0);
        mybro_gpu_close(g);
        return NULL;
    }
    return g;
}

void mybro_gpu_close(mybro_gpu *g) {
    if (!g) return;
    if (g->device) {
        mybro_gpu_buffer_destroy(g, g->staging);
        mybro_gpu_buffer_destroy(g, g->partials);
        if (g->fence) g->vkDestroyFence(g->device, g->fence, NULL);
        if (g->timestamps) g->vkDestroyQueryPool(g->device, g->timestamps, NULL);
        if (g->commandPool) g->vkDestroyCommandPool(g->device, g->commandPool, NULL);
        if (g->descriptorPool) g->vkDestroyDescriptorPool(g->device, g->descriptorPool, NULL);
        destroy_pipelines(g);
        if (g->pipelineLayout) g->vkDestroyPipelineLayout(g->device, g->pipelineLayout, NULL);
        if (g->setLayout) g->vkDestroyDescriptorSetLayout(g->device, g->setLayout, NULL);
        g->vkDestroyDevice(g->device, NULL);
    }
    if (g->instance) g->vkDestroyInstance(g->instance, NULL);
    if (g->library) dlclose(g->library);
    free(g);
}

const char *mybro_gpu_device_name(const mybro_gpu *g) { return g->properties.deviceName; }
int mybro_gpu_strict_floats(const mybro_gpu *g) { return g->strictFloats; }
const char *mybro_gpu_float_note(const mybro_gpu *g) { return g->floatNote; }
int mybro_gpu_is_cpu(const mybro_gpu *g) { return g->properties.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU; }

static int memory_type(mybro_gpu *g, uint32_t allowed, VkMemoryPropertyFlags wanted) {
    for (uint32_t i = 0; i < g->memory.memoryTypeCount; i++)
        if ((allowed & (1u << i)) && (g->memory.memoryTypes[i].propertyFlags & wanted) == wanted) return (int)i;
    return -1;
}

static mybro_gpu_buffer *buffer_create(mybro_gpu *g, size_t count, int staging) {
    mybro_gpu_buffer *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->count = count;
    VkBufferCreateInfo info = {VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, NULL, 0, (count ? count : 1) * sizeof(float),
                               VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                   VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                               VK_SHARING_MODE_EXCLUSIVE};
    if (g->vkCreateBuffer(g->device, &info, NULL, &b->buffer) != VK_SUCCESS) {
        free(b);
        return NULL;
    }
    VkMemoryRequirements needs;
    g->vkGetBufferMemoryRequirements(g->device, b->buffer, &needs);
    const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    int type = staging ? memory_type(g, needs.memoryTypeBits, host)
                       : memory_type(g, needs.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
    if (type < 0) type = memory_type(g, needs.memoryTypeBits, host);
    VkMemoryAllocateInfo allocate = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, NULL, needs.size, (uint32_t)(type < 0 ? 0 : type)};
    if (type < 0 || g->vkAllocateMemory(g->device, &allocate, NULL, &b->memory) != VK_SUCCESS) {
        g->vkDestroyBuffer(g->device, b->buffer, NULL);
        free(b);
        return NULL;
    }
    g->vkBindBufferMemory(g->device, b->buffer, b->memory, 0);
    if ((g->memory.memoryTypes[type].propertyFlags & host) == host)
        if (g->vkMapMemory(g->device, b->memory, 0, VK_WHOLE_SIZE, 0, &b->mapped) != VK_SUCCESS) b->mapped = NULL;
    return b;
}

mybro_gpu_buffer *mybro_gpu_buffer_create(mybro_gpu *g, size_t count) { return buffer_create(g, count, 0); }

void mybro_gpu_buffer_destroy(mybro_gpu *g, mybro_gpu_buffer *b) {
    if (!b) return;
    g->vkDestroyBuffer(g->device, b->buffer, NULL);
    g->vkFreeMemory(g->device, b->memory, NULL);  // unmaps too
    free(b);
}

static int begin(mybro_gpu *g) {
    g->vkResetCommandBuffer(g->commands, 0);
    VkCommandBufferBeginInfo info = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, NULL,
                                     VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    return g->vkBeginCommandBuffer(g->commands, &info) == VK_SUCCESS ? 0 : -1;
}

static void timestamp_begin(mybro_gpu *g) {
    g->lastDispatchSeconds = -1;
    if (!g->timestamps) return;
    g->vkCmdResetQueryPool(g->commands, g->timestamps, 0, 2);
    g->vkCmdWriteTimestamp(g->commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, g->timestamps, 0);
}

static void timestamp_end(mybro_gpu *g) {
    if (!g->timestamps) return;
    g->vkCmdWriteTimestamp(g->commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, g->timestamps, 1);
    g->timestampsPending = 1;
}

/// After the wait of a submission that wrote them: the two timestamps' difference in seconds.
static void read_timestamps(mybro_gpu *g) {
    uint64_t ticks[2];
    if (g->vkGetQueryPoolResults(g->device, g->timestamps, 0, 2, sizeof ticks, ticks, sizeof ticks[0],
                                 VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT) != VK_SUCCESS)
        return;
    uint64_t elapsed = (ticks[1] - ticks[0]) & g->timestampMask;
    g->lastDispatchSeconds = (double)elapsed * g->properties.limits.timestampPeriod * 1e-9;
}

static int submit_and_wait(mybro_gpu *g) {
    // Taken before anything can fail: a failed submission's queries were never written, and a
    // later untimed copy must not wait on them.
    int timed = g->timestampsPending;
    g->timestampsPending = 0;
    if (g->vkEndCommandBuffer(g->commands) != VK_SUCCESS) return -1;
    VkSubmitInfo submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &g->commands;
    g->vkResetFences(g->device, 1, &g->fence);
    if (g->vkQueueSubmit(g->queue, 1, &submit, g->fence) != VK_SUCCESS) return -1;
    if (g->vkWaitForFences(g->device, 1, &g->fence, VK_TRUE, UINT64_MAX) != VK_SUCCESS) return -1;
    if (timed) read_timestamps(g);
    return 0;
}

static mybro_gpu_buffer *staging_for(mybro_gpu *g, size_t count) {
    if (g->staging && g->staging->count >= count) return g->staging;
    mybro_gpu_buffer_destroy(g, g->staging);
    g->staging = buffer_create(g, count, 1);
    return g->staging && g->staging->mapped ? g->staging : NULL;
}

/// A buffer copy; `timed` for one whose time is asked for (a staging copy keeps the time of the
/// dispatch before it, as a reduction's read-back of its partials does).
static int copy(mybro_gpu *g, VkBuffer from, VkBuffer to, size_t count, int timed) {
    if (begin(g)) return -1;
    VkBufferCopy region = {0, 0, count * sizeof(float)};
    if (timed) timestamp_begin(g);
    g->vkCmdCopyBuffer(g->commands, from, to, 1, &region);
    if (timed) timestamp_end(g);
    // The copy's writes made visible to the host (a read-back) and to the shaders that follow.
    VkMemoryBarrier barrier = {VK_STRUCTURE_TYPE_MEMORY_BARRIER, NULL, VK_ACCESS_TRANSFER_WRITE_BIT,
                               VK_ACCESS_HOST_READ_BIT | VK_ACCESS_SHADER_READ_BIT};
    g->vkCmdPipelineBarrier(g->commands, VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &barrier, 0, NULL,
                            0, NULL);
    return submit_and_wait(g);
}

int mybro_gpu_copy(mybro_gpu *g, mybro_gpu_buffer *from, mybro_gpu_buffer *to, size_t count) {
    g->lastDispatchSeconds = -1;
    if (count > from->count || count > to->count) return -1;
    return count ? copy(g, from->buffer, to->buffer, count, 1) : 0;
}

double mybro_gpu_last_seconds(const mybro_gpu *g) { return g->lastDispatchSeconds; }

int mybro_gpu_upload(mybro_gpu *g, mybro_gpu_buffer *b, const float *values, size_t count) {
    if (count > b->count) return -1;
    if (b->mapped) return memcpy(b->mapped, values, count * sizeof(float)), 0;
    mybro_gpu_buffer *s = staging_for(g, count);
    if (!s) return -1;
    memcpy(s->mapped, values, count * sizeof(float));
    return copy(g, s->buffer, b->buffer, count, 0);
}

int mybro_gpu_download(mybro_gpu *g, mybro_gpu_buffer *b, float *values, size_t count) {
    if (count > b->count) return -1;
    if (b->mapped) return memcpy(values, b->mapped, count * sizeof(float)), 0;
    mybro_gpu_buffer *s = staging_for(g, count);
    if (!s || copy(g, b->buffer, s->buffer, count, 0)) return -1;
    memcpy(values, s->mapped, count * sizeof(float));
    return 0;
}

/// One dispatch of `groups` × `rows_of_groups` workgroups; `constants` are the shader's 16 bytes.
static int dispatch_grid(mybro_gpu *g, VkPipeline pipeline, mybro_gpu_buffer *x, mybro_gpu_buffer *b,
                         mybro_gpu_buffer *y, const void *constants, uint32_t groups, uint32_t rows_of_groups) {
    VkDescriptorBufferInfo infos[3] = {{x->buffer, 0, VK_WHOLE_SIZE}, {b->buffer, 0, VK_WHOLE_SIZE},
                                       {y->buffer, 0, VK_WHOLE_SIZE}};
    VkWriteDescriptorSet writes[3];
    for (uint32_t i = 0; i < 3; i++)
        writes[i] = (VkWriteDescriptorSet){VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, NULL, g->set, i, 0, 1,
                                           VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, NULL, &infos[i], NULL};
    g->vkUpdateDescriptorSets(g->device, 3, writes, 0, NULL);
    if (begin(g)) return -1;
    g->vkCmdBindPipeline(g->commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    g->vkCmdBindDescriptorSets(g->commands, VK_PIPELINE_BIND_POINT_COMPUTE, g->pipelineLayout, 0, 1, &g->set, 0, NULL);
    g->vkCmdPushConstants(g->commands, g->pipelineLayout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push_constants),
                          constants);
    timestamp_begin(g);
    g->vkCmdDispatch(g->commands, groups, rows_of_groups, 1);
    timestamp_end(g);
    // Make the shader's writes visible to the host and to copies that follow.
    VkMemoryBarrier barrier = {VK_STRUCTURE_TYPE_MEMORY_BARRIER, NULL, VK_ACCESS_SHADER_WRITE_BIT,
                               VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT};
    g->vkCmdPipelineBarrier(g->commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, NULL, 0,
                            NULL);
    return submit_and_wait(g);
}

static int dispatch(mybro_gpu *g, VkPipeline pipeline, mybro_gpu_buffer *x, mybro_gpu_buffer *b, mybro_gpu_buffer *y,
                    push_constants constants, uint32_t groups) {
    return dispatch_grid(g, pipeline, x, b, y, &constants, groups, 1);
}

int mybro_gpu_map(mybro_gpu *g, int op, int binary, mybro_gpu_buffer *x, mybro_gpu_buffer *b, float scalar,
                  mybro_gpu_buffer *y, size_t n) {
    g->lastDispatchSeconds = -1;
    if (n == 0) return 0;
    if (op < 0 || op > (binary ? 3 : MAP_COPY)) return -1;  // add…div, or exp…copy
    if (n > mybro_gpu_max_elements(g) || n > x->count || n > y->count || (binary == 1 && (!b || n > b->count)))
        return -1;
    push_constants constants = {(uint32_t)n, (uint32_t)(binary ? 8 + op : op), scalar, binary == 1 ? 0u : 1u};
    size_t groups = (n + 4 * GROUP - 1) / (4 * GROUP);  // map.comp takes four elements per trip
    // As many workgroups as the device takes, so each invocation makes one four-way trip rather
    // than one and a few single steps (2^31 floats need 2^21 groups; the stride stays in 32 bits).
    size_t most = g->properties.limits.maxComputeWorkGroupCount[0];
    if (most < MAX_GROUPS) most = MAX_GROUPS;
    VkPipeline pipeline = map_pipeline(g, constants.op, g->strictFloats);
    if (!pipeline) return -1;
    return dispatch(g, pipeline, x, binary == 1 ? b : x, y, constants, (uint32_t)(groups > most ? most : groups));
}

int mybro_gpu_reduce(mybro_gpu *g, int kind, mybro_gpu_buffer *x, size_t n, double *result) {
    g->lastDispatchSeconds = -1;
    double identity = kind == MYBRO_GPU_MIN ? INFINITY : kind == MYBRO_GPU_MAX ? -INFINITY : 0;
    if (n == 0) return *result = kind >= MYBRO_GPU_MIN ? NAN : 0, 0;
    if (n > mybro_gpu_max_elements(g) || n > x->count) return -1;
    size_t groups = (n + GROUP - 1) / GROUP;
    if (groups > REDUCE_GROUPS) groups = REDUCE_GROUPS;
    push_constants constants = {(uint32_t)n, (uint32_t)kind, 0, 0};
    if (dispatch(g, g->reducePipeline, x, x, g->partials, constants, (uint32_t)groups)) return -1;
    float partial[2 * REDUCE_GROUPS];
    if (mybro_gpu_download(g, g->partials, partial, 2 * groups)) return -1;
    double total = identity;
    for (size_t i = 0; i < groups; i++) {
        double v = partial[2 * i];
        if (partial[2 * i + 1] != 0) return *result = NAN, 0;
        if (kind == MYBRO_GPU_MIN) total = v < total ? v : total;
        else if (kind == MYBRO_GPU_MAX) total = v > total ? v : total;
        else total += v;
    }
    *result = total;
    return 0;
}

int mybro_gpu_batched(mybro_gpu *g, int cosine, mybro_gpu_buffer *x, mybro_gpu_buffer *b, float query_norm2,
                      mybro_gpu_buffer *y, size_t rows, size_t k) {
    g->lastDispatchSeconds = -1;
    if (rows == 0) return 0;
    if (k == 0 || rows > mybro_gpu_max_elements(g) / k || rows * k > x->count || rows > y->count ||
        (cosine ? k : rows * k) > b->count)
        return -1;
    push_constants constants = {(uint32_t)rows, (uint32_t)(cosine != 0), query_norm2, (uint32_t)k};
    size_t groups = (rows + BATCHED_ROWS_PER_GROUP - 1) / BATCHED_ROWS_PER_GROUP;
    return dispatch(g, g->batchedPipeline, x, b, y, constants, (uint32_t)(groups > MAX_GROUPS ? MAX_GROUPS : groups));
}

int mybro_gpu_cosines(mybro_gpu *g, mybro_gpu_buffer *x, mybro_gpu_buffer *queries, mybro_gpu_buffer *y, size_t rows,
                      size_t count, size_t k) {
    g->lastDispatchSeconds = -1;
    if (rows == 0 || count == 0) return 0;
    size_t most = mybro_gpu_max_elements(g);
    size_t tilesDown = (rows + COSINES_TILE - 1) / COSINES_TILE, tilesAcross = (count + COSINES_TILE - 1) / COSINES_TILE;
    // Every index the shader forms (row·k, query·k, row·count) stays below 2^31.
    if (k == 0 || rows > most / k || count > most / k || rows > most / count || rows * k > x->count ||
        count * k > queries->count || rows * count > y->count ||
        tilesDown > g->properties.limits.maxComputeWorkGroupCount[1] ||
        tilesAcross > g->properties.limits.maxComputeWorkGroupCount[0])
        return -1;
    cosines_constants constants = {(uint32_t)rows, (uint32_t)count, (uint32_t)k, 0};
    return dispatch_grid(g, g->cosinesPipeline, x, queries, y, &constants, (uint32_t)tilesAcross, (uint32_t)tilesDown);
}

int mybro_gpu_peak(mybro_gpu *g, mybro_gpu_buffer *y, size_t groups, uint32_t steps) {
    g->lastDispatchSeconds = -1;
    if (groups == 0 || groups > MAX_GROUPS || groups * GROUP > y->count || steps == 0) return -1;
    peak_constants constants = {steps, 0, 0.9999f, 1e-4f};
    return dispatch_grid(g, g->peakPipeline, y, y, y, &constants, (uint32_t)groups, 1);
}
