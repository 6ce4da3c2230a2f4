// See mybro_process.h. Everything the keeper runs after fork is a plain system call: the
// caller is multithreaded, so no allocation, no stdio, no locks there.
#define _GNU_SOURCE
#include "mybro_process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int mybro_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int mybro_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int mybro_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int mybro_set_dumpable(int dumpable) { return prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0); }

int mybro_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0); }

// ---- Landlock (the kernel's ABI, declared here: Debian's headers predate ABI 4) ----

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

struct mybro_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct mybro_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

enum {
    LL_EXECUTE = 1 << 0, LL_WRITE_FILE = 1 << 1, LL_READ_FILE = 1 << 2, LL_READ_DIR = 1 << 3,
    LL_REFER = 1 << 13, LL_TRUNCATE = 1 << 14, LL_IOCTL_DEV = 1 << 15,
};

int mybro_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
    return abi < 0 ? 0 : (int)abi;
}

uint64_t mybro_landlock_fs_rights(int abi) {
    if (abi < 1) return 0;
    uint64_t rights = (1ULL << 13) - 1;  // ABI 1: execute … make_sym
    if (abi >= 2) rights |= LL_REFER;
    if (abi >= 3) rights |= LL_TRUNCATE;
    if (abi >= 5) rights |= LL_IOCTL_DEV;
    return rights;
}

uint64_t mybro_landlock_fs_read_rights(int abi) {
    uint64_t rights = LL_EXECUTE | LL_READ_FILE | LL_READ_DIR;
    if (abi >= 5) rights |= LL_IOCTL_DEV;
    return abi < 1 ? 0 : rights;
}

uint64_t mybro_landlock_file_rights(int abi) {
    uint64_t rights = LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE;
    if (abi >= 3) rights |= LL_TRUNCATE;
    if (abi >= 5) rights |= LL_IOCTL_DEV;
    return abi < 1 ? 0 : rights;
}

int mybro_landlock_create(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped) {
    struct mybro_ruleset_attr attr = {handled_fs, handled_net, scoped};
    // The kernel takes the struct up to the last field this ABI knows.
    size_t size = scoped ? sizeof attr : handled_net ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
    long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0u);
    return fd < 0 ? -errno : (int)fd;
}

int mybro_landlock_allow_path(int ruleset, const char *path, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int saved = errno;
        close(fd);
        return -saved;
    }
    // Directory-only rights on a file make the rule invalid.
    if (!S_ISDIR(info.st_mode)) access &= mybro_landlock_file_rights(mybro_landlock_abi());
    struct mybro_path_beneath_attr rule = {access, fd};
    long result = syscall(SYS_landlock_add_rule, ruleset, 1 /* LANDLOCK_RULE_PATH_BENEATH */, &rule, 0u);
    int saved = errno;
    close(fd);
    return result < 0 ? -saved : 0;
}

// ---- the keeper ----

static int parse_int(const char *text, int *value) {
    int result = 0;
    if (*text < '0' || *text > '9') return 0;
    for (; *text; text++) {
        if (*text < '0' || *text > '9') return 0;
        result = result * 10 + (*text - '0');
    }
    *value = result;
    return 1;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

// The parent pid from /proc/PID/stat ("pid (comm) S ppid …"; comm may hold anything, so
// start after the last ')'); -1 when it cannot be read.
static int parent_of(int pid) {
    char path[64] = "/proc/";
    char digits[16];
    int length = 0;
    do { digits[length++] = (char)('0' + pid % 10); pid /= 10; } while (pid > 0);
    int at = 6;
    while (length > 0) path[at++] = digits[--length];
    memcpy(path + at, "/stat", 6);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buffer[1024];
    ssize_t count;
    do { count = read(fd, buffer, sizeof buffer - 1); } while (count < 0 && errno == EINTR);
    close(fd);
    if (count <= 0) return -1;
    buffer[count] = 0;
    char *close_paren = NULL;
    for (char *p = buffer; *p; p++) if (*p == ')') close_paren = p;
    if (!close_paren || close_paren[1] != ' ' || !close_paren[2] || close_paren[3] != ' ') return -1;
    int parent = 0;
    for (char *p = close_paren + 4; *p >= '0' && *p <= '9'; p++) parent = parent * 10 + (*p - '0');
    return parent;
}

// The children of `parent`, read from /proc: up to `capacity` pids into `children`; how many
// there are (which may be more).
static int children_of(pid_t parent, pid_t *children, int capacity) {
    int found = 0;
    int directory = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) return 0;
    char buffer[8192];
    for (;;) {
        long count = syscall(SYS_getdents64, directory, buffer, sizeof buffer);
        if (count <= 0) break;
        for (long offset = 0; offset < count;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(buffer + offset);
            offset += entry->d_reclen;
            int pid;
            if (parse_int(entry->d_name, &pid) && pid != parent && parent_of(pid) == parent) {
                if (found < capacity) children[found] = pid;
                found++;
            }
        }
    }
    close(directory);
    return found;
}

// SIGKILLs every direct child of this process (orphans re-parent to it, a subreaper, as their
// parents die); returns how many it found.
static int kill_children(void) {
    pid_t children[256];
    int found = children_of(getpid(), children, 256);
    for (int i = 0; i < found && i < 256; i++) kill(children[i], SIGKILL);
    return found;
}

static void pause_briefly(void) {
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
}

// 1 once no child is left (every process of the job gone), 0 when it gave up.
static int end_everything(pid_t job) {
    kill(-job, SIGKILL);
    for (int round = 0; round < 100000; round++) {
        int status, found = kill_children();
        while (waitpid(-1, &status, WNOHANG) > 0) {}
        if (found == 0 && waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD) return 1;
        pause_briefly();
    }
    return 0;
}

static void write_int(int fd, int32_t value) {
    ssize_t result;
    do { result = write(fd, &value, sizeof value); } while (result < 0 && errno == EINTR);
}

// Closes every descriptor but those in `keep` (read from /proc/self/fd; every descriptor up to
// 4096 where /proc is missing).
static void close_all_but(const int *keep, int kept) {
    int directory = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        for (int fd = 0; fd < 4096; fd++) {
            int wanted = 0;
            for (int i = 0; i < kept; i++) wanted |= keep[i] == fd;
            if (!wanted) close(fd);
        }
        return;
    }
    char buffer[4096];
    int closing[1024], count = 0;
    for (;;) {
        long length = syscall(SYS_getdents64, directory, buffer, sizeof buffer);
        if (length <= 0) break;
        for (long offset = 0; offset < length;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(buffer + offset);
            offset += entry->d_reclen;
            int fd;
            if (!parse_int(entry->d_name, &fd) || fd == directory) continue;
            int wanted = 0;
            for (int i = 0; i < kept; i++) wanted |= keep[i] == fd;
            if (!wanted && count < 1024) closing[count++] = fd;
        }
    }
    close(directory);
    for (int i = 0; i < count; i++) close(closing[i]);
}

static void reset_signals(int ignore) {
    static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
                                  SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ignore ? SIG_IGN : SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (unsigned i = 0; i < sizeof handled / sizeof handled[0]; i++) sigaction(handled[i], &action, NULL);
    action.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &action, NULL);
}

// A sandboxed job holds no capability, now or after exec (a root job would otherwise keep
// them all, and Landlock does not confine what they allow: device nodes, chown, the
// hostname, the clock, modules). The bounding set goes first: dropping it needs CAP_SETPCAP.
// 0, or an errno.
static int drop_capabilities(void) {
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int cap = 0; cap < 64; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    return syscall(SYS_capset, &header, data) == 0 ? 0 : errno;
}

// Set in the keeper before it forks the job: the job was to have a network namespace of its own
// with only its loopback (own_network 2), and none could be made.
static int network_namespace_missing;

// Brings the loopback of a new network namespace up (a new namespace's is down): a test suite's
// local server works, and the namespace has nothing else to reach. Best effort.
static void loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    memcpy(request.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &request) == 0) {
        request.ifr_flags |= IFF_UP | IFF_RUNNING;
        ioctl(fd, SIOCSIFFLAGS, &request);
    }
    close(fd);
}

// A second Landlock layer that takes TCP bind and connect away, for a job whose ruleset allowed
// them because its network namespace was to hold only its own loopback. 0, or errno.
static int deny_tcp(void) {
    int fd = mybro_landlock_create(0, MYBRO_LANDLOCK_NET_BIND_TCP | MYBRO_LANDLOCK_NET_CONNECT_TCP, 0);
    if (fd < 0) return mybro_landlock_abi() < 4 ? 0 : -fd;
    int code = syscall(SYS_landlock_restrict_self, fd, 0u) != 0 ? errno : 0;
    close(fd);
    return code;
}

// The job: its own session and group, dies with the keeper, confined, then exec.
static void become_job(const struct mybro_kept_job *job, int error_fd) {
    // A session of its own, without a controlling terminal: a job that could open /dev/tty
    // could push input into the user's terminal (TIOCSTI), which the shell there would run
    // once mybro ends, outside the sandbox. Where the keeper already made it a group leader
    // (setsid then fails), it gives up the terminal alone.
    if (setsid() < 0) {
        setpgid(0, 0);
        int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (tty >= 0) {
            ioctl(tty, TIOCNOTTY);
            close(tty);
        }
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    reset_signals(0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int code = 0;
    if (chdir(job->directory) != 0) code = errno;
    if (!code && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) code = errno;
    if (!code && job->ruleset_fd >= 0 && syscall(SYS_landlock_restrict_self, job->ruleset_fd, 0u) != 0) code = errno;
    if (!code && network_namespace_missing) code = deny_tcp();
    if (!code && job->ruleset_fd >= 0) code = drop_capabilities();
    if (!code) {
        // Lift the three descriptors clear of 0..2 first, so no dup2 overwrites another's source.
        int in = fcntl(job->stdin_fd, F_DUPFD, 10), out = fcntl(job->stdout_fd, F_DUPFD, 10);
        int err = fcntl(job->stderr_fd, F_DUPFD, 10);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) code = errno;
        int keep[] = {0, 1, 2, error_fd};
        if (!code) close_all_but(keep, 4);
    }
    if (!code) {
        execve(job->path, job->argv, job->envp);
        code = errno;
    }
    write_int(error_fd, code);
    _exit(127);
}

// Writes "<id> <id> 1" (own id mapped to itself) to a /proc/self map file.
static int write_map(const char *path, unsigned id) {
    char text[40];
    char digits[12];
    int length = 0, at = 0;
    do { digits[length++] = (char)('0' + id % 10); id /= 10; } while (id > 0);
    for (int copy = 0; copy < 2; copy++) {
        for (int i = length - 1; i >= 0; i--) text[at++] = digits[i];
        text[at++] = ' ';
    }
    text[at++] = '1';
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t written = write(fd, text, (size_t)at);
    close(fd);
    return written == at ? 0 : -1;
}

// A PID namespace for the job: every process in it dies with its first process. As root
// directly; as another user inside a user namespace that maps only the user's own ids. The
// keeper's next child is the namespace's first process. 1 when isolated.
static int isolate(void) {
    // With an IPC namespace of its own: System V shared memory, semaphores and message queues of
    // the user's other programs (an X client's images, a database's buffers) are out of reach.
    if (unshare(CLONE_NEWPID | CLONE_NEWIPC) == 0 || unshare(CLONE_NEWPID) == 0) return 1;
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (uid == 0 || (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0))
        return 0;
    // A non-dumpable process (mybro-exec is one) cannot open its own /proc/self/*_map files.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    int fd = open("/proc/self/setgroups", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t ignored = write(fd, "deny", 4);
        (void)ignored;
        close(fd);
    }
    int mapped = write_map("/proc/self/uid_map", uid) == 0 && write_map("/proc/self/gid_map", gid) == 0;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return mapped;
}

// Covers each path in this mount namespace: a directory with an empty read-only tmpfs, a file
// with /dev/null. 1 when all are covered (paths that no longer exist need nothing).
static int mask_paths(char *const *paths) {
    for (; *paths; paths++) {
        struct stat info;
        if (lstat(*paths, &info) != 0) continue;
        int result = S_ISDIR(info.st_mode)
                         ? mount("tmpfs", *paths, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
                         : mount("/dev/null", *paths, NULL, MS_BIND, NULL);
        if (result != 0) return 0;
    }
    return 1;
}

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

struct mybro_mount_attr {
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};

// Makes every mount of this (private) mount namespace read-only except the writable paths, each
// bound onto itself first: Landlock has no right for chmod, chown, utimes or xattrs, so
// without this a job could still change those outside its workspace. Devices, FIFOs and
// sockets stay usable on a read-only mount. 1 when done.
static int make_read_only_except(char *const *writable, char *const *read_only) {
    for (char *const *path = writable; *path; path++) {
        struct stat info;
        if (stat(*path, &info) != 0) continue;
        if (mount(*path, *path, NULL, MS_BIND | MS_REC, NULL) != 0) return 0;
    }
    struct mybro_mount_attr set = {1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0};
    if (syscall(SYS_mount_setattr, AT_FDCWD, "/", 0x8000 /* AT_RECURSIVE */, &set, sizeof set) != 0) return 0;
    struct mybro_mount_attr clear = {0, 1 /* MOUNT_ATTR_RDONLY */, 0, 0};
    for (char *const *path = writable; *path; path++) {
        struct stat info;
        if (stat(*path, &info) != 0) continue;
        if (syscall(SYS_mount_setattr, AT_FDCWD, *path, 0, &clear, sizeof clear) != 0) return 0;
    }
    // Beneath a writable path, what must stay as it is: each bound onto itself and made
    // read-only (a rename onto it fails too, since it is a mount point).
    for (char *const *path = read_only; path && *path; path++) {
        struct stat info;
        if (lstat(*path, &info) != 0 || S_ISLNK(info.st_mode)) continue;
        if (mount(*path, *path, NULL, MS_BIND | MS_REC, NULL) != 0) return 0;
        if (syscall(SYS_mount_setattr, AT_FDCWD, *path, 0x8000 /* AT_RECURSIVE */, &set, sizeof set) != 0) return 0;
    }
    return 1;
}

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#define MYBRO_OPEN_TREE_CLONE 1
#define MYBRO_MOVE_MOUNT_F_EMPTY_PATH 0x4
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define MYBRO_RESOLVE_NO_MAGICLINKS 0x02
#define MYBRO_RESOLVE_NO_SYMLINKS 0x04
struct mybro_open_how {
    uint64_t flags, mode, resolve;
};
#define MYBRO_AT_RECURSIVE 0x8000
// The most paths one private folder keeps (each is held as a detached mount while it is covered),
// and the most private folders.
#define MYBRO_MAX_KEPT 256
#define MYBRO_MAX_PRIVATE 24

// Whether `path` lies strictly beneath the folder `folder` (both absolute, normalized).
static int is_beneath(const char *path, const char *folder) {
    size_t length = strlen(folder);
    if (length == 1 && folder[0] == '/') return path[0] == '/' && path[1] != 0;
    return strncmp(path, folder, length) == 0 && path[length] == '/';
}

// Appends the digits of `value` in `base` at `at`; returns the new end.
static char *append_number(char *at, unsigned long value, unsigned base) {
    char digits[24];
    int length = 0;
    do { digits[length++] = (char)('0' + value % base); value /= base; } while (value > 0);
    while (length > 0) *at++ = digits[--length];
    return at;
}

// Makes the folders leading to `path` in a fresh private folder, and `path` itself as the point
// a kept mount is moved onto: a folder, or an empty file for anything else (a socket, a file).
static int make_mount_point(const char *path, int folder) {
    char buffer[4096];
    size_t length = strlen(path);
    if (length >= sizeof buffer) return -1;
    memcpy(buffer, path, length + 1);
    for (char *at = buffer + 1; *at; at++) {
        if (*at != '/') continue;
        *at = 0;
        if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return -1;
        *at = '/';
    }
    if (folder) return mkdir(buffer, 0755) == 0 || errno == EEXIST ? 0 : -1;
    int fd = open(buffer, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

// Covers `folder` with an overlay whose lower layer is the folder as it is and whose upper layer
// is a folder of the scratch tmpfs (`*scratch`, mounted on the first layered folder itself when
// it is -1; one tmpfs for all the layers, so they share one size limit): the job reads
// what was there and writes only into its own layer, which goes with the job. 1 when mounted.
static int make_layer(const char *folder, const struct stat *info, int *scratch, int slot) {
    int lower = open(folder, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (lower < 0) return 0;
    if (*scratch < 0) {
        // Mode 0700: beneath the overlay that covers it next, out of reach anyway.
        if (mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=20%,mode=0700") != 0) {
            close(lower);
            return 0;
        }
        *scratch = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (*scratch < 0) {
            close(lower);
            return 0;
        }
    }
    char upper[16] = "u", work[16] = "w";
    *append_number(upper + 1, (unsigned long)slot, 10) = 0;
    *append_number(work + 1, (unsigned long)slot, 10) = 0;
    // The upper folder's mode and owner are the overlay's root's: the folder's own mode (the
    // keeper is its owner: only the user's own folders are layered).
    if (mkdirat(*scratch, upper, 0700) != 0 || fchmodat(*scratch, upper, info->st_mode & 07777, 0) != 0 ||
        mkdirat(*scratch, work, 0700) != 0) {
        close(lower);
        return 0;
    }
    char options[160] = "userxattr,lowerdir=/proc/self/fd/";
    char *at = options + strlen(options);
    at = append_number(at, (unsigned long)lower, 10);
    memcpy(at, ",upperdir=/proc/self/fd/", 24);
    at = append_number(at + 24, (unsigned long)*scratch, 10);
    *at++ = '/';
    memcpy(at, upper, strlen(upper));
    at += strlen(upper);
    memcpy(at, ",workdir=/proc/self/fd/", 23);
    at = append_number(at + 23, (unsigned long)*scratch, 10);
    *at++ = '/';
    memcpy(at, work, strlen(work) + 1);
    // user.* attributes for the overlay's own bookkeeping (a user namespace may not write
    // trusted.* ones); a tmpfs holds them from Linux 6.6. Root, outside any user namespace,
    // may use trusted.* ones where it cannot.
    int done = mount("overlay", folder, "overlay", MS_NOSUID | MS_NODEV, options) == 0 ||
               (getuid() == 0 && mount("overlay", folder, "overlay", MS_NOSUID | MS_NODEV, options + 10) == 0);
    close(lower);
    return done;
}

// Replaces a folder the whole session shares (/tmp, /dev/shm, the runtime folder) with an empty
// tmpfs of the same mode, and puts back the paths in `kept` beneath it (the
// workspace, the job's TMPDIR, a socket a credential needs): what the session makes there
// while the job runs, a tmux or ssh-agent socket, never appears to the job. The kept paths are
// taken as detached copies of their mounts before the folder is covered, then moved onto
// points made in the tmpfs. A `layered` folder (a cache) is covered by an overlay of itself
// instead (make_layer). 1 when done (or the folder is not there to cover), 0 on failure.
static int make_private(const char *folder, char *const *kept, char *const *writable, char *const *privates,
                        int layered, int *scratch, int slot) {
    struct stat info;
    if (lstat(folder, &info) != 0 || !S_ISDIR(info.st_mode)) return 1;
    int trees[MYBRO_MAX_KEPT];
    const char *points[MYBRO_MAX_KEPT];
    int folders[MYBRO_MAX_KEPT];
    int count = 0, ok = 1, read_only_folder = 0;
    for (int index = 0; kept && kept[index] && ok; index++) {
        const char *path = kept[index];
        if (!is_beneath(path, folder)) continue;
        // Only the outermost of nested kept paths (the copy is recursive), and each path once.
        int nested = 0;
        for (int other = 0; kept[other] && !nested; other++) {
            if (other == index || !is_beneath(kept[other], folder)) continue;
            nested = is_beneath(path, kept[other]) || (other < index && strcmp(path, kept[other]) == 0);
        }
        if (nested) continue;
        // Opened without following any link on the way: the paths are real paths, so a link
        // there now was swapped in since (another user's folder in /tmp renamed for a link to
        // the user's tmux folder would graft that socket into the job). Such a path is left out.
        struct mybro_open_how how = {O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, MYBRO_RESOLVE_NO_SYMLINKS | MYBRO_RESOLVE_NO_MAGICLINKS};
        int opened = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
        struct stat entry;
        if (opened < 0) continue;
        if (fstat(opened, &entry) != 0 || S_ISLNK(entry.st_mode)) {
            close(opened);
            continue;
        }
        if (count == MYBRO_MAX_KEPT) {
            close(opened);
            ok = 0;
            break;
        }
        int tree = (int)syscall(SYS_open_tree, opened, "",
                                MYBRO_OPEN_TREE_CLONE | O_CLOEXEC | MYBRO_AT_RECURSIVE | AT_EMPTY_PATH);
        close(opened);
        if (tree < 0) {
            ok = 0;
            break;
        }
        trees[count] = tree;
        points[count] = path;
        folders[count] = S_ISDIR(entry.st_mode);
        if (folders[count]) {
            // Writable in its own right: the private folders themselves are on that list too.
            int kept_writable = 0;
            for (char *const *other = writable; other && *other && !kept_writable; other++) {
                int is_private = 0;
                for (char *const *each = privates; *each && !is_private; each++) is_private = strcmp(*other, *each) == 0;
                kept_writable = !is_private && (strcmp(path, *other) == 0 || is_beneath(path, *other));
            }
            if (!kept_writable) read_only_folder = 1;
        }
        count++;
    }
    if (ok) {
        // Its owner is whoever mounts it: the user itself, or root (a user namespace maps no
        // other id, so the host folder's owner could not be named). A fifth of memory at most:
        // tmpfs pages are not the job's to the OOM killer, and there are four such folders.
        // A layered folder the overlay could not cover becomes an empty one instead: the job
        // still writes nothing of the user's.
        if (!layered || !make_layer(folder, &info, scratch, slot)) {
            char options[48] = "size=20%,mode=";
            *append_number(options + 14, info.st_mode & 07777, 8) = 0;
            ok = mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
        }
    }
    for (int index = 0; index < count; index++) {
        if (ok)
            ok = make_mount_point(points[index], folders[index]) == 0 &&
                 syscall(SYS_move_mount, trees[index], "", AT_FDCWD, points[index], MYBRO_MOVE_MOUNT_F_EMPTY_PATH) == 0;
        close(trees[index]);
    }
    // 2: done, and a folder put back read-only lies beneath it, so the job may not have write
    // rights on the whole tree (they would reach a FIFO or device node in that folder).
    return ok ? (read_only_folder ? 2 : 1) : 0;
}

// The first process of the job's PID namespace: mounts the namespace's own /proc, starts the
// job, and reports its end to the keeper; when it exits, the kernel kills whatever is left.
static void be_first_process(const struct mybro_kept_job *job, int error_fd, int go_fd, int status_fd) {
    // If the keeper is killed, this process goes too, and the kernel ends the namespace with it.
    // (Its parent lies outside its namespace, so getppid() cannot tell whether that already
    // happened; the window is a few instructions after fork.)
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // A mount namespace of its own (the keeper keeps reading the host's /proc), where the
    // namespace's own /proc hides every process outside it.
    int own_mounts = unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
    // The session's shared folders, made private before the read-only pass (their kept paths
    // are then read-only mounts like any other, their tmpfs writable).
    int private_folders = own_mounts && job->private_paths;
    int writable_private[MYBRO_MAX_PRIVATE] = {0};
    int scratch = -1;
    for (int index = 0; private_folders && job->private_paths[index]; index++) {
        int layered = 0;
        for (char *const *each = job->layered_paths; each && *each && !layered; each++)
            layered = strcmp(*each, job->private_paths[index]) == 0;
        int made = index < MYBRO_MAX_PRIVATE ? make_private(job->private_paths[index], job->kept_paths,
                                                            job->writable_paths, job->private_paths, layered,
                                                            &scratch, index)
                                             : 0;
        private_folders = made != 0;
        writable_private[index] = made == 1;
    }
    // Read-only first, so the fresh /proc mounted next stays writable.
    int read_only = own_mounts && job->writable_paths && make_read_only_except(job->writable_paths, job->read_only_paths);
    // A private folder is the job's alone: it may write there (Landlock's rule for the host's
    // folder names another inode). Only beside read-only mounts, which keep the paths put back
    // beneath it (a home folder under /tmp) from being written through this rule.
    if (private_folders && read_only && job->ruleset_fd >= 0) {
        for (int index = 0; job->private_paths[index]; index++) {
            if (writable_private[index])
                mybro_landlock_allow_path(job->ruleset_fd, job->private_paths[index],
                                          mybro_landlock_fs_rights(mybro_landlock_abi()));
        }
    }
    int private_proc = own_mounts && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0;
    // The ruleset's rule for /proc named the host's; the job reads this one instead.
    if (private_proc && job->ruleset_fd >= 0)
        mybro_landlock_allow_path(job->ruleset_fd, "/proc", mybro_landlock_fs_read_rights(mybro_landlock_abi()));
    // The host's /dev/pts holds the user's other terminals: a job could read what is typed
    // there (a sudo password) or write onto them. It gets an instance of its own, where its own
    // pseudo-terminals still work.
    int private_terminals =
        own_mounts &&
        mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") == 0;
    if (private_terminals && job->ruleset_fd >= 0)
        mybro_landlock_allow_path(job->ruleset_fd, "/dev/pts", mybro_landlock_fs_rights(mybro_landlock_abi()));
    // What was asked for and not done: the job may read (or change the metadata of) everything
    // else, so it must not run.
    if ((job->masked_paths && !(private_proc && private_terminals && mask_paths(job->masked_paths))) ||
        (job->writable_paths && !read_only) || (job->private_paths && !private_folders)) {
        close(error_fd);
        write_int(status_fd, -EACCES);
        _exit(1);
    }
    pid_t leader = fork();
    if (leader == 0) {
        close(go_fd);
        close(status_fd);
        become_job(job, error_fd);
    }
    close(error_fd);
    write_int(status_fd, leader < 0 ? -errno : (private_proc ? 2 : 0) | (read_only ? 4 : 0) | (private_folders ? 16 : 0));
    if (leader < 0) _exit(1);
    // The keeper finds the job's pid (as its own namespace numbers it) before we may reap it.
    char byte;
    while (read(go_fd, &byte, 1) < 0 && errno == EINTR) {}
    close(go_fd);
    for (;;) {
        int status;
        pid_t ended = waitpid(-1, &status, 0);
        if (ended == leader) {
            write_int(status_fd, status);
            _exit(0);
        }
        if (ended < 0 && errno != EINTR) _exit(0);
    }
}

// The job's pid as this process sees it: the one child of `parent`.
static pid_t only_child_of(pid_t parent) {
    for (int attempt = 0; attempt < 2000; attempt++) {
        pid_t child;
        if (children_of(parent, &child, 1) > 0) return child;
        pause_briefly();
    }
    return -1;
}

static int read_int(int fd, int32_t *value) {
    ssize_t got;
    do { got = read(fd, value, sizeof *value); } while (got < 0 && errno == EINTR);
    return got == (ssize_t)sizeof *value;
}

static void keep(const struct mybro_kept_job *job) {
    setpgid(0, 0);  // out of the caller's group: a Ctrl-C for the caller must not end the keeper
    reset_signals(1);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    sigset_t children;
    sigemptyset(&children);
    sigaddset(&children, SIGCHLD);
    sigprocmask(SIG_SETMASK, &children, NULL);
    int child_events = signalfd(-1, &children, SFD_CLOEXEC | SFD_NONBLOCK);
    int errors[2], go[2], statuses[2];
    if (pipe2(errors, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0 || pipe2(statuses, O_CLOEXEC) != 0) {
        write_int(job->report_fd, -errno);
        _exit(1);
    }
    int kept[] = {job->stdin_fd,  job->stdout_fd, job->stderr_fd, job->ruleset_fd, job->lifeline_fd,
                  job->report_fd, child_events,   errors[0],      errors[1],      go[0],
                  go[1],          statuses[0],    statuses[1],    job->death_mark_fd};
    close_all_but(kept, 14);
    int isolated = isolate();
    // The keeper holds the capabilities of its (user) namespace now; its children share this one.
    int own_network = isolated && job->own_network && unshare(CLONE_NEWNET) == 0;
    if (own_network && job->own_network == 2) loopback_up();
    network_namespace_missing = job->own_network == 2 && !own_network;
    if (!isolated && (job->masked_paths || job->writable_paths || job->private_paths)) {
        write_int(job->report_fd, -EACCES);
        _exit(1);
    }

    pid_t first = fork();
    if (first == 0) {
        close(errors[0]);
        close(go[1]);
        close(statuses[0]);
        close(job->report_fd);
        close(job->lifeline_fd);
        if (job->death_mark_fd >= 0) close(job->death_mark_fd);  // the record is never the job's
        if (isolated) be_first_process(job, errors[1], go[0], statuses[1]);
        close(go[0]);
        close(statuses[1]);
        become_job(job, errors[1]);
    }
    if (first < 0) {
        write_int(job->report_fd, -errno);
        _exit(1);
    }
    close(errors[1]);
    close(go[0]);
    close(statuses[1]);
    close(job->stdin_fd);
    if (job->stdout_fd != job->stdin_fd) close(job->stdout_fd);
    if (job->stderr_fd != job->stdin_fd && job->stderr_fd != job->stdout_fd) close(job->stderr_fd);
    if (job->ruleset_fd >= 0) close(job->ruleset_fd);
    int32_t failure = 0, flags = 0;
    int failed = read_int(errors[0], &failure);
    close(errors[0]);
    pid_t leader = first;
    if (!isolated) {
        setpgid(first, first);
    } else if (!read_int(statuses[0], &flags) || flags < 0) {
        failed = 1;
        if (!failure) failure = flags < 0 ? -flags : EIO;
    } else if (!failed) {
        leader = only_child_of(first);
        if (leader < 0) {
            failed = 1;
            failure = ESRCH;
        }
    }
    if (failed) {
        kill(first, SIGKILL);
        int status;
        while (waitpid(first, &status, 0) < 0 && errno == EINTR) {}
        write_int(job->report_fd, -failure);
        _exit(0);
    }
    write_int(job->report_fd, leader);
    write_int(job->report_fd, isolated ? 1 | flags | (own_network ? 8 : 0) : 0);
    close(go[1]);  // the first process may now reap the job

    struct pollfd watched[3] = {{job->lifeline_fd, POLLIN, 0}, {child_events, POLLIN, 0}, {statuses[0], POLLIN, 0}};
    int reported = 0;
    for (;;) {
        watched[2].fd = isolated && !reported ? statuses[0] : -1;
        int ready = poll(watched, 3, child_events >= 0 ? -1 : 20);
        if (ready < 0 && errno != EINTR) break;
        if (child_events >= 0 && (watched[1].revents & POLLIN)) {
            struct signalfd_siginfo info;
            while (read(child_events, &info, sizeof info) > 0) {}
        }
        if (watched[2].revents) {
            int32_t status;
            if (read_int(statuses[0], &status)) write_int(job->report_fd, status);
            else write_int(job->report_fd, SIGKILL);  // the first process died: so did the job
            reported = 1;
        }
        int status;
        pid_t ended;
        while ((ended = waitpid(-1, &status, WNOHANG)) > 0) {
            if (!isolated && ended == leader) write_int(job->report_fd, status);
        }
        // Readable means end of file (or a stray byte): either way the caller is done with us.
        if (watched[0].revents & (POLLIN | POLLHUP | POLLERR)) break;
    }
    if (isolated) kill(first, SIGKILL);  // the kernel ends the whole namespace with it
    // Only once nothing of the job is left (a namespace's first process is reaped after the
    // last of the others): whatever changes later is not the job's doing.
    if (end_everything(leader) && job->death_mark_fd >= 0) {
        futimens(job->death_mark_fd, NULL);
        fchmod(job->death_mark_fd, 0400);
    }
    _exit(0);
}

pid_t mybro_spawn_kept_job(const struct mybro_kept_job *job) {
    pid_t keeper = fork();
    if (keeper < 0) return -errno;
    if (keeper == 0) keep(job);
    return keeper;
}
