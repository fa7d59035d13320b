/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every map and every global of the BPF object, in one place: what user
 * space sets before load (const volatile: .rodata), what it reads back
 * (.bss and the maps), and what only the programs use. The helpers that
 * reach them live with the code that gives them meaning (track, events,
 * files, io, uring).
 */
#ifndef MAPS_BPF_H
#define MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "ipctrace.h"

/* A hash whose rows are allocated as keys appear, not at start-up. */
#define LAZY_HASH(TYPE, ENTRIES, KEY, VALUE)          \
	struct {                                      \
		__uint(type, TYPE);                   \
		__uint(map_flags, BPF_F_NO_PREALLOC); \
		__uint(max_entries, ENTRIES);         \
		__type(key, KEY);                     \
		__type(value, VALUE);                 \
	}

/* ---- set before load (user/tracer.c) ------------------------------------ */

const volatile __u32 targ_launcher = 0; /* tgid whose children are traced */
/* trace -- CMD: the launcher's child is in setup until it execs CMD */
const volatile bool targ_exec_starts_transfer = false;
/* --timeline/--svg: emit() records; false, the verifier drops every emit() */
const volatile bool targ_timeline = false;

/*
 * 5.10 has no task storage (4cf1bc1f1045 "bpf: Implement task local
 * storage", 5.11; user/kfeatures.c tests it with a load): `threads` is
 * then a hash by thread id, which sched_process_exit empties.
 */
const volatile bool targ_threads_by_tid = false;

/*
 * io_uring_complete passes the CQE in the ring (6.12+; compat.bpf.h:
 * uring_complete_has_cqe()), not its fields: user/kfeatures.c reads the
 * tracepoint's arguments with a test load.
 */
const volatile bool targ_uring_cqe = false;

/*
 * One program per syscall (io.bpf.h: sys_exit_btf): a syscall is counted
 * and described at its exit, from its number (orig_ax) and its arguments,
 * which are still in pt_regs. Needs bpf_loop and bpf_task_pt_regs (5.17):
 * without them (user/kfeatures.c) sys_enter_btf_v510 describes the call at
 * entry into the thread's record, as every kernel did before.
 */
const volatile bool targ_exit_only = false;
/* sys_exit's gate (gate.bpf.h): exit-only, and fork_btf and exit_btf loaded (5.12 atomics) */
const volatile bool targ_gate = false;
/*
 * The kernel's BTF id of struct kiocb where the kfunc bpf_rdonly_cast is
 * (6.2; user/probe.c finds both), else 0 (fdclass.bpf.h: fd_file_cast()).
 * Not a CO-RE relocation: libbpf relocates against user/corebtf.c's copy
 * of the types, whose ids are not the kernel's.
 */
const volatile __u32 targ_kiocb_btf_id = 0;
const volatile __u32 targ_task_btf_id = 0; /* struct task_struct's, for task_plain() */
/*
 * The kernel's possible CPUs (libbpf_num_possible_cpus()): the bound of
 * faultaround.bpf.h's per-CPU sums. rss_counter_sum() is verified once per
 * program that calls it (four), each walk as long as its loop: with 512,
 * 68,000 of the object's 91,283 verified instructions (docs/performance.md).
 */
const volatile __u32 targ_nr_cpus = 512;
/* rows of acc - 1 (a power of two, sized by user space to the CPUs) */
const volatile __u32 targ_acc_mask = IPCT_MAX_SLOTS - 1;

/* mm_filemap_map_pages and page_fault_user attached: measure what it maps (faultaround.bpf.h) */
const volatile bool targ_fault_around_rss = false;
/* mm_filemap_fault and rss_stat attached: measure what a file fault maps */
const volatile bool targ_fault_pages_rss = false;

/* ---- changed during the run, read back by user space -------------------- */

__u32 next_slot = 0;     /* slot allocator, shared with user space (-p) */
__u64 slot_overflow = 0; /* children not traced because slots ran out */
/*
 * Events not counted: their table row could not be made (table full), or a
 * data syscall's record (struct ipct_thread, io.bpf.h) could not be made
 * or found.
 */
__u64 rows_lost = 0;
__u64 events_dropped = 0; /* the timeline's ring buffer was full */
/* non-zero: sys_exit's gate stays open; user space sets bit 0 while it adds processes (gate.bpf.h) */
__u32 gate_hold = 0;
/* a thread's frame less its stack's base, as every registration found it; 0: none yet (gate.bpf.h) */
__u32 gate_frame_off = 0;
/* traced threads by their register frame's hash: frame, task (gate.bpf.h) */
__u64 gate_regs[IPCT_GATE_ENTRIES][2] = {};

/* ---- who is traced (track.bpf.h) ---------------------------------------- */

/* mmapable: user space (-p) writes a pid's two bytes, not its neighbours' */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 8192); /* set to the kernel's pid_max / 4 before load */
	__type(key, __u32);        /* tgid / IPCT_PIDS_PER_ROW */
	__type(value, struct ipct_pid_row);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IPCT_MAX_SLOTS);
	__type(key, __u32); /* slot */
	__type(value, struct ipct_proc);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IPCT_MAX_SLOTS);
	__type(key, __u32);
	__type(value, struct ipct_proc_info);
} procinfo SEC(".maps");

/*
 * One row per process and phase, shared by all CPUs, added to with count():
 * a per-CPU array of the same rows took 4.5 to 7.8 ms to create (the kernel
 * populating 2.2 MB of per-CPU chunks) against 0.8 to 1.2 ms for this one,
 * a fifth of what was left of libbpf's load; a process's rows are touched
 * by its own threads only, so the atomic adds rarely meet.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IPCT_MAX_SLOTS * NR_PHASES);
	__type(key, __u32);
	__type(value, struct ipct_counters);
} counters SEC(".maps");

/* ---- the timeline (events.bpf.h) ---------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* resized before load when recording */
} events SEC(".maps");

/* ---- per thread (io.bpf.h) ---------------------------------------------- */

/*
 * In the thread's own storage: no hash lookup, and freed with the thread
 * (one that dies inside a syscall never reaches sys_exit).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ipct_thread);
} threads SEC(".maps");

/* A zeroed thread record to insert from (targ_threads_by_tid; never written). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ipct_thread);
} thread_zero SEC(".maps");

/*
 * Slots taken, where no fetching atomic can hand them out (track.bpf.h:
 * slot_alloc()): an insert with BPF_NOEXIST succeeds for one caller only.
 */
LAZY_HASH(BPF_MAP_TYPE_HASH, IPCT_MAX_SLOTS, __u32, __u8) slot_claims SEC(".maps");

/* ---- the data-movement and syscall tables (io.bpf.h) -------------------- */

LAZY_HASH(BPF_MAP_TYPE_PERCPU_HASH, 16384, struct ipct_io_key, struct ipct_io_val) io SEC(".maps");
LAZY_HASH(BPF_MAP_TYPE_PERCPU_HASH, 16384, struct ipct_sys_key, __u64) sysnr SEC(".maps");

/*
 * What sys_exit adds up before it writes the tables (ipctrace.h: struct
 * ipct_acc): per CPU, a row per slot & targ_acc_mask. An inlined array
 * index where the hash update it saves cost 25 to 30 ns a syscall.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IPCT_MAX_SLOTS); /* user space: a power of two, targ_acc_mask + 1 */
	__type(key, __u32);
	__type(value, struct ipct_acc);
} acc SEC(".maps");

/* ---- the per-file table (files.bpf.h) ----------------------------------- */

/* preallocated, it took 1.9 ms of start-up (strace -T) */
LAZY_HASH(BPF_MAP_TYPE_HASH, 4096, struct ipct_file_key, struct ipct_file_stats) files SEC(".maps");

/* Zeroed stats to insert from (too large for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ipct_file_stats);
} file_scratch SEC(".maps");

/* ---- io_uring ops in flight (uring.bpf.h) ------------------------------- */

/* An op between submission and completion. */
struct uring_req {
	struct ipct_io_key key;
	__u64 write_mapping; /* a write into a regular file: its address_space */
	__u64 in_inode, out_inode;
	struct ipct_file_key in_key, out_key;
	__u8 in_fixed;       /* its fd is a registered file: classified at completion */
	__u8 pad[7];
	__u64 ctx, user_data; /* its ring and CQE tag: uring_ud's key */
};

/* io_uring CQEs without their request (multishot's, an overflowed one) name it by these */
struct uring_ud_key {
	__u64 ctx;
	__u64 user_data;
};

/* by the request's struct io_kiocb * */
LAZY_HASH(BPF_MAP_TYPE_HASH, 16384, __u64, struct uring_req) uring_reqs SEC(".maps");
/* the request (struct io_kiocb *) of an op in flight by ring and user_data: the last submitted */
LAZY_HASH(BPF_MAP_TYPE_HASH, 16384, struct uring_ud_key, __u64) uring_ud SEC(".maps");

/*
 * Regular files with io_uring writes in flight, by address_space: the
 * page-cache inserts of an io_uring write happen in an io-wq worker (or the
 * submitter) outside any data syscall, and are writes, not read misses.
 */
LAZY_HASH(BPF_MAP_TYPE_HASH, 4096, __u64, __u64) uring_wmaps SEC(".maps"); /* value: writes in flight */

/* ---- Linux AIO ops in flight (aio.bpf.h) -------------------------------- */

/* recorded at io_submit's entry, removed when io_getevents reaps them */
LAZY_HASH(BPF_MAP_TYPE_HASH, 16384, struct ipct_aio_key, struct ipct_aio_req) aio_reqs SEC(".maps");
/* ---- MSG_ZEROCOPY sockets (zerocopy.bpf.h) ----------------------------- */

/*
 * Sockets a traced process enabled or sent MSG_ZEROCOPY on, by struct sock
 * *: its slot. Read on the receive path, where the skb carries no process.
 */
LAZY_HASH(BPF_MAP_TYPE_HASH, 1024, __u64, __u32) zc_socks SEC(".maps");
/* set at the first such send: until then every skb returns at once */
bool zc_armed = false;

#endif /* MAPS_BPF_H */
