/*
 * A serial console for looking around the store of a running instance:
 * "store ls [PATH]" lists libraries, entries and folders, "store cat PATH"
 * prints values, "sleep MS", "help" and "exit [STATUS]".  Input comes from the
 * platform console (COM1 on kvm) without blocking, so the shell polls it
 * with short sleeps and the CPU halts between keystrokes.  Characters are
 * echoed, since QEMU puts a terminal in raw mode.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/plat/console.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/thread.h>

#define LINE_MAX_LEN 256
#define POLL_NS (20 * UK_NSEC_PER_MSEC)

static void out(const char *s, size_t n)
{
	while (n) {
		int w = uk_plat_console_write(s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

__attribute__((format(printf, 1, 2))) static void outf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		out(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static const char *errname(int err)
{
	switch (err) {
	case -ENOENT: return "no such path";
	case -ENOTDIR: return "not a directory";
	case -EINVAL: return "invalid path";
	case -ENOMEM: return "out of memory";
	default: return "error";
	}
}

static int ls_one(void *arg, const char *name, int is_dir)
{
	outf("%s%s\n", name, is_dir ? "/" : "");
	(*(unsigned int *)arg)++;
	return 0;
}

static void cmd_ls(const char *path)
{
	unsigned int n = 0;
	int rc = uk_store_list(path ? path : "", ls_one, &n);

	if (rc)
		outf("store ls: %s: %s (%d)\n", path ? path : "", errname(rc),
		     rc);
}

/* Formats and prints ref's value, growing the buffer for histograms. */
static int print_value(const struct uk_store_ref *ref, const char *prefix)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_store_value v;
	char small[128], *buf = small;
	int rc, n;

	rc = uk_store_read(ref, &v);
	if (rc)
		return rc;
	n = uk_store_value_format(&v, small, sizeof(small));
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(small)) {
		buf = uk_malloc(a, (size_t)n + 1);
		if (!buf)
			return -ENOMEM;
		n = uk_store_value_format(&v, buf, (size_t)n + 1);
	}
	if (n >= 0) {
		outs(prefix);
		out(buf, (size_t)n);
		if (!n || buf[n - 1] != '\n')
			outs("\n");
	}
	if (buf != small)
		uk_free(a, buf);
	return n < 0 ? n : 0;
}

struct cat_dir {
	const char *path;
	int rc;
};

/* Prints "name value" for each entry of a directory ("store cat lib"). */
static int cat_child(void *arg, const char *name, int is_dir)
{
	struct cat_dir *d = arg;
	struct uk_store_ref ref;
	char path[192], prefix[80];
	int rc;

	if (is_dir)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	snprintf(prefix, sizeof(prefix), "%s ", name);
	rc = uk_store_lookup(path, &ref);
	if (!rc) {
		rc = print_value(&ref, prefix);
		uk_store_ref_put(&ref);
	}
	if (rc)
		outf("%s: %s (%d)\n", name, errname(rc), rc);
	return 0;
}

static void cmd_cat(const char *path)
{
	struct uk_store_ref ref;
	struct cat_dir d;
	int rc;

	if (!path) {
		outs("usage: store cat PATH\n");
		return;
	}
	rc = uk_store_lookup(path, &ref);
	if (!rc) {
		rc = print_value(&ref, "");
		uk_store_ref_put(&ref);
		if (rc)
			outf("store cat: %s: read failed (%d)\n", path, rc);
		return;
	}
	/* Not an entry: maybe a library or folder, whose entries we show. */
	d.path = path;
	d.rc = 0;
	if (uk_store_list(path, cat_child, &d) == 0)
		return;
	outf("store cat: %s: %s (%d)\n", path, errname(rc), rc);
}

static void cmd_help(void)
{
	outs("commands:\n"
	     "  store ls [PATH]   list libraries, or a library's entries "
	     "and folders\n"
	     "  store cat PATH    print an entry's value (or every entry "
	     "of a folder)\n"
	     "  sleep MS          wait MS milliseconds (the CPU idles)\n"
	     "  help              this text\n"
	     "  exit [STATUS]     end the instance\n");
}

/* Splits line into at most max blank-separated words; returns the count. */
static int split(char *line, char **w, int max)
{
	int n = 0;

	while (*line && n < max) {
		while (*line == ' ' || *line == '\t')
			*line++ = '\0';
		if (!*line)
			break;
		w[n++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return n;
}

/* Accepts "/lib/folder/" as "lib/folder": the store's paths are bare. */
static char *norm_path(char *p)
{
	size_t n;

	if (!p)
		return NULL;
	while (*p == '/')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

/* Runs one command line; returns 1 when the shell should exit. */
static int run(char *line, int *status)
{
	char *w[4];
	int n = split(line, w, 4);

	if (n == 0)
		return 0;
	if (!strcmp(w[0], "help")) {
		cmd_help();
	} else if (!strcmp(w[0], "sleep") && n == 2) {
		uk_thread_sleep_ns((uint64_t)strtoul(w[1], NULL, 10) *
				   1000000);
	} else if (!strcmp(w[0], "exit")) {
		*status = n > 1 ? atoi(w[1]) : 0;
		return 1;
	} else if (!strcmp(w[0], "store") && n >= 2 && !strcmp(w[1], "ls")) {
		cmd_ls(norm_path(n > 2 ? w[2] : NULL));
	} else if (!strcmp(w[0], "store") && n >= 2 && !strcmp(w[1], "cat")) {
		cmd_cat(norm_path(n > 2 ? w[2] : NULL));
	} else {
		outf("unknown command: %s (try help)\n", w[0]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN];
	size_t len = 0;
	int status = 0;
	char last = 0;

	outs("ukmon shell: type help\n> ");
	for (;;) {
		char c;
		int n = uk_plat_console_read(&c, 1);

		if (n <= 0) {
			uk_thread_sleep_ns(POLL_NS);
			continue;
		}
		if (c == '\n' && last == '\r') {
			last = c; /* the LF of a CR LF pair */
			continue;
		}
		last = c;
		if (c == '\r' || c == '\n') {
			outs("\n");
			line[len] = '\0';
			len = 0;
			if (run(line, &status))
				break;
			outs("> ");
		} else if (c == 0x7f || c == '\b') {
			if (len) {
				len--;
				outs("\b \b");
			}
		} else if (c >= ' ' && len < sizeof(line) - 1) {
			line[len++] = c;
			out(&c, 1);
		}
	}
	outs("bye\n");
	return status;
}
