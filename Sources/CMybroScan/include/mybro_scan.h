#ifndef MYBRO_SCAN_H
#define MYBRO_SCAN_H

#include <stddef.h>

/// glibc's memmem (a GNU extension the Swift Glibc module does not export).
const void *mybro_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
