// Lists the Vulkan devices (for mybro-bench's hardware report) without opening any of them.
#define VK_NO_PROTOTYPES
#include "mybro_gpu.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <vulkan/vulkan.h>

static int fail(char *why, size_t size, const char *message, void *library) {
    if (why && size) snprintf(why, size, "%s", message);
    if (library) dlclose(library);
    return -1;
}

int mybro_gpu_list_devices(mybro_gpu_device_info *out, int capacity, char *why, size_t why_size) {
    void *library = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libvulkan.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) return fail(why, why_size, "no Vulkan loader (libvulkan.so.1)", NULL);
    PFN_vkGetInstanceProcAddr getProc = (PFN_vkGetInstanceProcAddr)dlsym(library, "vkGetInstanceProcAddr");
    PFN_vkCreateInstance createInstance = getProc ? (PFN_vkCreateInstance)getProc(NULL, "vkCreateInstance") : NULL;
    if (!createInstance) return fail(why, why_size, "the Vulkan loader lacks vkCreateInstance", library);
    // 1.1 for the subgroup size; a 1.0-only loader refuses it, so fall back to 1.0.
    VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, "mybro-bench", 1, "mybro", 1,
                             VK_API_VERSION_1_1};
    VkInstanceCreateInfo info = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, NULL, 0, &app};
    VkInstance instance = VK_NULL_HANDLE;
    int instance11 = 1;
    if (createInstance(&info, NULL, &instance) != VK_SUCCESS) {
        instance11 = 0;
        app.apiVersion = VK_API_VERSION_1_0;
        if (createInstance(&info, NULL, &instance) != VK_SUCCESS)
            return fail(why, why_size, "no Vulkan driver answered (vkCreateInstance failed)", library);
    }
    PFN_vkDestroyInstance destroy = (PFN_vkDestroyInstance)getProc(instance, "vkDestroyInstance");
    PFN_vkEnumeratePhysicalDevices enumerate =
        (PFN_vkEnumeratePhysicalDevices)getProc(instance, "vkEnumeratePhysicalDevices");
    PFN_vkGetPhysicalDeviceProperties properties =
        (PFN_vkGetPhysicalDeviceProperties)getProc(instance, "vkGetPhysicalDeviceProperties");
    PFN_vkGetPhysicalDeviceProperties2 properties2 =
        instance11 ? (PFN_vkGetPhysicalDeviceProperties2)getProc(instance, "vkGetPhysicalDeviceProperties2") : NULL;
    PFN_vkGetPhysicalDeviceMemoryProperties memory =
        (PFN_vkGetPhysicalDeviceMemoryProperties)getProc(instance, "vkGetPhysicalDeviceMemoryProperties");
    if (!enumerate || !properties || !memory) {
        if (destroy) destroy(instance, NULL);
        return fail(why, why_size, "the Vulkan loader lacks the device queries", library);
    }
    VkPhysicalDevice devices[16];
    uint32_t count = 16;
    VkResult result = enumerate(instance, &count, devices);
    if (result != VK_SUCCESS && result != VK_INCOMPLETE) count = 0;
    int filled = 0;
    for (uint32_t i = 0; i < count && filled < capacity; i++) {
        VkPhysicalDeviceProperties p;
        properties(devices[i], &p);
        mybro_gpu_device_info *d = &out[filled++];
        memset(d, 0, sizeof *d);
        snprintf(d->name, sizeof d->name, "%s", p.deviceName);
        d->vendor_id = p.vendorID;
        d->device_id = p.deviceID;
        d->device_type = (int)p.deviceType;
        d->api_version = p.apiVersion;
        VkPhysicalDeviceMemoryProperties m;
        memory(devices[i], &m);
        for (uint32_t h = 0; h < m.memoryHeapCount; h++)
            if ((m.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) && m.memoryHeaps[h].size > d->device_local_bytes)
                d->device_local_bytes = m.memoryHeaps[h].size;
        if (properties2 && p.apiVersion >= VK_API_VERSION_1_1) {
            VkPhysicalDeviceSubgroupProperties subgroup = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
            VkPhysicalDeviceProperties2 p2 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &subgroup};
            properties2(devices[i], &p2);
            d->subgroup_size = subgroup.subgroupSize;
        }
    }
    if (destroy) destroy(instance, NULL);
    dlclose(library);
    return filled;
}
