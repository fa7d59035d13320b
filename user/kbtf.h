/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's BTF read in place: the sysfs file mapped (6.16 and later),
 * or libbpf's parse of it, walked once. The walk calls a function for each
 * type and keeps an index from type id to the type, so that later lookups
 * (corebtf.c) need no second pass over 126,000 types.
 */
#ifndef KBTF_H
#define KBTF_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/btf.h>
#include <linux/types.h>

struct btf;

struct kbtf {
	const char *types, *strs; /* the type and string sections */
	__u32 str_len;
	__u32 n;     /* type count, with void (id 0) */
	__u32 *off;  /* id -> offset in types */
	void *map;   /* the mapping, or NULL */
	size_t map_len;
	struct btf *parsed; /* libbpf's, when the file could not be mapped */
};

typedef void (*kbtf_note_fn)(const char *name, int kind, __u32 id, void *arg);

/*
 * The kernel's BTF: mapped, or (with @parse) read by libbpf. Calls @note
 * for each type. False, with errno, when there is no BTF, or (mapped) it
 * holds anything the walk does not know: a kind newer than these headers,
 * another byte order, an offset out of bounds.
 */
bool kbtf_open(struct kbtf *k, bool parse, kbtf_note_fn note, void *arg);
void kbtf_close(struct kbtf *k);

static inline const struct btf_type *kbtf_type(const struct kbtf *k, __u32 id)
{
	return id && id < k->n ? (const void *)(k->types + k->off[id]) : NULL;
}

static inline const char *kbtf_name(const struct kbtf *k, const struct btf_type *t)
{
	return t->name_off < k->str_len ? k->strs + t->name_off : "";
}

/*
 * The first two bytes of a set of names: most of the 126,000 names a walk
 * passes are told apart from the few it looks for by one bit, not a
 * binary search of strcmp() calls (half of the walk's time otherwise).
 */
struct prefix_set {
	__u64 bits[65536 / 64];
	bool ready;
};

static inline __u32 prefix_of(const char *name)
{
	return (__u32)(unsigned char)name[0] << 8 | (name[0] ? (unsigned char)name[1] : 0);
}

static inline void prefix_add(struct prefix_set *s, const char *name)
{
	s->bits[prefix_of(name) / 64] |= 1ULL << (prefix_of(name) % 64);
}

static inline bool prefix_may_be(const struct prefix_set *s, const char *name)
{
	return s->bits[prefix_of(name) / 64] >> (prefix_of(name) % 64) & 1;
}

#endif /* KBTF_H */
