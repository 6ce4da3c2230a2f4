#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mybro_scan.h"

// Files of a tree that share their inode with a name outside it: a hard link's other names
// see every write made through this one. uv's virtual environments and pnpm's node_modules are
// such links into a cache that later installs, outside any sandbox, link again.

struct linked {
    dev_t device;
    ino_t inode;
    nlink_t links;
    int top;  // index of the root entry the file lies under
};

struct collector {
    struct linked *files;
    size_t count, capacity;
    char **tops;  // the root's entries, by name
    char *deep;   // per top: a folder too deep to walk lies there
    size_t top_count, top_capacity;
    size_t visited, limit;
    int truncated;
};

static int add_top(struct collector *c, const char *name) {
    if (c->top_count == c->top_capacity) {
        size_t capacity = c->top_capacity ? c->top_capacity * 2 : 64;
        char **grown = realloc(c->tops, capacity * sizeof *grown);
        if (!grown) return -1;
        c->tops = grown;
        char *deep = realloc(c->deep, capacity);
        if (!deep) return -1;
        c->deep = deep;
        c->top_capacity = capacity;
    }
    c->deep[c->top_count] = 0;
    c->tops[c->top_count] = strdup(name);
    return c->tops[c->top_count] ? (int)c->top_count++ : -1;
}

static void add_file(struct collector *c, const struct stat *info, int top) {
    if (c->count == c->capacity) {
        size_t capacity = c->capacity ? c->capacity * 2 : 1024;
        struct linked *grown = realloc(c->files, capacity * sizeof *grown);
        if (!grown) return;
        c->files = grown;
        c->capacity = capacity;
    }
    c->files[c->count++] = (struct linked){info->st_dev, info->st_ino, info->st_nlink, top};
}

static void walk(struct collector *c, int folder, int depth, int top);

// What cannot be looked at is taken as linked, not as safe: a folder a job made unreadable
// (chmod 0311) for the user's own installer to link into later, or one past the open-file limit.
static void unknown(struct collector *c, int top) {
    if (!c->truncated) c->truncated = 1;
    if (top >= 0) c->deep[top] = 1;
}

// Walks the folder `name` below `folder`; one too deep to walk is taken as linked, not as safe.
static void descend(struct collector *c, int folder, const char *name, int depth, int top) {
    int child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (child < 0) {
        if (errno != ENOENT) unknown(c, top);
        return;
    }
    if (depth < 512) walk(c, child, depth + 1, top);
    else unknown(c, top);
    close(child);
}

static void walk(struct collector *c, int folder, int depth, int top) {
    int listing = dup(folder);
    if (listing < 0) return unknown(c, top);
    DIR *entries = fdopendir(listing);
    if (!entries) {
        close(listing);
        return unknown(c, top);
    }
    struct dirent *entry;
    while ((entry = readdir(entries))) {
        if (++c->visited > c->limit) {
            c->truncated = 2;
            break;
        }
        const char *name = entry->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
        // The workspace's own repository: its objects may be linked with another clone's (`git
        // clone --local`), read-only files git never rewrites in place, and its history is
        // large. Only the top one: a `.git` deeper down is any folder a link can lead through.
        if (depth == 0 && !strcmp(name, ".git")) continue;
        if (entry->d_type == DT_LNK) continue;
        int here = depth == 0 ? add_top(c, name) : top;
        if (here < 0) continue;
        if (entry->d_type == DT_DIR) {
            descend(c, folder, name, depth, here);
            continue;
        }
        if (entry->d_type != DT_REG && entry->d_type != DT_UNKNOWN) continue;
        struct stat info;
        if (fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT) unknown(c, here);
            continue;
        }
        if (S_ISDIR(info.st_mode)) {  // DT_UNKNOWN on a file system that does not say
            descend(c, folder, name, depth, here);
        } else if (S_ISREG(info.st_mode) && info.st_nlink > 1) {
            add_file(c, &info, here);
        }
    }
    closedir(entries);
}

static int by_inode(const void *a, const void *b) {
    const struct linked *x = a, *y = b;
    if (x->device != y->device) return x->device < y->device ? -1 : 1;
    if (x->inode != y->inode) return x->inode < y->inode ? -1 : 1;
    return 0;
}

char *mybro_find_shared_files(const char *root, size_t limit, size_t *length, int *truncated) {
    *length = 0;
    *truncated = 0;
    int folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return NULL;
    struct collector c = {0};
    c.limit = limit;
    walk(&c, folder, 0, -1);
    close(folder);
    // A file whose names the walk found fewer times than it has links has a name elsewhere
    // (a walk cut short counts as elsewhere).
    qsort(c.files, c.count, sizeof *c.files, by_inode);
    char *shared = calloc(c.top_count ? c.top_count : 1, 1);
    for (size_t t = 0; t < c.top_count && shared; t++) shared[t] = c.deep[t];
    for (size_t i = 0; i < c.count && shared;) {
        size_t j = i;
        while (j < c.count && !by_inode(&c.files[i], &c.files[j])) j++;
        if ((nlink_t)(j - i) < c.files[i].links)
            for (size_t k = i; k < j; k++) shared[c.files[k].top] = 1;
        i = j;
    }
    size_t total = 0;
    for (size_t t = 0; t < c.top_count; t++)
        if (shared && shared[t]) total += strlen(c.tops[t]) + 1;
    char *result = malloc(total ? total : 1);
    size_t at = 0;
    for (size_t t = 0; t < c.top_count; t++) {
        if (result && shared && shared[t]) {
            size_t n = strlen(c.tops[t]) + 1;
            memcpy(result + at, c.tops[t], n);
            at += n;
        }
        free(c.tops[t]);
    }
    free(c.tops);
    free(c.deep);
    free(c.files);
    free(shared);
    *length = result ? at : 0;
    *truncated = c.truncated;
    return result;
}
