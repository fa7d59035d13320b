// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * prefetch MODE FILE PAGES: a witness for page-cache hits. Writes FILE
 * (PAGES pages), makes it clean (fsync) and drops it from the page cache
 * (POSIX_FADV_DONTNEED), brings it back in by MODE, then reads it whole in
 * 64 KiB blocks. Says what it saw itself: the pages resident before and
 * after the prefetch (mincore) and the bytes read.
 *
 *   cold       no prefetch: every page read is a miss
 *   fadvise    posix_fadvise(POSIX_FADV_WILLNEED)
 *   readahead  readahead(2)
 *   madvise    madvise(MADV_WILLNEED) on a shared mapping of the file
 *   populate   mmap(MAP_POPULATE) of the file
 *   mapstore   a store into each page of a shared mapping (write faults)
 *
 * After any prefetch every page read must be a page-cache hit.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define BLOCK 65536

/* Pages of the first @len bytes of @fd resident in the page cache. */
static long resident(int fd, size_t len)
{
	size_t pages = (len + PAGE - 1) / PAGE;
	unsigned char *vec = calloc(pages, 1);
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	long n = 0;

	if (!vec || p == MAP_FAILED)
		err(1, "mmap");
	if (mincore(p, len, vec))
		err(1, "mincore");
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	munmap(p, len);
	free(vec);
	return n;
}

/* Write @len bytes, make them clean and drop them from the page cache. */
static void make_cold(int fd, size_t len)
{
	static char buf[BLOCK];

	memset(buf, 'x', sizeof(buf));
	for (size_t off = 0; off < len; off += BLOCK)
		if (write(fd, buf, len - off < BLOCK ? len - off : BLOCK) < 0)
			err(1, "write");
	if (fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		err(1, "fsync/fadvise");
}

/* Map @fd shared and madvise it, or store into each page. */
static void through_mapping(int fd, size_t len, int store)
{
	char *p = mmap(NULL, len, PROT_READ | (store ? PROT_WRITE : 0), MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		err(1, "mmap");
	if (!store && madvise(p, len, MADV_WILLNEED))
		err(1, "madvise");
	for (size_t off = 0; store && off < len; off += PAGE)
		p[off] = 'y';
	if (store && msync(p, len, MS_SYNC))
		err(1, "msync");
	munmap(p, len);
}

static int prefetch(int fd, const char *mode, size_t len)
{
	if (!strcmp(mode, "cold"))
		return 0;
	if (!strcmp(mode, "fadvise"))
		return posix_fadvise(fd, 0, len, POSIX_FADV_WILLNEED) ? -1 : 0;
	if (!strcmp(mode, "readahead"))
		return readahead(fd, 0, len) ? -1 : 0;
	if (!strcmp(mode, "populate")) {
		void *p = mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);

		return p == MAP_FAILED ? -1 : munmap(p, len);
	}
	if (!strcmp(mode, "madvise") || !strcmp(mode, "mapstore")) {
		through_mapping(fd, len, !strcmp(mode, "mapstore"));
		return 0;
	}
	fprintf(stderr, "prefetch: unknown mode %s\n", mode);
	return -2;
}

int main(int argc, char **argv)
{
	static char buf[BLOCK];
	long long got = 0;
	size_t len;
	ssize_t n;
	int fd, rc;

	if (argc != 4 || atol(argv[3]) <= 0) {
		fprintf(stderr, "usage: prefetch cold|fadvise|readahead|madvise|populate|mapstore FILE PAGES\n");
		return 2;
	}
	len = (size_t)atol(argv[3]) * PAGE;
	fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		err(1, "%s", argv[2]);
	make_cold(fd, len);
	printf("resident_before %ld\n", resident(fd, len));
	rc = prefetch(fd, argv[1], len);
	if (rc)
		return rc == -2 ? 2 : (perror(argv[1]), 1);
	printf("resident_after %ld\n", resident(fd, len));
	if (lseek(fd, 0, SEEK_SET) < 0)
		err(1, "lseek");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		got += n;
	if (n < 0)
		err(1, "read");
	printf("read %lld\npages %zu\n", got, len / PAGE);
	close(fd);
	return 0;
}
