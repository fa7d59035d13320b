// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "kbtf.h"
#include "testpoint.h"

#define SYSFS_BTF "/sys/kernel/btf/vmlinux"

/* Bytes that follow a type's struct btf_type in the type section; -1: a kind unknown here. */
static long btf_type_extra(const struct btf_type *t)
{
	__u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return sizeof(__u32);
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64: return vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* Raw BTF @data of @size: check the header, then walk and index the types. */
static bool walk(struct kbtf *k, const char *data, size_t size, kbtf_note_fn note, void *arg)
{
	const struct btf_header *h = (const void *)data;
	const char *p, *end;
	__u32 cap = 0;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->hdr_len < sizeof(*h) ||
	    (__u64)h->hdr_len + h->type_off + h->type_len > size ||
	    (__u64)h->hdr_len + h->str_off + h->str_len > size || !h->str_len ||
	    data[h->hdr_len + h->str_off + h->str_len - 1])
		return false;
	k->types = p = data + h->hdr_len + h->type_off;
	end = p + h->type_len;
	k->strs = data + h->hdr_len + h->str_off;
	k->str_len = h->str_len;
	k->n = 1;
	while (p + sizeof(struct btf_type) <= end) {
		const struct btf_type *t = (const void *)p;
		long extra = btf_type_extra(t);

		if (extra < 0 || t->name_off >= k->str_len || p + sizeof(*t) + extra > end)
			return false;
		if (k->n >= cap) {
			/* 12 bytes a type at the least: one allocation */
			__u32 *off = realloc(k->off, (cap = cap ? 2 * cap : h->type_len / sizeof(*t) + 2) *
							   sizeof(*off));

			if (!off)
				return false;
			k->off = off;
		}
		k->off[k->n] = p - k->types;
		if (note)
			note(k->strs + t->name_off, BTF_INFO_KIND(t->info), k->n, arg);
		k->n++;
		p += sizeof(*t) + extra;
	}
	return p == end;
}

/*
 * The mapping costs nothing to read: btf__new() on it copied and checked
 * all 5.5 MB first (11 to 13 ms of start-up on 6.18, against 3 to 4 for
 * the walk).
 */
static bool open_mapped(struct kbtf *k, kbtf_note_fn note, void *arg)
{
	struct stat st;
	int fd;

	if (test_hook(TEST_BTF_LIBBPF)) /* test-only: libbpf's parse, to compare */
		return false;
	fd = open(SYSFS_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && st.st_size > 0) {
		k->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		k->map_len = st.st_size;
	}
	close(fd);
	if (k->map == MAP_FAILED)
		k->map = NULL;
	return k->map && walk(k, k->map, k->map_len, note, arg);
}

bool kbtf_open(struct kbtf *k, bool parse, kbtf_note_fn note, void *arg)
{
	const void *raw;
	__u32 size;

	memset(k, 0, sizeof(*k));
	if (open_mapped(k, note, arg))
		return true;
	kbtf_close(k);
	if (!parse)
		return false;
	/* sysfs read a page at a time, or a vmlinux image on disk */
	k->parsed = btf__load_vmlinux_btf();
	if (!k->parsed)
		return false;
	raw = btf__raw_data(k->parsed, &size);
	if (raw && walk(k, raw, size, note, arg))
		return true;
	kbtf_close(k);
	errno = ENOTSUP;
	return false;
}

void kbtf_close(struct kbtf *k)
{
	if (k->map)
		munmap(k->map, k->map_len);
	btf__free(k->parsed);
	free(k->off);
	memset(k, 0, sizeof(*k));
}
