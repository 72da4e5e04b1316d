#define _GNU_SOURCE
#include "csystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>
#include <linux/fs.h>
#endif
#if defined(__APPLE__)
#include <malloc/malloc.h>
#endif

int guidegen_rename_exchange(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#elif defined(__APPLE__)
    return renamex_np(from, to, RENAME_SWAP);
#else
    (void)from; (void)to;
    errno = ENOSYS;
    return -1;
#endif
}

size_t guidegen_heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#elif defined(__APPLE__)
    malloc_statistics_t info;
    malloc_zone_statistics(NULL, &info);
    return info.size_in_use;
#else
    return 0;
#endif
}

int guidegen_fix_mmap_threshold(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}

int guidegen_is_mount_point(const char *path) {
#if defined(__linux__) && defined(STATX_ATTR_MOUNT_ROOT)
    struct statx info;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &info) != 0) return -1;
    if (info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) return (info.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
#endif
    // Without the attribute (macOS, older Linux): a folder on another device than its parent is a mount point (a
    // bind mount of a folder on the same device is not seen; the swap then fails with EBUSY and the caller updates
    // in place).
    struct stat self, parent;
    char above[4096];
    if (snprintf(above, sizeof above, "%s/..", path) >= (int)sizeof above) return -1;
    if (lstat(path, &self) != 0 || stat(above, &parent) != 0) return -1;
    return self.st_dev != parent.st_dev ? 1 : 0;
}
