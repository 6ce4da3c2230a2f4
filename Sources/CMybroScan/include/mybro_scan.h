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

/// The entries of `root` (names, each followed by a NUL) under which lies a regular file that
/// has a hard link outside the tree (it has more links than the walk found names for): a write
/// through the tree's name reaches the other names too (uv's and pnpm's links into their caches).
/// Links and the root's own `.git` are not entered; an entry holding a folder too deep to walk
/// counts as linked (`truncated` 1); at most `limit` entries are read (`truncated` then 2: the
/// caller must not take the rest as safe).
/// The caller frees the result (NULL when `root` cannot be opened).
char *mybro_find_shared_files(const char *root, size_t limit, size_t *length, int *truncated);

#endif
