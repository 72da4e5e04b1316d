#ifndef GUIDEGEN_CSYSTEM_H
#define GUIDEGEN_CSYSTEM_H

/// Swaps two paths in one step (Linux renameat2 with RENAME_EXCHANGE, macOS renamex_np with
/// RENAME_SWAP): readers see one or the other, never neither. Returns 0, or -1 with errno set
/// (EINVAL/ENOSYS/ENOTSUP where the kernel or file system cannot exchange).
int guidegen_rename_exchange(const char *from, const char *to);

#include <stddef.h>

/// Bytes the C allocator has handed out and not taken back (glibc's mallinfo2: arena and mmapped
/// blocks in use; macOS: the malloc zones' bytes in use), for `--timings`; 0 where the C library
/// cannot say.
size_t guidegen_heap_in_use(void);

/// Fixes the size from which malloc maps a block of its own (returned to the system when freed):
/// glibc raises it after the first such block is freed. Returns 1, or 0 where it cannot be set.
int guidegen_fix_mmap_threshold(size_t bytes);

/// Whether `path` is where a file system is mounted (a Docker volume, a bind mount): such a folder cannot be
/// renamed or swapped. 1 if it is, 0 if not, -1 with errno set if it cannot be told.
int guidegen_is_mount_point(const char *path);

#endif
