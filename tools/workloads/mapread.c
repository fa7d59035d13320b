// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mapread PATH MB [cold]: a witness for the pages page faults map. Writes
 * PATH (MB MiB, in 1 MiB writes: large folios where the file system makes
 * them), fsyncs it (cold: and drops it from the page cache with
 * POSIX_FADV_DONTNEED), maps it shared and reads one byte of every page.
 * Then says what the process maps of files, from /proc/self/status
 * (RssFile + RssShmem, exact sums on 6.16+), in pages: every such page
 * came in by a fault (ld.so and the program's own included), so the
 * trace's fault_pages + fault_around_pages must equal it. Everything it
 * calls after the mapping is called once before (its keys read), so that
 * no new page of it is faulted in after the count; it leaves
 * by exit_group directly. Linked statically: no ld.so, which maps
 * ld.so.cache and unmaps it again, pages faulted in that RssFile no
 * longer shows.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096
#define CHUNK (1 << 20)

/* RssFile + RssShmem of this process, in pages; -1 if unread. */
static long file_rss_pages(void)
{
	static char buf[4096];
	long kb = 0, v;
	ssize_t n;
	char *p;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = buf; (p = strstr(p, "Rss")); p++)
		if ((!strncmp(p, "RssFile:", 8) || !strncmp(p, "RssShmem:", 9)) &&
		    sscanf(strchr(p, ':') + 1, "%ld", &v) == 1)
			kb += v;
	return kb / (PAGE / 1024);
}

static void say(const char *key, long v)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %ld\n", key, v);

	if (write(1, line, n) != n)
		syscall(SYS_exit_group, 3);
}

static const char *const keys[] = { "pages_read", "sum", "rss_file_pages" };

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	size_t len;
	volatile char *m;
	unsigned long sum = 0;
	long before, pages;
	volatile size_t touched = 0;
	int fd;

	if (argc < 3 || atol(argv[2]) <= 0 || (argc == 4 && strcmp(argv[3], "cold"))) {
		fprintf(stderr, "usage: mapread PATH MB [cold]\n");
		return 2;
	}
	len = (size_t)atol(argv[2]) * CHUNK;
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	memset(buf, 'r', sizeof(buf));
	for (size_t off = 0; off < len; off += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			return 1;
	if (fsync(fd) || (argc == 4 && posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED)))
		return 1;
	/* the calls and the strings used after the count, once before it */
	before = file_rss_pages();
	say("rss_file_pages_before", before);
	say("pid", syscall(SYS_getpid));
	for (int i = 0; i < 3; i++)
		touched += strlen(keys[i]);
	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 1;
	for (size_t off = 0; off < len; off += PAGE)
		sum += m[off];
	pages = file_rss_pages();
	say(keys[0], len / PAGE);
	say(keys[1], sum);
	say(keys[2], pages);
	syscall(SYS_exit_group, 0);
	return 0;
}
