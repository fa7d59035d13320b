// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libbpf 1.1 matches each CO-RE relocation against the kernel's BTF by
 * walking all of its types, once for every struct, union and enum the BPF
 * object reads (about 30): 15 ms of a 40 ms load on 6.18 (clock points in
 * tracer.c; bpftool's min_core_btf file in its place took the load from
 * 36-52 to 20-36 ms). The probe's walk of the kernel's BTF already passes
 * every type, so it keeps the ones named as a type of the BPF object, and
 * this file copies them into a BTF of a few hundred types:
 *
 * - every member, at its offset, so a field libbpf looks for is where the
 *   kernel has it, and one it does not have is missing here too;
 * - what a member embeds (structs, unions, arrays), copied the same way;
 * - what a member points to becomes void *: libbpf holds two pointers
 *   compatible whatever they point to, and the verifier types the loads
 *   from the kernel's own BTF, not from this one;
 * - typedefs and qualifiers are looked through, as libbpf does.
 *
 * Every kernel type with a matching name is copied, flavours (folio___v61)
 * by the name before "___": the candidates libbpf finds here are the ones
 * it finds in the whole BTF. tests/integration/test_env.c loads all of
 * ipctrace's programs both ways and compares the relocated instructions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "corebtf.h"
#include "kbtf.h"

/* The names of the BPF object's structs, unions and enums (Makefile: core_roots.h). */
static const char *const roots[] = {
#include "core_roots.h"
};

static int root_cmp(const void *key, const void *name)
{
	return strcmp(key, *(const char *const *)name);
}

/*
 * The roots' first two bytes (kbtf.h): of the ~20,000 struct, union and
 * enum names a walk passes, most are turned away by one bit, not by a
 * strstr() and a binary search of strcmp() calls. A flavour ("a___v2")
 * starts as its root does, but for a root of one byte: its "a_" is added.
 * Built at the first note (the walk runs in one thread).
 */
static struct prefix_set root_prefixes;

static void root_prefixes_build(void)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		const char one[3] = { roots[i][0], '_', 0 };

		prefix_add(&root_prefixes, roots[i]);
		if (roots[i][0] && !roots[i][1])
			prefix_add(&root_prefixes, one);
	}
	root_prefixes.ready = true;
}

void corebtf_note(struct corebtf *c, const char *name, int kind, __u32 id)
{
	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_ENUM &&
	    kind != BTF_KIND_ENUM64)
		return;
	if (!root_prefixes.ready)
		root_prefixes_build();
	if (!prefix_may_be(&root_prefixes, name))
		return;
	char essential[128];
	const char *flavour = strstr(name, "___");

	if (flavour) { /* libbpf compares names up to "___", the kernel's too */
		snprintf(essential, sizeof(essential), "%.*s", (int)(flavour - name), name);
		name = essential;
	}
	if (!*name || !bsearch(name, roots, sizeof(roots) / sizeof(roots[0]), sizeof(roots[0]),
			       root_cmp))
		return;
	if (c->n == c->cap) {
		__u32 *ids = realloc(c->ids, (c->cap = c->cap ? 2 * c->cap : 64) * sizeof(*ids));

		if (!ids)
			return; /* a root missing: corebtf_build() refuses */
		c->ids = ids;
	}
	c->ids[c->n++] = id;
}

struct copier {
	const struct kbtf *k;
	struct btf *out;
	__u32 *to;       /* kernel type id -> id here (0: not copied yet) */
	int void_ptr;
};

static int copy_type(struct copier *c, __u32 id);

static int copy_members(struct copier *c, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = (const void *)(t + 1);
	__u16 vlen = BTF_INFO_VLEN(t->info);
	int *types, id, err = 0;

	types = malloc((vlen + 1) * sizeof(*types));
	if (!types)
		return -ENOMEM;
	/* what the members are, first: a struct's fields follow it */
	for (__u16 i = 0; i < vlen && err >= 0; i++)
		err = types[i] = copy_type(c, m[i].type);
	if (err >= 0)
		err = id = BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT ?
				   btf__add_struct(c->out, name, t->size) :
				   btf__add_union(c->out, name, t->size);
	for (__u16 i = 0; i < vlen && err >= 0; i++)
		err = m[i].name_off < c->k->str_len ?
			      btf__add_field(c->out, c->k->strs + m[i].name_off, types[i],
					     btf_member_bit_offset(t, i), btf_member_bitfield_size(t, i)) :
			      -EINVAL;
	free(types);
	return err < 0 ? err : id;
}

static int copy_enum(struct copier *c, const struct btf_type *t, const char *name)
{
	__u16 vlen = BTF_INFO_VLEN(t->info);
	bool is_signed = BTF_INFO_KFLAG(t->info);
	int id, err;

	if (BTF_INFO_KIND(t->info) == BTF_KIND_ENUM) {
		const struct btf_enum *e = (const void *)(t + 1);

		err = id = btf__add_enum(c->out, name, t->size);
		for (__u16 i = 0; i < vlen && err >= 0; i++)
			err = e[i].name_off < c->k->str_len ?
				      btf__add_enum_value(c->out, c->k->strs + e[i].name_off,
							  is_signed ? (__s64)e[i].val : (__s64)(__u32)e[i].val) :
				      -EINVAL;
	} else {
		const struct btf_enum64 *e = (const void *)(t + 1);

		err = id = btf__add_enum64(c->out, name, t->size, is_signed);
		for (__u16 i = 0; i < vlen && err >= 0; i++)
			err = e[i].name_off < c->k->str_len ?
				      btf__add_enum64_value(c->out, c->k->strs + e[i].name_off,
							    (__u64)e[i].val_hi32 << 32 | e[i].val_lo32) :
				      -EINVAL;
	}
	return err < 0 ? err : id;
}

/* The id here of kernel type @id, copied if it is not yet; -errno on what it cannot copy. */
static int copy_type(struct copier *c, __u32 id)
{
	const struct btf_type *t = kbtf_type(c->k, id);
	const struct btf_array *a;
	const char *name;
	int elem, index, r;

	if (!id)
		return 0;
	if (!t)
		return -EINVAL;
	if (c->to[id])
		return c->to[id];
	name = kbtf_name(c->k, t);
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return copy_type(c, t->type);
	case BTF_KIND_PTR:
		if (!c->void_ptr)
			c->void_ptr = btf__add_ptr(c->out, 0);
		return c->void_ptr;
	case BTF_KIND_INT:
		r = *(const __u32 *)(t + 1);
		if (BTF_INT_OFFSET(r) || BTF_INT_BITS(r) != t->size * 8)
			return -ENOTSUP; /* old bitfield-like ints: libbpf refuses them anyway */
		r = btf__add_int(c->out, name, t->size, BTF_INT_ENCODING(r));
		break;
	case BTF_KIND_FLOAT:
		r = btf__add_float(c->out, name, t->size);
		break;
	case BTF_KIND_ARRAY:
		a = (const void *)(t + 1);
		if ((elem = copy_type(c, a->type)) < 0)
			return elem;
		if ((index = copy_type(c, a->index_type)) < 0)
			return index;
		r = btf__add_array(c->out, index, elem, a->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		r = copy_members(c, t, name);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		r = copy_enum(c, t, name);
		break;
	default: /* nothing a relocation reads embeds a function or a forward declaration */
		return -ENOTSUP;
	}
	if (r > 0)
		c->to[id] = r;
	return r;
}

int corebtf_build(const struct kbtf *k, struct corebtf *cb)
{
	struct copier c = { k, btf__new_empty(), calloc(k->n, sizeof(__u32)), 0 };
	const void *raw;
	__u32 size;
	int fd = -1, err = 0;

	if (!c.out || !c.to)
		err = -ENOMEM;
	for (__u32 i = 0; i < cb->n && !err; i++)
		err = copy_type(&c, cb->ids[i]) < 0 ? -EINVAL : 0;
	if (!err && !cb->n)
		err = -ENOENT;
	if (!err && !(raw = btf__raw_data(c.out, &size)))
		err = -ENOMEM;
	if (!err && (fd = memfd_create("ipctrace-core-btf", MFD_CLOEXEC)) < 0)
		err = -errno;
	if (!err && write(fd, raw, size) != (ssize_t)size)
		err = -EIO;
	if (err && fd >= 0)
		close(fd);
	btf__free(c.out);
	free(c.to);
	free(cb->ids);
	cb->ids = NULL;
	cb->n = cb->cap = 0;
	return err ? err : fd;
}
