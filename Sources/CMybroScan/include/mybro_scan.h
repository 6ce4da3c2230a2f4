#ifndef MYBRO_SCAN_H
#define MYBRO_SCAN_H

#include <stddef.h>

/// glibc's memmem (a GNU extension the Swift Glibc module does not export).
const void *mybro_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// The git repositories in the tree below `root` (links not followed, `.git` folders not
/// entered, at most `max_depth` levels and `limit` entries): each as one byte, 'w' for a folder
/// holding a `.git` (a work tree) or 'b' for a folder git takes as a repository itself, then its
/// path and a NUL. A repository whose path is not well-formed UTF-8 is not listed: its config,
/// hooks and commondir are renamed aside (`NAME.mybro-saved`) and counted in `set_aside`.
/// `truncated` is 1 when `limit` stopped the walk. The caller frees the result (NULL when
/// `root` cannot be opened).
char *mybro_find_repositories(const char *root, int max_depth, size_t limit, size_t *length, int *set_aside,
                              int *truncated);

#endif
