/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an fd of the current task refers to, read from its file table with
 * CO-RE (task->files->fdt->fd[n]). Called only at the entry of syscalls
 * that move data, for traced processes.
 */
#ifndef FDCLASS_BPF_H
#define FDCLASS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "compat.bpf.h"
#include "maps.bpf.h"

/* From uapi headers, which cannot be included next to vmlinux.h. */
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define O_DIRECT_X86 00040000
#define PIPEFS_MAGIC 0x50495045
#define ANON_INODE_FS_MAGIC 0x09041934
#define TMPFS_MAGIC 0x01021994
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define FMODE_WRITE_FLAG 0x2

/*
 * bpf_rdonly_cast ("bpf: Add a kfunc for generic type cast" (commit not verified),
 * 6.2): a pointer of kernel type @btf_id from any address, whose fields are
 * plain (fault-safe) loads, not helper calls; the verifier turns the call
 * into a move. Not an extern __ksym: libbpf would read the kernel's BTF to
 * resolve it (10 to 13 ms of start-up, test_env's test_libbpf_skips_kernel_btf)
 * where user/probe.c has found its id already. The kfunc call is written
 * as it is encoded (BPF_CALL, src_reg BPF_PSEUDO_KFUNC_CALL), its imm a
 * marker that user/probe.c (patch_casts()) replaces at load with the
 * kfunc's id, or before 6.2 with "r0 = r1". tp_btf programs only: the
 * load hook that patches it is theirs.
 */

static __always_inline void *rdonly_cast(const void *obj, __u32 btf_id)
{
	register const void *r1 asm("r1") = obj;
	register __u32 r2 asm("r2") = btf_id;
	register void *r0 asm("r0");

	_Static_assert(IPCT_KFUNC_MARK == 0x7eadbeef, "the marker below");
	asm volatile(".8byte 0x7eadbeef00002085" /* call kfunc #IPCT_KFUNC_MARK */
		     : "=r"(r0)
		     : "r"(r1), "r"(r2)
		     : "r3", "r4", "r5", "memory");
	return r0;
}

/*
 * @task, the current one, as a pointer the verifier does not trust: the
 * same loads, checked for less. A typed load of a pointer field through a
 * trusted pointer (bpf_get_current_task_btf()'s) makes 6.18's verifier
 * search the kernel's BTF by name up to four times
 * (btf_nested_type_is_trusted(), a linear walk of 126,000 types); through
 * this one, none. sys_exit_btf's verification took 34 ms, now 10;
 * pc_add_btf's 17, now 6. Before 6.2 the same pointer (the cast is a
 * move). Not for helpers that take a task (bpf_task_pt_regs() wants a
 * trusted one).
 */
static __always_inline struct task_struct *task_plain(struct task_struct *task)
{
	return rdonly_cast(task, targ_task_btf_id);
}

/*
 * The task pointer from bpf_get_current_task_btf() is typed: the walk to
 * the fd table is plain (fault-safe) loads, not helper calls; only the
 * array slot, indexed by a runtime value, needs bpf_probe_read_kernel().
 */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = current_task();
	struct fdtable *fdt;
	struct file *f = NULL;
	unsigned long fds;
	unsigned int max;

	if (has_task_btf()) {
		fdt = task_plain(task)->files->fdt;
		max = fdt ? fdt->max_fds : 0;
		fds = fdt ? (unsigned long)fdt->fd : 0;
	} else { /* 5.10: an untyped task (compat.bpf.h), so helper reads */
		fdt = BPF_CORE_READ(task, files, fdt);
		max = fdt ? BPF_CORE_READ(fdt, max_fds) : 0;
		fds = fdt ? (unsigned long)BPF_CORE_READ(fdt, fd) : 0;
	}
	if (fd < 0 || !fdt || (unsigned int)fd >= max)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), (void *)(fds + (unsigned long)fd * sizeof(f)));
	return f;
}

static __always_inline __u8 sock_kind(struct file *f)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 type = BPF_CORE_READ(sk, sk_type);

	if (family == AF_UNIX)
		return FD_UNIX;
	if (family == AF_INET || family == AF_INET6)
		return type == SOCK_STREAM ? FD_TCP : type == SOCK_DGRAM ? FD_UDP : FD_SOCK;
	return FD_SOCK;
}

/* files.bpf.h: the per-file table's key for @inode: (device, inode number, generation). */
static __always_inline void file_key(struct inode *inode, struct ipct_file_key *k)
{
	k->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	k->gen = BPF_CORE_READ(inode, i_generation);
	k->ino = BPF_CORE_READ(inode, i_ino);
}

/*
 * What the driver of character device @inode does (enum ipct_chr_class),
 * from its number: the kernel's dev_t is major << 20 | minor.
 */
static __always_inline __u8 chr_class(struct inode *inode)
{
	__u32 rdev = BPF_CORE_READ(inode, i_rdev);
	__u32 major = rdev >> 20, minor = rdev & 0xfffff;

	if (major == 1)
		return minor == 3 ? CHR_NULL : minor == 5 ? CHR_ZERO : minor == 7 ? CHR_FULL
		       : minor == 8 || minor == 9 ? CHR_RANDOM : CHR_UNKNOWN;
	if (major == 4 || (major == 5 && minor <= 2) || (major >= 136 && major <= 143))
		return CHR_TTY;
	return CHR_UNKNOWN;
}

/*
 * Kind of file @f; for regular files and block devices, whether O_DIRECT
 * is a device's (not tmpfs); for character devices, what their driver does.
 */
static __always_inline __u8 file_kind(struct file *f, __u8 *can_direct, __u8 *chr)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	__u16 mode = BPF_CORE_READ(inode, i_mode) & S_IFMT;
	unsigned long magic;

	switch (mode) {
	case S_IFREG:
		magic = BPF_CORE_READ(inode, i_sb, s_magic);
		/* anon inodes are S_IFREG since 6.15 (no type bits before) */
		if (magic == ANON_INODE_FS_MAGIC)
			return FD_ANON;
		/*
		 * tmpfs takes O_DIRECT since 6.6 but serves it through its page
		 * cache like a buffered read or write (mm/shmem.c): CPU copies,
		 * no device DMA. Count it as what it is.
		 */
		*can_direct = magic != TMPFS_MAGIC;
		return FD_REG;
	case S_IFIFO:
		return BPF_CORE_READ(inode, i_sb, s_magic) == PIPEFS_MAGIC ? FD_PIPE : FD_FIFO;
	case S_IFSOCK:
		return sock_kind(f);
	case S_IFCHR:
		*chr = chr_class(inode);
		return FD_CHR;
	case S_IFBLK:
		/*
		 * O_DIRECT on a block device: blkdev_direct_IO() hands the user's
		 * pages to the driver, no page cache; buffered, it reads and
		 * writes the device's page cache (a CPU copy).
		 */
		*can_direct = 1;
		return FD_BLK;
	case 0:
		return BPF_CORE_READ(inode, i_sb, s_magic) == ANON_INODE_FS_MAGIC ? FD_ANON : FD_OTHER;
	default:
		return FD_OTHER;
	}
}

/* Whether the cache entry @c describes the open file @f of inode @ident still. */
static __always_inline bool fd_class_is(const struct ipct_fd_class *c, const void *f, __u64 ident)
{
	return c->file == (__u64)f && c->ident == ident;
}

/*
 * The address_space of @fd of the current task if it is a regular file (as
 * classify_fd() keeps it), else 0: from @c, a cache entry (or NULL), when
 * it describes the fd's file (two reads), else from the file (six or
 * more). A global function: inlined at its three calls, its file
 * classification was verified again on every path of pc_add_btf.
 */
__noinline __u64 fd_reg_mapping(int fd, const struct ipct_fd_class *c)
{
	struct file *f = fd_file(fd);
	__u8 can_direct = 0, chr = 0;

	if (!f)
		return 0;
	if (c && fd_class_is(c, f, (__u64)BPF_CORE_READ(f, f_inode)))
		return c->mapping;
	if (file_kind(f, &can_direct, &chr) != FD_REG)
		return 0;
	return (__u64)BPF_CORE_READ(f, f_mapping);
}

/*
 * @c describes the open file @f (of inode @ident) from now on. The cold
 * half of classify_fd(): its reads are helper calls (@f may be untyped).
 */
static __always_inline void fd_class_fill(struct ipct_fd_class *c, struct file *f, __u64 ident)
{
	c->file = (__u64)f;
	c->ident = ident;
	c->can_direct = 0;
	c->chr = CHR_UNKNOWN;
	c->kind = file_kind(f, &c->can_direct, &c->chr);
	c->mapping = c->kind == FD_REG ? (__u64)BPF_CORE_READ(f, f_mapping) : 0;
	c->inode = c->kind == FD_REG ? ident : 0;
	if (c->kind == FD_REG)
		file_key((struct inode *)ident, &c->key);
}

/* @c for no open file: nothing of a file to count (getrandom, a closed fd). */
static __always_inline __u8 fd_class_none(struct ipct_fd_class *c)
{
	c->file = 0;
	c->inode = 0;
	c->mapping = 0;
	c->direct = 0;
	c->chr = CHR_UNKNOWN;
	return c->kind = FD_NONE;
}

/*
 * Classify @fd of the current task into @c, the thread's cache entry for it:
 * when @c already describes the same open file (same struct file, same
 * inode), only the O_DIRECT flag is read again. A 64-byte pipe writer thus
 * pays two reads per write instead of six; a socket, two instead of eight.
 *
 * A global function: the verifier checks it once, for any fd. Inlined, its
 * typed loads were re-verified for every syscall kind sys_enter tells apart,
 * and each typed pointer load costs the verifier searches of the kernel's
 * BTF by name (6.18's btf_nested_type_is_trusted): most of start-up.
 */
__noinline int classify_fd(int fd, struct ipct_fd_class *c)
{
	struct file *f;
	__u64 ident;

	if (!c)
		return FD_NONE;
	f = fd_file(fd);
	if (!f)
		return fd_class_none(c);
	ident = (__u64)BPF_CORE_READ(f, f_inode);
	if (!fd_class_is(c, f, ident))
		fd_class_fill(c, f, ident);
	c->direct = c->can_direct && (BPF_CORE_READ(f, f_flags) & O_DIRECT_X86);
	return c->kind;
}

/*
 * The struct file of @fd of @task (the current one), typed: the fd array's
 * slot read as the first member of a struct kiocb (ki_filp, a struct file
 * *, on every kernel since 2.6), the rest as fields of a file.
 */
static __always_inline struct file *fd_file_cast(struct task_struct *task, int fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct kiocb *slot;

	if (fd < 0 || !fdt || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	slot = rdonly_cast((void *)((unsigned long)fdt->fd + (unsigned long)fd * sizeof(void *)),
			   targ_kiocb_btf_id);
	return slot->ki_filp;
}

/* @fd's struct file if the cache entry @c describes it still (same file, same inode), else NULL. */
static __always_inline struct file *fd_cached(struct task_struct *task, int fd,
					      const struct ipct_fd_class *c)
{
	struct file *f = fd_file_cast(task, fd);

	return f && fd_class_is(c, f, (__u64)f->f_inode) ? f : NULL;
}

/*
 * classify_fd() where bpf_rdonly_cast is (6.2), inlined for the current
 * @task: when @c describes the fd's file already (a pipe writer's every
 * write), plain loads and no call; else classify_fd(). On this machine
 * every return goes through the SRSO "safe RET" thunk: a call and its
 * return cost more than the loads. `ipctrace probe --cost`, a 64-byte pipe
 * write's sys_exit: 205 ns with classify_fd(), 143 with the cast out of
 * line, 112 inlined (cost_floor 56).
 */
static __always_inline __u8 classify_fd_task(struct task_struct *task, int fd,
					     struct ipct_fd_class *c)
{
	struct file *f = fd_cached(task, fd, c);

	if (!f)
		return classify_fd(fd, c);
	c->direct = c->can_direct && (f->f_flags & O_DIRECT_X86);
	return c->kind;
}

#endif /* FDCLASS_BPF_H */
