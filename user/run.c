// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "report.h"
#include "run.h"
#include "tracer.h"
#include "workload.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Remove the run's directory; FTW_PHYS: never follow a symlink out of it. */
static void remove_tree(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

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

static int tmpdir_create(struct run_ctx *ctx)
{
	const char *base = getenv("TMPDIR");

	snprintf(ctx->tmpdir, sizeof(ctx->tmpdir), "%s/ipctrace.XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(ctx->tmpdir)) { /* mode 0700, a fresh unguessable name */
		fprintf(stderr, "ipctrace: cannot create a temporary directory %s: %s\n",
			ctx->tmpdir, strerror(errno));
		ctx->tmpdir[0] = 0;
		return -1;
	}
	return 0;
}

static int check_opts(const struct scenario *sc, const struct run_opts *o, struct run_ctx *ctx)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ OPT_BLOCK, "--block" }, { OPT_TO, "--to" }, { OPT_COLD, "--cold" },
	};
	bool given[] = { o->block != 0, o->to != NULL, o->cold };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (given[i] && !(sc->opts & names[i].bit))
			return ctx_error(ctx, "scenario %s takes no %s option", sc->name,
					 names[i].name);
	ctx->opts = *o;
	if (!ctx->opts.size)
		ctx->opts.size = sc->default_size;
	if (!ctx->opts.block)
		ctx->opts.block = sc->default_block;
	return sc->prepare ? sc->prepare(ctx) : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *role_name(const struct run_ctx *ctx, const struct trace_result *r, int i,
			     char *buf, size_t len)
{
	const char *role = role_of(ctx, r->procs[i].info.tgid);

	if (role)
		return role;
	snprintf(buf, len, "%s.%u", r->procs[i].info.comm, r->procs[i].info.tgid);
	return buf;
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

/* Time each phase lasted in a process, by the kernel's clock at its marks. */
static struct json_object *phase_seconds(const struct ipct_proc_info *info)
{
	static const char *const names[] = { "setup", "transfer", "teardown" };
	struct json_object *o = json_object_new_object();

	for (int ph = 0; ph < NR_PHASES; ph++)
		json_object_object_add(o, names[ph], json_object_new_double(info->phase_ns[ph] / 1e9));
	return o;
}

static struct json_object *build_report(const struct run_ctx *ctx, const struct tracer *t,
					const struct trace_result *r, double secs)
{
	static const char *const phase_names[] = { "setup", "transfer", "teardown" };
	struct json_object *rep = report_header(&t->probes), *o, *procs, *phases;
	struct figures sum[NR_PHASES] = {}, whole = {};
	const char *nic = ctx->nic_reason;
	struct json_object *jrun;
	__u64 transfer_ns = 0;
	char buf[64];

	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(ctx->sc->name));
	json_object_object_add(o, "params", params_json(ctx));
	json_object_object_add(o, "unit", json_object_new_string(ctx->unit ? ctx->unit : "run"));
	json_object_object_add(o, "units", json_object_new_int64(ctx->units));
	json_object_object_add(rep, "scenario", o);

	o = json_object_new_object();
	json_object_object_add(o, "complete", json_object_new_boolean(!ctx->error[0]));
	json_object_object_add(o, "error", ctx->error[0] ? json_object_new_string(ctx->error) : NULL);
	json_object_object_add(o, "duration_s", json_object_new_double(secs));
	json_object_object_add(o, "untraced_children", json_object_new_int64(r->slot_overflow));
	json_object_object_add(rep, "run", o);
	jrun = o;
	json_object_object_add(rep, "facts", facts_json(ctx));

	procs = json_object_new_array();
	for (int i = 0; i < r->nprocs; i++) {
		const struct traced_proc *p = &r->procs[i];
		struct json_object *po = json_object_new_object(), *pp = json_object_new_object();
		__u32 ps = p->info.parent_slot;

		json_object_object_add(po, "pid", json_object_new_int(p->info.tgid));
		json_object_object_add(po, "role",
				       json_object_new_string(role_name(ctx, r, i, buf, sizeof(buf))));
		json_object_object_add(po, "comm", json_object_new_string(p->info.comm));
		for (int j = 0; j < r->nprocs; j++)
			if (r->procs[j].slot == ps)
				json_object_object_add(po, "parent_pid",
						       json_object_new_int(r->procs[j].info.tgid));
		json_object_object_add(po, "exited", json_object_new_boolean(p->info.exited));
		json_object_object_add(po, "phase_seconds", phase_seconds(&p->info));
		if (p->info.phase_ns[PHASE_TRANSFER] > transfer_ns)
			transfer_ns = p->info.phase_ns[PHASE_TRANSFER];
		json_object_object_add(po, "figures",
				       figures_json(&p->phase[PHASE_TRANSFER], &t->probes, 0, nic));
		for (int ph = 0; ph < NR_PHASES; ph++) {
			json_object_object_add(pp, phase_names[ph],
					       figures_json(&p->phase[ph], &t->probes, 0, nic));
			figures_add(&sum[ph], &p->phase[ph]);
			figures_add(&whole, &p->phase[ph]);
		}
		json_object_object_add(po, "phases", pp);
		json_object_array_add(procs, po);
	}
	json_object_object_add(rep, "processes", procs);
	/* the transfer lasted as long as its longest process's transfer phase */
	json_object_object_add(jrun, "transfer_seconds", json_object_new_double(transfer_ns / 1e9));
	json_object_object_add(rep, "totals",
			       figures_json(&sum[PHASE_TRANSFER], &t->probes, 0, nic));
	json_object_object_add(rep, "per_unit",
			       figures_json(&sum[PHASE_TRANSFER], &t->probes, ctx->units, nic));
	phases = json_object_new_object();
	for (int ph = 0; ph < NR_PHASES; ph++)
		json_object_object_add(phases, phase_names[ph],
				       figures_json(&sum[ph], &t->probes, 0, nic));
	json_object_object_add(rep, "phases", phases);
	json_object_object_add(rep, "whole_run", figures_json(&whole, &t->probes, 0, nic));
	return rep;
}

int run_scenario(const struct scenario *sc, const struct run_opts *opts,
		 struct json_object **report)
{
	struct run_ctx ctx = { .sc = sc, .shfd = -1 };
	struct tracer t = {};
	struct trace_result r = {};
	int rc = EXIT_FAIL, err;
	double t0;

	*report = NULL;
	if (check_opts(sc, opts, &ctx)) {
		fprintf(stderr, "ipctrace: %s\n", ctx.error);
		return EXIT_USAGE;
	}
	if (shared_create(&ctx)) {
		fprintf(stderr, "ipctrace: shared memory: %s\n", strerror(errno));
		goto out;
	}
	ctx.sh->size = ctx.opts.size;
	ctx.sh->block = ctx.opts.block;
	ctx.sh->cold = ctx.opts.cold;
	snprintf(ctx.sh->to, sizeof(ctx.sh->to), "%s", ctx.opts.to ? ctx.opts.to : "");
	if (tmpdir_create(&ctx))
		goto out;
	snprintf(ctx.sh->tmpdir, sizeof(ctx.sh->tmpdir), "%s", ctx.tmpdir);
	workload_install_signals();
	err = tracer_start(&t, getpid());
	if (err)
		goto out;
	t0 = now();
	if (!workload_stop_signal())
		sc->run(&ctx);
	if (!ctx.error[0] && ctx.sh->error[0])
		memcpy(ctx.error, ctx.sh->error, sizeof(ctx.error));
	if (workload_stop_signal() && !ctx.error[0])
		ctx_error(&ctx, "interrupted by signal %d (%s)", workload_stop_signal(),
			  strsignal(workload_stop_signal()));
	workload_kill_all(); /* a failed run can leave workers blocked on their peers */
	err = tracer_collect(&t, &r);
	if (err) {
		fprintf(stderr, "ipctrace: reading the BPF maps: %s\n", strerror(-err));
		goto out;
	}
	*report = build_report(&ctx, &t, &r, now() - t0);
	rc = workload_stop_signal() ? 128 + workload_stop_signal() : ctx.error[0] ? EXIT_FAIL : EXIT_OK;
out:
	workload_kill_all();
	trace_result_free(&r);
	tracer_stop(&t);
	remove_tree(ctx.tmpdir);
	shared_destroy(&ctx);
	return rc;
}

int run_worker(int argc, char **argv)
{
	struct run_ctx ctx = { .shfd = -1 };
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
	if (sc->prepare && sc->prepare(&ctx))
		return EXIT_FAIL;
	role_set(&ctx, argv[2]);
	prefault_code();
	return sc->worker(&ctx, argc - 3, argv + 3) ? EXIT_FAIL : EXIT_OK;
}
