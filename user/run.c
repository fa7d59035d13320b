// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "assemble.h"
#include "report.h"
#include "timeline.h"
#include "run.h"
#include "rundir.h"
#include "testpoint.h"
#include "textsafe.h"
#include "timing.h"
#include "tracer.h"
#include "runner.h"

static int shared_create(struct run_ctx *ctx)
{
	ctx->shfd = memfd_create("ipctrace-shared", MFD_CLOEXEC);
	if (ctx->shfd < 0 || ftruncate(ctx->shfd, sizeof(struct shared)))
		return -1;
	ctx->sh = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED,
		       ctx->shfd, 0);
	return ctx->sh == MAP_FAILED ? (ctx->sh = NULL, -1) : 0;
}

static void shared_destroy(struct run_ctx *ctx)
{
	if (ctx->sh)
		munmap(ctx->sh, sizeof(struct shared));
	if (ctx->shfd >= 0)
		close(ctx->shfd);
	ctx->sh = NULL;
	ctx->shfd = -1;
}

/* Bytes of MemAvailable, from /proc/meminfo; 0 if unknown. */
static uint64_t mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long long kb = 0;
	char line[128];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/*
 * Refuse, before anything is created, a --size the machine cannot hold:
 * a file needs that much free space in the temporary directory, memory
 * that much of MemAvailable (half of it at most: the run needs the rest).
 */
static int check_room(const struct scenario *sc, struct run_ctx *ctx, const struct rundir *rd)
{
	uint64_t size = ctx->opts.size, mem, disk = 0, in_memory = 0;

	if (sc->needs & NEED_DISK) /* the scenario's file */
		disk += size;
	if (ctx->opts.to && !strcmp(ctx->opts.to, "file")) /* --to file: a copy of the data */
		disk += size;
	if (sc->needs & NEED_MEMORY)
		in_memory += size;
	if (disk && !rd->blocks) {
		/* no size to tell (ramfs): the files live in memory */
		in_memory += disk;
		disk = 0;
	}
	if (disk && disk > rd->free_bytes)
		return ctx_error(ctx, "--size %llu needs %llu bytes in %s, which has %llu free",
				 (unsigned long long)size, (unsigned long long)disk, rd->path,
				 rd->free_bytes);
	mem = mem_available();
	if (in_memory && mem && in_memory > mem / 2)
		return ctx_error(ctx, "--size %llu needs %llu bytes of memory; %llu bytes are "
				      "available (MemAvailable), and a run may take half",
				 (unsigned long long)size, (unsigned long long)in_memory,
				 (unsigned long long)mem);
	return 0;
}

static int check_opts(const struct scenario *sc, const struct run_opts *o, struct run_ctx *ctx,
		      const struct rundir *rd)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ OPT_SIZE, "--size" }, { OPT_BLOCK, "--block" }, { OPT_TO, "--to" },
		{ OPT_COLD, "--cold" },
	};
	bool given[] = { o->size != 0, o->block != 0, o->to != NULL, o->cold };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (given[i] && !(sc->opts & names[i].bit))
			return ctx_error(ctx, "scenario %s takes no %s option", sc->name,
					 names[i].name);
	ctx->opts = *o;
	if (!ctx->opts.size)
		ctx->opts.size = sc->default_size;
	if (!ctx->opts.block)
		ctx->opts.block = sc->default_block;
	if (check_room(sc, ctx, rd))
		return -1;
	return sc->prepare ? sc->prepare(ctx) : 0;
}

static const char *role_for(void *ctx, __u32 tgid)
{
	return role_of(ctx, tgid);
}

static struct json_object *params_json(const struct run_ctx *ctx)
{
	struct json_object *o = json_object_new_object();
	unsigned opts = ctx->sc->opts;

	if (opts & OPT_SIZE)
		json_object_object_add(o, "size", json_object_new_int64(ctx->opts.size));
	if (opts & OPT_BLOCK)
		json_object_object_add(o, "block", json_object_new_int64(ctx->opts.block));
	if (opts & OPT_TO)
		json_object_object_add(o, "to", json_object_new_string(ctx->opts.to));
	if (opts & OPT_COLD)
		json_object_object_add(o, "cold", json_object_new_boolean(ctx->opts.cold));
	return o;
}

static struct json_object *facts_json(const struct run_ctx *ctx)
{
	struct json_object *o = json_object_new_object(), *r;
	int n = ctx->sh->nfacts < MAX_FACTS ? ctx->sh->nfacts : MAX_FACTS;

	for (int i = 0; i < n; i++) {
		const struct fact *f = &ctx->sh->facts[i];

		if (!json_object_object_get_ex(o, f->role, &r)) {
			r = json_object_new_object();
			json_object_object_add(o, f->role, r);
		}
		json_object_object_add(r, f->key, json_object_new_int64(f->value));
	}
	return o;
}

struct slot_roles {
	struct run_ctx *ctx;
	const struct trace_result *r;
	char buf[64];
};

static const char *role_by_slot(void *arg, __u32 slot)
{
	struct slot_roles *sr = arg;

	for (int i = 0; i < sr->r->nprocs; i++) {
		const struct ipct_proc_info *info = &sr->r->procs[i].info;
		const char *role;

		if (sr->r->procs[i].slot != slot)
			continue;
		role = role_of(sr->ctx, info->tgid);
		if (role)
			return role;
		snprintf(sr->buf, sizeof(sr->buf), "%s.%u", info->comm, info->tgid);
		return sr->buf;
	}
	return "?";
}

static struct json_object *build_report(struct run_ctx *ctx, struct tracer *t,
					const struct trace_result *r, double secs)
{
	struct report_info ri = {
		.name = ctx->sc->name,
		.params = params_json(ctx),
		.unit = ctx->unit ? ctx->unit : "run",
		.units = ctx->units,
		.nic_reason = ctx->nic_reason,
		.error = ctx->error[0] ? ctx->error : NULL,
		.facts = facts_json(ctx),
		.role = role_for,
		.role_ctx = ctx,
		.secs = secs,
	};

	struct json_object *rep = report_assemble(&ri, t, r);

	if (ctx->opts.timeline) {
		struct slot_roles sr = { .ctx = ctx, .r = r };
		struct event_log log;
		__u64 dropped;

		tracer_take_events(t, &log, &dropped);
		json_object_object_add(rep, "timeline", timeline_json(&log, dropped, role_by_slot, &sr));
		free(log.v);
	}
	return rep;
}

int run_scenario(const struct scenario *sc, const struct run_opts *opts,
		 struct json_object **report)
{
	struct run_ctx ctx = { .sc = sc, .shfd = -1, .dirfd = -1 };
	struct tracer t = {};
	struct trace_result r = {};
	struct rundir rd;
	int rc = EXIT_FAIL, err;
	double t0;

	*report = NULL;
	if (rundir_base(&rd, ctx.error, sizeof(ctx.error)) || check_opts(sc, opts, &ctx, &rd)) {
		text_error("ipctrace", "%s", ctx.error); /* it may name TMPDIR */
		rundir_remove(&rd);
		return EXIT_USAGE;
	}
	workload_install_signals(); /* from here on a signal ends the run cleanly */
	test_point(TP_START);
	if (shared_create(&ctx)) {
		fprintf(stderr, "ipctrace: shared memory: %s\n", strerror(errno));
		goto out;
	}
	ctx.sh->size = ctx.opts.size;
	ctx.sh->block = ctx.opts.block;
	ctx.sh->cold = ctx.opts.cold;
	snprintf(ctx.sh->to, sizeof(ctx.sh->to), "%s", ctx.opts.to ? ctx.opts.to : "");
	if (workload_stop_signal())
		goto out;
	if (rundir_create(&rd, ctx.sh->shm_name, ctx.error, sizeof(ctx.error))) {
		text_error("ipctrace", "%s", ctx.error);
		goto out;
	}
	ctx.dirfd = ctx.sh->dirfd = rd.fd;
	snprintf(ctx.tmpdir, sizeof(ctx.tmpdir), "%s", rd.path);
	snprintf(ctx.sh->tmpdir, sizeof(ctx.sh->tmpdir), "%s", ctx.tmpdir);
	test_point(TP_TMPDIR);
	err = tracer_start(&t, &(struct tracer_opts){ .launcher = getpid(),
						  .timeline = opts->timeline,
						  .stop = workload_stop_signal });
	if (err)
		goto out;
	test_point(TP_RUN);
	t0 = clock_s();
	if (!workload_stop_signal())
		sc->run(&ctx);
	workload_kill_all(); /* a failed run can leave workers blocked on their peers */
	test_point(TP_COLLECT);
	if (!ctx.error[0] && ctx.sh->error[0])
		memcpy(ctx.error, ctx.sh->error, sizeof(ctx.error));
	if (workload_stop_signal() && !ctx.error[0])
		ctx_error(&ctx, "interrupted by signal %d (%s)", workload_stop_signal(),
			  strsignal(workload_stop_signal()));
	err = tracer_collect(&t, &r);
	if (err) {
		fprintf(stderr, "ipctrace: reading the BPF maps: %s\n", strerror(-err));
		goto out;
	}
	*report = build_report(&ctx, &t, &r, clock_s() - t0);
	rc = workload_stop_signal() ? 128 + workload_stop_signal() : ctx.error[0] ? EXIT_FAIL : EXIT_OK;
	if (rc)
		text_error("ipctrace", "%s: run cut short: %s; the report has what was counted "
			   "until then", sc->name, ctx.error);
out:
	if (!*report && workload_stop_signal()) {
		fprintf(stderr, "ipctrace: %s: interrupted by signal %d (%s) before the workload "
				"started; nothing to report\n", sc->name, workload_stop_signal(),
			strsignal(workload_stop_signal()));
		rc = 128 + workload_stop_signal();
	}
	workload_kill_all();
	trace_result_free(&r);
	tracer_stop(&t);
	rundir_remove(&rd);
	shared_destroy(&ctx);
	return rc;
}

int run_worker(int argc, char **argv)
{
	struct run_ctx ctx = { .shfd = -1, .dirfd = -1 };
	const struct scenario *sc;

	if (argc < 3 || !(sc = scenario_find(argv[0])) || !sc->worker) {
		fprintf(stderr, "ipctrace: __worker is for ipctrace's own use\n");
		return EXIT_USAGE;
	}
	ctx.sc = sc;
	ctx.shfd = atoi(argv[1]);
	ctx.sh = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, ctx.shfd, 0);
	if (ctx.sh == MAP_FAILED)
		return EXIT_FAIL;
	close(ctx.shfd);
	ctx.opts.size = ctx.sh->size;
	ctx.opts.block = ctx.sh->block;
	ctx.opts.cold = ctx.sh->cold;
	ctx.opts.to = ctx.sh->to;
	snprintf(ctx.tmpdir, sizeof(ctx.tmpdir), "%s", ctx.sh->tmpdir);
	ctx.dirfd = ctx.sh->dirfd;
	if (sc->prepare && sc->prepare(&ctx))
		return EXIT_FAIL;
	role_set(&ctx, argv[2]);
	test_point(TP_SETUP);
	prefault_code();
	return sc->worker(&ctx, argc - 3, argv + 3) ? EXIT_FAIL : EXIT_OK;
}
