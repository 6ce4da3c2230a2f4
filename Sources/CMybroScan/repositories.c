#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mybro_scan.h"

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF):
// a name that is not cannot be named in Swift's strings, so nothing there can be asked of git.
static int well_formed(const unsigned char *text) {
    while (*text) {
        unsigned char c = *text;
        int extra;
        unsigned int point;
        if (c < 0x80) { text++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { extra = 1; point = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; point = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; point = c & 0x07; }
        else return 0;
        for (int i = 1; i <= extra; i++) {
            if ((text[i] & 0xC0) != 0x80) return 0;
            point = (point << 6) | (text[i] & 0x3F);
        }
        if ((extra == 2 && (point < 0x800 || (point >= 0xD800 && point <= 0xDFFF))) ||
            (extra == 3 && (point < 0x10000 || point > 0x10FFFF)))
            return 0;
        text += extra + 1;
    }
    return 1;
}

struct finder {
    char *found;
    size_t length, capacity;
    size_t visited, limit;
    int max_depth;
    int set_aside, truncated;
};

static void record(struct finder *finder, char kind, const char *path) {
    size_t needed = strlen(path) + 2;
    if (finder->length + needed > finder->capacity) {
        size_t capacity = finder->capacity ? finder->capacity * 2 : 4096;
        while (capacity < finder->length + needed) capacity *= 2;
        char *grown = realloc(finder->found, capacity);
        if (!grown) return;
        finder->found = grown;
        finder->capacity = capacity;
    }
    finder->found[finder->length++] = kind;
    memcpy(finder->found + finder->length, path, needed - 1);
    finder->length += needed - 1;
}

static int holds(int folder, const char *name, struct stat *info) {
    return fstatat(folder, name, info, AT_SYMLINK_NOFOLLOW) == 0;
}

// A repository git would take but Swift cannot name: what would run code there (its config,
// worktree config, hooks, commondir) is renamed aside, never read or run.
static void set_aside(int git_directory) {
    static const char *names[] = {"config", "config.worktree", "hooks", "commondir"};
    char aside[64];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        strcpy(aside, names[i]);
        strcat(aside, ".mybro-saved");
        renameat(git_directory, names[i], git_directory, aside);
    }
}

// Whether the `.git` entry in `folder` is one git would follow: a folder with a HEAD, a file
// that starts "gitdir:", or a link. Anything else (an empty file) makes no repository, and a
// thousand of them would cost every later job a git run each.
static int is_git_entry(int folder, const struct stat *info) {
    if (S_ISLNK(info->st_mode)) return 1;
    if (S_ISDIR(info->st_mode)) {
        struct stat head;
        int git = openat(folder, ".git", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (git < 0) return 0;
        int found = holds(git, "HEAD", &head);
        close(git);
        return found;
    }
    if (!S_ISREG(info->st_mode)) return 0;
    int file = openat(folder, ".git", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (file < 0) return 0;
    char start[7];
    ssize_t got = read(file, start, sizeof start);
    close(file);
    return got == (ssize_t)sizeof start && memcmp(start, "gitdir:", sizeof start) == 0;
}

// Whether the folder open as `target`, or one above it, holds a repository git would take;
// its real path in `repository` (PATH_MAX bytes).
static int repository_above(int target, char *repository) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", target);
    ssize_t got = readlink(link, repository, PATH_MAX - 1);
    if (got <= 0) return 0;
    repository[got] = '\0';
    for (int level = 0; level < 256 && repository[0] == '/'; level++) {
        int folder = open(repository, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (folder >= 0) {
            struct stat info;
            int found = (holds(folder, ".git", &info) && is_git_entry(folder, &info)) ||
                        (holds(folder, "HEAD", &info) && (holds(folder, "objects", &info) || holds(folder, "commondir", &info)));
            close(folder);
            if (found) return 1;
        }
        char *slash = strrchr(repository, '/');
        if (!slash || slash == repository) break;
        *slash = '\0';
    }
    return 0;
}

static void walk(struct finder *finder, int folder, char *path, size_t path_length, int depth, int nameless) {
    struct stat info;
    if (holds(folder, ".git", &info) && is_git_entry(folder, &info)) {
        if (!nameless) {
            record(finder, 'w', path);
        } else if (S_ISDIR(info.st_mode)) {
            int git = openat(folder, ".git", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (git >= 0) {
                set_aside(git);
                close(git);
            }
            finder->set_aside++;
        } else {
            // A file or link that points git elsewhere: without it, the folder is no repository.
            renameat(folder, ".git", folder, ".git.mybro-saved");
            finder->set_aside++;
        }
    } else if (holds(folder, "HEAD", &info) && (holds(folder, "objects", &info) || holds(folder, "commondir", &info))) {
        // A folder git takes as a repository itself: its objects are nothing to walk.
        if (!nameless) record(finder, 'b', path);
        else {
            set_aside(folder);
            finder->set_aside++;
        }
        return;
    }
    if (depth >= finder->max_depth) {
        finder->truncated = 1;
        return;
    }
    int listing = dup(folder);
    if (listing < 0) return;
    DIR *entries = fdopendir(listing);
    if (!entries) {
        close(listing);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(entries))) {
        if (++finder->visited > finder->limit) {
            finder->truncated = 1;
            break;
        }
        const char *name = entry->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git")) continue;
        if (entry->d_type == DT_LNK || (entry->d_type == DT_UNKNOWN && holds(folder, name, &info) &&
                                         S_ISLNK(info.st_mode))) {
            // A link to a folder that holds a repository (elsewhere: a writable cache): `cd`
            // through it lands in that repository.
            int target = openat(folder, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (target >= 0) {
                // git searches upward from where `cd` lands: the repository is the target's
                // nearest folder (itself or above) that holds one.
                char repository[PATH_MAX];
                int leads = repository_above(target, repository);
                close(target);
                size_t name_length = strlen(name);
                if (leads && !nameless && path_length + 1 + name_length < PATH_MAX) {
                    path[path_length] = '/';
                    memcpy(path + path_length + 1, name, name_length + 1);
                    record(finder, 'l', path);
                    record(finder, 'r', repository);
                    path[path_length] = '\0';
                } else if (leads) {
                    char aside[NAME_MAX + 16];
                    if (name_length + 13 < sizeof aside) {
                        memcpy(aside, name, name_length);
                        memcpy(aside + name_length, ".mybro-saved", 13);
                        renameat(folder, name, folder, aside);
                        finder->set_aside++;
                    }
                }
            }
            continue;
        }
        if (entry->d_type != DT_DIR) {
            if (entry->d_type != DT_UNKNOWN) continue;
            if (!holds(folder, name, &info) || !S_ISDIR(info.st_mode)) continue;
        }
        size_t name_length = strlen(name);
        int child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child < 0) continue;
        // A path too long to name is walked by descriptor, like one that is not UTF-8: what
        // lies there cannot be asked of git, so it is made inert.
        if (nameless || path_length + 1 + name_length >= PATH_MAX) {
            walk(finder, child, path, path_length, depth + 1, 1);
        } else {
            path[path_length] = '/';
            memcpy(path + path_length + 1, name, name_length + 1);
            walk(finder, child, path, path_length + 1 + name_length, depth + 1,
                 !well_formed((const unsigned char *)name));
            path[path_length] = '\0';
        }
        close(child);
    }
    closedir(entries);
}

char *mybro_find_repositories(const char *root, int max_depth, size_t limit, size_t *length, int *set_aside,
                              int *truncated) {
    struct finder finder = {0};
    finder.max_depth = max_depth;
    finder.limit = limit;
    *length = 0;
    *set_aside = 0;
    *truncated = 0;
    int folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return NULL;
    char path[PATH_MAX];
    size_t root_length = strlen(root);
    if (root_length >= PATH_MAX) {
        close(folder);
        return NULL;
    }
    memcpy(path, root, root_length + 1);
    walk(&finder, folder, path, root_length, 0, !well_formed((const unsigned char *)root));
    close(folder);
    *length = finder.length;
    *set_aside = finder.set_aside;
    *truncated = finder.truncated;
    if (!finder.found) finder.found = calloc(1, 1);
    return finder.found;
}
