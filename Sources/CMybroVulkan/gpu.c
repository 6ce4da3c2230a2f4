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
    X(vkResetFences)

#define DECLARE(name) PFN_##name name;

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
    VkPipeline mapPipeline, reducePipeline, batchedPipeline;
    VkDescriptorPool descriptorPool;
    VkDescriptorSet set;
    VkCommandPool commandPool;
    VkCommandBuffer commands;
    VkFence fence;
    mybro_gpu_buffer *staging, *partials;
};

typedef struct {
    uint32_t n, op;
    float scalar;
    uint32_t useScalar;
} push_constants;

enum { GROUP = 256, MAX_GROUPS = 65535, REDUCE_GROUPS = 1024 };

size_t mybro_gpu_max_elements(void) { return (size_t)1 << 31; }

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

static VkPipeline make_pipeline(mybro_gpu *g, const uint32_t *code, size_t bytes) {
    VkShaderModuleCreateInfo moduleInfo = {VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, NULL, 0, bytes, code};
    VkShaderModule module;
    if (g->vkCreateShaderModule(g->device, &moduleInfo, NULL, &module) != VK_SUCCESS) return VK_NULL_HANDLE;
    VkComputePipelineCreateInfo info = {VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = (VkPipelineShaderStageCreateInfo){VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, NULL, 0,
                                                   VK_SHADER_STAGE_COMPUTE_BIT, module, "main", NULL};
    info.layout = g->pipelineLayout;
    VkPipeline pipeline = VK_NULL_HANDLE;
    if (g->vkCreateComputePipelines(g->device, VK_NULL_HANDLE, 1, &info, NULL, &pipeline) != VK_SUCCESS)
        pipeline = VK_NULL_HANDLE;
    g->vkDestroyShaderModule(g->device, module, NULL);
    return pipeline;
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
    VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, "mybro-kernel", 1, "mybro", 1,
                             VK_API_VERSION_1_0};
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
    g->vkGetPhysicalDeviceMemoryProperties(g->physical, &g->memory);
    float priority = 1;
    VkDeviceQueueCreateInfo queueInfo = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, NULL, 0, g->family, 1, &priority};
    VkDeviceCreateInfo deviceInfo = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, NULL, 0, 1, &queueInfo};
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
    ok = ok && (g->mapPipeline = make_pipeline(g, mybro_spirv_map, sizeof mybro_spirv_map)) != VK_NULL_HANDLE;
    ok = ok && (g->reducePipeline = make_pipeline(g, mybro_spirv_reduce, sizeof mybro_spirv_reduce)) != VK_NULL_HANDLE;
    ok = ok && (g->batchedPipeline = make_pipeline(g, mybro_spirv_batched, sizeof mybro_spirv_batched)) != VK_NULL_HANDLE;
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
        if (g->commandPool) g->vkDestroyCommandPool(g->device, g->commandPool, NULL);
        if (g->descriptorPool) g->vkDestroyDescriptorPool(g->device, g->descriptorPool, NULL);
        if (g->mapPipeline) g->vkDestroyPipeline(g->device, g->mapPipeline, NULL);
        if (g->reducePipeline) g->vkDestroyPipeline(g->device, g->reducePipeline, NULL);
        if (g->batchedPipeline) g->vkDestroyPipeline(g->device, g->batchedPipeline, NULL);
        if (g->pipelineLayout) g->vkDestroyPipelineLayout(g->device, g->pipelineLayout, NULL);
        if (g->setLayout) g->vkDestroyDescriptorSetLayout(g->device, g->setLayout, NULL);
        g->vkDestroyDevice(g->device, NULL);
    }
    if (g->instance) g->vkDestroyInstance(g->instance, NULL);
    if (g->library) dlclose(g->library);
    free(g);
}

const char *mybro_gpu_device_name(const mybro_gpu *g) { return g->properties.deviceName; }
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

static int submit_and_wait(mybro_gpu *g) {
    if (g->vkEndCommandBuffer(g->commands) != VK_SUCCESS) return -1;
    VkSubmitInfo submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &g->commands;
    g->vkResetFences(g->device, 1, &g->fence);
    if (g->vkQueueSubmit(g->queue, 1, &submit, g->fence) != VK_SUCCESS) return -1;
    return g->vkWaitForFences(g->device, 1, &g->fence, VK_TRUE, UINT64_MAX) == VK_SUCCESS ? 0 : -1;
}

static mybro_gpu_buffer *staging_for(mybro_gpu *g, size_t count) {
    if (g->staging && g->staging->count >= count) return g->staging;
    mybro_gpu_buffer_destroy(g, g->staging);
    g->staging = buffer_create(g, count, 1);
    return g->staging && g->staging->mapped ? g->staging : NULL;
}

static int copy(mybro_gpu *g, VkBuffer from, VkBuffer to, size_t count) {
    if (begin(g)) return -1;
    VkBufferCopy region = {0, 0, count * sizeof(float)};
    g->vkCmdCopyBuffer(g->commands, from, to, 1, &region);
    return submit_and_wait(g);
}

int mybro_gpu_upload(mybro_gpu *g, mybro_gpu_buffer *b, const float *values, size_t count) {
    if (count > b->count) return -1;
    if (b->mapped) return memcpy(b->mapped, values, count * sizeof(float)), 0;
    mybro_gpu_buffer *s = staging_for(g, count);
    if (!s) return -1;
    memcpy(s->mapped, values, count * sizeof(float));
    return copy(g, s->buffer, b->buffer, count);
}

int mybro_gpu_download(mybro_gpu *g, mybro_gpu_buffer *b, float *values, size_t count) {
    if (count > b->count) return -1;
    if (b->mapped) return memcpy(values, b->mapped, count * sizeof(float)), 0;
    mybro_gpu_buffer *s = staging_for(g, count);
    if (!s || copy(g, b->buffer, s->buffer, count)) return -1;
    memcpy(values, s->mapped, count * sizeof(float));
    return 0;
}

static int dispatch(mybro_gpu *g, VkPipeline pipeline, mybro_gpu_buffer *x, mybro_gpu_buffer *b, mybro_gpu_buffer *y,
                    push_constants constants, uint32_t groups) {
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
    g->vkCmdPushConstants(g->commands, g->pipelineLayout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof constants, &constants);
    g->vkCmdDispatch(g->commands, groups, 1, 1);
    // Make the shader's writes visible to the host and to copies that follow.
    VkMemoryBarrier barrier = {VK_STRUCTURE_TYPE_MEMORY_BARRIER, NULL, VK_ACCESS_SHADER_WRITE_BIT,
                               VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT};
    g->vkCmdPipelineBarrier(g->commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, NULL, 0,
                            NULL);
    return submit_and_wait(g);
}

int mybro_gpu_map(mybro_gpu *g, int op, int binary, mybro_gpu_buffer *x, mybro_gpu_buffer *b, float scalar,
                  mybro_gpu_buffer *y, size_t n) {
    if (n == 0) return 0;
    if (n > mybro_gpu_max_elements() || n > x->count || n > y->count || (binary == 1 && (!b || n > b->count)))
        return -1;
    push_constants constants = {(uint32_t)n, (uint32_t)(binary ? 8 + op : op), scalar, binary == 1 ? 0u : 1u};
    size_t groups = (n + GROUP - 1) / GROUP;
    return dispatch(g, g->mapPipeline, x, binary == 1 ? b : x, y, constants,
                    (uint32_t)(groups > MAX_GROUPS ? MAX_GROUPS : groups));
}

int mybro_gpu_reduce(mybro_gpu *g, int kind, mybro_gpu_buffer *x, size_t n, double *result) {
    double identity = kind == MYBRO_GPU_MIN ? INFINITY : kind == MYBRO_GPU_MAX ? -INFINITY : 0;
    if (n == 0) return *result = kind >= MYBRO_GPU_MIN ? NAN : 0, 0;
    if (n > mybro_gpu_max_elements() || n > x->count) return -1;
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
    if (rows == 0) return 0;
    if (k == 0 || rows > mybro_gpu_max_elements() / k || rows * k > x->count || rows > y->count ||
        (cosine ? k : rows * k) > b->count)
        return -1;
    push_constants constants = {(uint32_t)rows, (uint32_t)(cosine != 0), query_norm2, (uint32_t)k};
    return dispatch(g, g->batchedPipeline, x, b, y, constants, (uint32_t)(rows > MAX_GROUPS ? MAX_GROUPS : rows));
}
