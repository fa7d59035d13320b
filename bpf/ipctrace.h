/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Types shared by the BPF programs and user space. Plain __u32/__u64 only and
 * no includes: the BPF side gets the __u* types from vmlinux.h, user space
 * from <linux/types.h>.
 */
#ifndef IPCTRACE_H
#define IPCTRACE_H

#define IPCT_MAX_SLOTS 1024 /* traced processes per run (default map size) */

/*
 * Phase marker: a workload marks the start of a phase with a syscall number
 * that no kernel implements (it returns -ENOSYS), with a magic first
 * argument. The sys_enter handler sees it, switches the calling process's
 * phase and leaves it out of every count: it is instrumentation, not work.
 * A process marks its own phase, so the split is exact per process: no race
 * with what other processes are doing at that moment.
 */
#define IPCT_MARK_NR 0x1c7aceL
#define IPCT_MARK_MAGIC 0x69706374L /* "ipct" */

enum ipct_phase {
	PHASE_SETUP = 0,
	PHASE_TRANSFER = 1,
	PHASE_TEARDOWN = 2,
	NR_PHASES = 3,
};

/* What an fd refers to, decided in the kernel from the task's file table. */
enum ipct_fd_kind {
	FD_NONE = 0,  /* no fd argument, or not open */
	FD_REG,       /* regular file */
	FD_PIPE,      /* anonymous pipe (pipefs) */
	FD_FIFO,      /* named pipe */
	FD_UNIX,      /* AF_UNIX socket */
	FD_TCP,       /* AF_INET/AF_INET6 stream */
	FD_UDP,       /* AF_INET/AF_INET6 datagram */
	FD_SOCK,      /* any other socket */
	FD_CHR,       /* character device */
	FD_BLK,       /* block device */
	FD_ANON,      /* anon inode: eventfd, epoll, ... */
	FD_OTHER,     /* directory, symlink, ... */
	NR_FD_KINDS,
};

/* Flags describing the fds of one call (ipct_io_key.flags). */
#define IOF_IN_DIRECT (1u << 0)  /* first fd opened with O_DIRECT */
#define IOF_OUT_DIRECT (1u << 1) /* second fd opened with O_DIRECT */
#define IOF_ZEROCOPY (1u << 2)   /* send with MSG_ZEROCOPY */
#define IOF_IN_RDONLY (1u << 3)  /* vmsplice on a read end: pipe -> user */

/* Data-moving syscalls, by what they do to bytes (not by number). */
enum ipct_io_op {
	IO_NONE = 0,
	IO_READ,      /* read, pread64, readv, preadv, preadv2 */
	IO_WRITE,     /* write, pwrite64, writev, pwritev, pwritev2 */
	IO_RECV,      /* recvfrom, recvmsg */
	IO_SEND,      /* sendto, sendmsg */
	IO_SENDFILE,  /* sendfile(out, in): kin = in, kout = out */
	IO_SPLICE,    /* splice(in, out) */
	IO_TEE,       /* tee(in, out) */
	IO_VMSPLICE,  /* vmsplice(fd) */
	IO_COPY_RANGE,/* copy_file_range(in, out) */
	NR_IO_OPS,
};

/* Key of the per-process data-movement table: one row per kind of call. */
struct ipct_io_key {
	__u32 slot;
	__u8 phase;
	__u8 op;    /* enum ipct_io_op */
	__u8 kin;   /* enum ipct_fd_kind of the source fd (or the only fd) */
	__u8 kout;  /* enum ipct_fd_kind of the destination fd */
	__u32 flags;/* IOF_* */
	__u32 nr;   /* the syscall's number */
};

/*
 * A data syscall is counted here, at its exit, not in the counters' syscalls
 * or the sysnr table: one table row per call instead of three (attempts
 * feeds syscalls and syscalls_by_name).
 */
struct ipct_io_val {
	__u64 bytes;    /* sum of positive return values */
	__u64 calls;    /* calls that moved at least one byte */
	__u64 attempts; /* every call, whatever it returned */
};

/*
 * Callers of the copy routines whose copies are observed (lib/ itself takes
 * no fentry on any kernel): fexit programs on the first five, and the one
 * tracepoint that sits on a copy, skb:skb_copy_datagram_iovec (counted in
 * skb_copy_bytes).
 */
enum ipct_obs_site {
	OBS_PIPE_WRITE = 0, /* pipe_write | anon_pipe_write: iov_iter -> pipe pages */
	OBS_PIPE_READ,      /* pipe_read | anon_pipe_read: pipe pages -> iov_iter */
	OBS_FILE_READ,      /* filemap_read: page cache -> iov_iter */
	OBS_FILE_WRITE,     /* generic_perform_write: iov_iter -> page cache */
	OBS_SOCK_SEND,      /* skb_copy_datagram_from_iter: iov_iter -> skb */
	NR_OBS_FEXIT,
	OBS_SOCK_RECV = NR_OBS_FEXIT, /* skb_copy_datagram_iter: skb -> iov_iter (tracepoint) */
	NR_OBS_SITES,
};

/* What the iov_iter of an observed call points at (its iter_type). */
enum ipct_iter_class {
	IC_USER = 0, /* user memory (ITER_IOVEC, ITER_UBUF): a copy across the user boundary */
	IC_KERNEL,   /* kernel memory (kvec, bvec, xarray, folioq): a copy inside the kernel */
	IC_PAGEREF,  /* a pipe (ITER_PIPE, kernels up to 6.3): page references, no copy */
	NR_ITER_CLASSES,
};

/* Key of the syscall histogram. */
struct ipct_sys_key {
	__u32 slot;
	__u32 phase;
	__u64 nr;
};

/*
 * Counters per traced process and phase (per-CPU array, index
 * slot * NR_PHASES + phase). Everything a tracepoint gives without
 * interpretation; user space turns them into report figures.
 */
struct ipct_counters {
	__u64 syscalls;
	__u64 faults_user;
	__u64 faults_user_write;
	__u64 faults_user_prot;
	__u64 faults_kernel;
	__u64 faults_kernel_write;
	__u64 csw_voluntary;
	__u64 csw_involuntary;
	__u64 csw_in_syscall;      /* voluntary switches while inside a syscall */
	__u64 sig_generated;
	__u64 sig_delivered;
	__u64 pc_lookup_pages;     /* filemap:mm_filemap_get_pages ranges */
	__u64 pc_lookup_calls;
	__u64 pc_inserted_pages;   /* filemap:mm_filemap_add_to_page_cache */
	__u64 pc_inserted_write_pages; /* of which into the file a syscall writes */
	__u64 pc_evicted_pages;    /* filemap:mm_filemap_delete_from_page_cache */
	__u64 pc_fault_pages;      /* filemap:mm_filemap_fault */
	__u64 pc_faultaround_pages;/* filemap:mm_filemap_map_pages ranges */
	__u64 ra_sync;             /* readahead:page_cache_sync_ra */
	__u64 ra_async;            /* readahead:page_cache_async_ra */
	__u64 disk_read_bytes;     /* block:block_bio_queue, reads */
	__u64 disk_read_ra_bytes;  /* of which readahead (REQ_RAHEAD) */
	__u64 disk_write_bytes;
	__u64 disk_read_ios;
	__u64 disk_write_ios;
	__u64 skb_copy_bytes;      /* skb:skb_copy_datagram_iovec */
	__u64 skb_copy_calls;
	__u64 sock_send_bytes;     /* sock:sock_send_length (>0) */
	__u64 sock_recv_bytes;     /* sock:sock_recv_length (>0) */
	__u64 faults_user_file;    /* user faults on file-backed mappings */
	__u64 faults_user_anon;    /* user faults on anonymous memory (heap, stack, shm) */
	/* fexit on the copy callers: bytes each really moved, by iov_iter class */
	__u64 obs_bytes[NR_OBS_FEXIT][NR_ITER_CLASSES];
};

/* One row per slot: who the process is. */
struct ipct_proc_info {
	__u32 tgid;
	__u32 parent_slot; /* (__u32)-1 for processes started by the launcher */
	__u32 exited;
	__u32 exit_code;   /* task->exit_code: (status << 8) | signal */
	char comm[16];
	__u64 phase_ns[NR_PHASES]; /* time spent in each phase (kernel clock) */
	__u64 mark_ns;             /* when the current phase began */
};

/* Value of the tracked-process map (key: tgid). */
/* procs[tgid]: an array as large as pid_max, so "is it traced?" is an index */
struct ipct_proc {
	__u32 slot;
	__u16 phase;
	__u16 traced; /* 0: not traced (never, or exited) */
};

/* State of one thread between sys_enter and sys_exit of a data syscall. */
struct ipct_file_key {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

/*
 * What classify_fd() found out about one fd, kept per thread: the next
 * syscall on the same open file (same struct file and inode) reuses it.
 */
struct ipct_fd_class {
	__u64 file;     /* struct file * it describes (0: none) */
	__u64 ident;    /* its f_inode: a file freed and reallocated differs */
	__u64 mapping;  /* regular files: the address_space, and the inode */
	__u64 inode;
	struct ipct_file_key key; /* regular files: the per-file table's key */
	__u8 kind;      /* FD_* */
	__u8 direct;    /* opened O_DIRECT (re-read each call: fcntl changes it) */
	__u8 can_direct;/* not tmpfs, whose O_DIRECT is a page-cache copy */
	__u8 pad[5];
};

#define IPCT_FD_CACHE 4 /* entries per thread, by fd & 3 */

/* The mapping a thread's last user fault was in (files.bpf.h: fault_mapping()). */
struct ipct_vma_cache {
	__u64 start, end; /* [start, end) */
	__u64 inode;      /* of the mapped file; 0: anonymous */
	__u64 mm;         /* the address space it was found in (a new one after exec) */
	__u32 seq;        /* that mm's mm_lock_seq when it was found */
	__u32 valid;
};

struct ipct_inflight {
	/* the call's row of the io table, whole at entry; key.op == IO_NONE: none */
	struct ipct_io_key key;
	__u64 write_mapping; /* address_space the call writes into, if a file */
	__u64 in_inode;      /* inodes of regular files among the fds, for the */
	__u64 out_inode;     /* per-file table (0: not a regular file) */
	__u64 in_mapping;    /* the first fd's address_space, if a regular file */
	struct ipct_file_key in_key, out_key;
	struct ipct_fd_class fdc[IPCT_FD_CACHE];
	struct ipct_vma_cache vma;
};

/* Per-file table: what traced processes did to each regular file. */
#define IPCT_NAME_PARTS 3
#define IPCT_NAME_LEN 32


struct ipct_file_stats {
	__u64 read_bytes;  /* by read-type syscalls (and as sendfile/splice source) */
	__u64 write_bytes; /* by write-type syscalls (and as their destination) */
	__u64 reads;
	__u64 writes;
	__u64 faults;      /* user page faults on a mapping of the file */
	__u64 pc_misses;   /* pages inserted into its page cache, not by writes */
	__u64 pc_lookups;  /* pages read() looked up */
	/* the last path components, leaf first; parts[2][0] == 0: shorter path */
	char parts[IPCT_NAME_PARTS][IPCT_NAME_LEN];
	__u32 complete;    /* the parts reach the file system's root */
	__u32 pad;
};

/* Timeline events (ring buffer), recorded only with --timeline/--svg, transfer phase only. */
enum ipct_event_type {
	EV_SYS_ENTER = 1, /* a: syscall nr */
	EV_SYS_EXIT,      /* a: nr, b: return value, c: op | kin << 8 | kout << 16 | flags << 24 */
	EV_FAULT,         /* a: error code, b: 1 user / 0 kernel, c: address */
	EV_SWITCH_OUT,    /* a: prev_state, b: preempted */
	EV_SWITCH_IN,
	EV_WAKEUP,        /* the woken thread is tid; emitted by whoever woke it */
	EV_BIO,           /* a: 1 write / 0 read, b: bytes */
	EV_SIGNAL,        /* a: signal delivered */
};

struct ipct_event {
	__u64 ts;   /* bpf_ktime_get_ns() */
	__u32 slot; /* the process the event is about */
	__u32 tid;
	__u32 type;
	__u32 a;
	__s64 b;
	__u64 c;
};

#endif /* IPCTRACE_H */
