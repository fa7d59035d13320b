/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Test-only hooks, every one read here and nowhere else. Unset, as for
 * every user, none of them does anything.
 *
 * Pause points: with IPCTRACE_TEST_PAUSE=POINT in the environment, every
 * process of a run (ipctrace and its workers) prints "ipctrace-test: at
 * NAME (pid PID)" on stderr at each point it passes, and at the point named
 * POINT it waits, once, for a signal (10 s at most) before going on. A test
 * reads the markers and sends SIGINT/SIGTERM/SIGHUP to ipctrace, or SIGKILL
 * to the worker, at that moment (tests/integration/test_interrupt.c). Any
 * value that names no point (e.g. "none") prints the markers without
 * waiting.
 *
 * The other hooks (enum test_hook) change what ipctrace sees of the kernel
 * or write what it did, for tests/integration/test_env.c and
 * tools/guest-init.sh.
 */
#ifndef TESTPOINT_H
#define TESTPOINT_H

/* Where a process can be stopped; the name is what IPCTRACE_TEST_PAUSE says. */
enum test_point {
	/* ipctrace run: start, tmpdir, load, attach, run, collect, report */
	TP_START,   /* "start": its signals caught, nothing made yet (run.c, trace.c) */
	TP_TMPDIR,  /* "tmpdir": the run's directory made (run.c) */
	TP_LOAD,    /* "load": the BPF object about to load (tracer.c) */
	TP_ATTACH,  /* "attach": loaded, about to attach (tracer.c) */
	TP_RUN,     /* "run": tracing, the scenario about to run (run.c) */
	TP_COLLECT, /* "collect": the workload over, the counters about to be read */
	TP_REPORT,  /* "report": the report about to be written (main.c, trace.c) */
	/* in each worker of a run */
	TP_SETUP,    /* "setup": the worker started, its role set (kit.c, run.c) */
	TP_TRANSFER, /* "transfer": in phase_mark(PHASE_TRANSFER), before the mark */
	TP_TEARDOWN, /* "teardown": in phase_mark(PHASE_TEARDOWN), after the mark */
	/* ipctrace trace: start, load, attach, command, wait, collect, report */
	TP_COMMAND, /* "command": tracer started, the command not yet (trace.c) */
	TP_WAIT,    /* "wait": the command started, waiting for its end (trace.c) */
	NR_TEST_POINTS,
};

void test_point(enum test_point point);

enum test_hook {
	/* IPCTRACE_TEST_PAUSE=POINT: see above (test_point()) */
	TEST_PAUSE,
	/* IPCTRACE_TEST_HIDE=NAME[,NAME...]: these attach points (or bpf_iter_task) taken for missing (probe.c) */
	TEST_HIDE,
	/* IPCTRACE_TEST_NO_CORE_BTF=1: libbpf reads the kernel's whole BTF, not the CO-RE BTF */
	TEST_NO_CORE_BTF,
	/* IPCTRACE_TEST_BTF_LIBBPF=1: the kernel's BTF parsed by libbpf, to compare (kbtf.c) */
	TEST_BTF_LIBBPF,
	/* IPCTRACE_TEST_INSNS=FILE: the loaded programs' instructions written to FILE (tracer.c) */
	TEST_INSNS,
	/*
	 * IPCTRACE_TEST_LACK=NAME[,NAME...]: these BPF features (kfeatures.c:
	 * task_storage, fetch_atomics, global_ptr_args, bpf_loop, find_vma,
	 * sched_switch_prev_state) taken for missing, as on 5.10
	 */
	TEST_LACK,
	/* IPCTRACE_TEST_TP_ARGS_LOAD=1: tracepoint arguments tested by a load, not read in BTF (kfeatures.c) */
	TEST_TP_ARGS_LOAD,
	/* IPCTRACE_TEST_ACC_ENTRIES=N: the per-CPU accumulator's entries, fewer than 64 (tracer.c) */
	TEST_ACC_ENTRIES,
	NR_TEST_HOOKS,
};

/* The hook's value from the environment, NULL when unset. */
const char *test_hook(enum test_hook hook);

#endif
