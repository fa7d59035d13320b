/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * copy_file_range that copies nothing. vfs_copy_file_range()
 * (fs/read_write.c) hands the call to the destination's own
 * ->copy_file_range if it has one (NFS, CIFS, FUSE, Ceph: the server copies
 * or clones, the client cannot tell which), else, when both files are on
 * one super block whose ->remap_file_range is there (XFS, btrfs, OCFS2,
 * overlayfs), it asks the file system to share the extents (reflink): when
 * that returns bytes, the call is done and no byte was read or written.
 * Only when neither serves does it splice (a CPU copy through the page
 * cache, kernel -> kernel). One call is one of the three, never a mix.
 * Seen on 6.18 with an XFS image: 64 MiB remapped with no page inserted by
 * a write; from an unaligned offset, refused and spliced, every page
 * inserted (tests/integration/test_programs.c).
 *
 * When the call is described (io.bpf.h) the row is marked IOF_MAY_REMAP when a remap or the file
 * system's own copy may serve it, and IOF_REMAP_WATCHED when that file
 * system is XFS and xfs:xfs_reflink_remap_range is attached (targ_remap_xfs):
 * XFS fires it once xfs_reflink_remap_prep() has accepted the range, in the
 * calling thread, before it remaps the blocks, and remap_mark() then marks
 * the row IOF_REMAPPED (other callers, the FICLONE and FICLONERANGE ioctls,
 * are counted apart: remapped_by_ioctl). A watched call not marked was
 * spliced (a copy); an unwatched one is "copied or remapped, unknown"
 * (user/ledger.c).
 */
#ifndef REMAP_BPF_H
#define REMAP_BPF_H

#include "maps.bpf.h"
#include <bpf/bpf_core_read.h>

#define XFS_SUPER_MAGIC_ 0x58465342 /* include/uapi/linux/magic.h */

const volatile bool targ_remap_xfs = false; /* xfs_reflink_remap_range attached */

/* IOF_MAY_REMAP / IOF_REMAP_WATCHED for copy_file_range from @in to @out (struct file *). */
static __always_inline __u32 remap_flags(__u64 in, __u64 out)
{
	struct file *fin = (struct file *)in, *fout = (struct file *)out;
	struct super_block *sb;

	if (!fin || !fout)
		return 0;
	if (BPF_CORE_READ(fout, f_op, copy_file_range))
		return IOF_MAY_REMAP;
	sb = BPF_CORE_READ(fin, f_inode, i_sb);
	if (!BPF_CORE_READ(fin, f_op, remap_file_range) || sb != BPF_CORE_READ(fout, f_inode, i_sb))
		return 0;
	if (targ_remap_xfs && BPF_CORE_READ(sb, s_magic) == XFS_SUPER_MAGIC_)
		return IOF_MAY_REMAP | IOF_REMAP_WATCHED;
	return IOF_MAY_REMAP;
}

/*
 * XFS is sharing extents in the call @fl (NULL: not in a data syscall):
 * true when it is a copy_file_range, now marked.
 */
static __always_inline bool remap_mark(struct ipct_inflight *fl)
{
	if (!fl || fl->key.op != IO_COPY_RANGE)
		return false;
	fl->key.flags |= IOF_REMAPPED;
	return true;
}

#endif /* REMAP_BPF_H */
