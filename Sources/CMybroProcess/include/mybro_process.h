// The system calls mybro's one process layer needs that Swift's Glibc module does not
// declare (posix_spawn's chdir/closefrom actions, prctl, Landlock), and the job keeper,
// which has to run between fork and exec where Swift code must not run.
#ifndef MYBRO_PROCESS_H
#define MYBRO_PROCESS_H

#include <spawn.h>
#include <stdint.h>
#include <sys/types.h>

// posix_spawn_file_actions_addchdir_np (glibc 2.29) and _addclosefrom_np (2.34).
int mybro_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
int mybro_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

// pipe2(fds, O_CLOEXEC): a GNU call Swift's Glibc module hides.
int mybro_pipe_cloexec(int fds[2]);

// The Landlock ABI the kernel offers (0 when it has none).
int mybro_landlock_abi(void);
// The access rights known at `abi` (file system, network, scopes).
uint64_t mybro_landlock_fs_rights(int abi);
uint64_t mybro_landlock_fs_read_rights(int abi);
uint64_t mybro_landlock_file_rights(int abi);
// A ruleset handling those rights; a file descriptor, or -errno.
int mybro_landlock_create(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped);
// Allows `access` beneath `path` (or on the file `path`; directory-only rights are dropped for
// files); 0, or -errno.
int mybro_landlock_allow_path(int ruleset, const char *path, uint64_t access);
// Network access rights and scopes (Landlock ABI 4 and 6).
#define MYBRO_LANDLOCK_NET_BIND_TCP (1ULL << 0)
#define MYBRO_LANDLOCK_NET_CONNECT_TCP (1ULL << 1)
#define MYBRO_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define MYBRO_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

// prctl wrappers (prctl is variadic, which Swift cannot call).
int mybro_set_dumpable(int dumpable);
int mybro_set_parent_death_signal(int signal);

// A job started under a keeper.
//
// The keeper is a forked copy of the caller that never runs Swift: it becomes a child
// subreaper, starts the job in a process group of its own (with no_new_privs and the Landlock
// ruleset, when given), reports on `report_fd`, and when `lifeline_fd` hangs up (the caller
// closed its end, or died, even by SIGKILL) it kills every process left beneath it, daemons
// that called setsid included, reaps them, and exits.
//
// Where it can (root, or a user allowed user namespaces), the keeper starts the job in a PID
// namespace of its own with its own /proc: then the kernel itself ends every process of the
// job with it, and the job sees no process outside (none of their /proc/PID/environ).
//
// report_fd receives native int32 values: the job's pid (or -errno when it could not be
// started); its isolation, a bit set (1: its own PID namespace, 2: its own /proc, 4: every
// mount but the writable paths read-only, 8: its own network namespace, 16: private shared
// folders); then the job leader's raw wait status once it ends.
struct mybro_kept_job {
    const char *path;        // the executable, already resolved
    char *const *argv;
    char *const *envp;
    const char *directory;   // the job's working directory
    int stdin_fd, stdout_fd, stderr_fd;
    int ruleset_fd;          // -1: no Landlock
    int lifeline_fd;         // read end
    int report_fd;           // write end
    // NULL, or paths (NULL-terminated) to cover in the job's own mount namespace: the job starts
    // only if each is covered (a directory by an empty read-only tmpfs, a file by /dev/null).
    char *const *masked_paths;
    // NULL, or paths (NULL-terminated) that stay writable when every other mount of the job's
    // mount namespace is made read-only; the job starts only if that is done.
    char *const *writable_paths;
    // NULL, or paths (NULL-terminated) beneath the writable ones that are made read-only again
    // (a repository's .git/hooks and .git/config); needs writable_paths.
    char *const *read_only_paths;
    // 1: the job gets a network namespace of its own (nothing but a loopback that is down: no
    // UDP, no abstract unix sockets of the host), where it gets a PID namespace. 2: the same
    // with its loopback up (local servers work, nothing else is reached); where no namespace
    // can be made, a second Landlock layer takes TCP away instead.
    int own_network;
    // NULL, or folders the whole session shares (/tmp, /dev/shm, the runtime folder), each
    // replaced in the job's mount namespace by an empty tmpfs of the same mode that the
    // job may write (where the mounts are read-only too), with the `kept_paths` beneath it put
    // back as read-only mounts (writable where writable_paths names them). The job starts only
    // if that is done.
    char *const *private_paths;
    // NULL, or absolute real paths (NULL-terminated) that stay visible beneath the private folders.
    char *const *kept_paths;
    // NULL, or those of the private folders the job sees as they are, through an overlay whose
    // upper layer (a tmpfs, one for all) takes its writes and goes with it: a cache it may use
    // and fill, but not plant anything in for a later build. Where the overlay cannot be made
    // the folder is private and empty like the others.
    char *const *layered_paths;
    // -1, or a file the keeper marks once every process of the job is gone (mode 0400, times
    // now): the caller's record of what the job may not leave behind, which then tells a later
    // reader which changes came after the job. Never passed on to the job.
    int death_mark_fd;
};
// The keeper's pid, or -errno.
pid_t mybro_spawn_kept_job(const struct mybro_kept_job *job);

#endif
