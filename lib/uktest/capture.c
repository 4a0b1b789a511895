/*
 * Capturing the console around a call, for tests that check what a
 * library says (warnings, the boot timeline...).  Host programs only:
 * linuxu's console is stderr, which is pointed at a temporary file for
 * the call and put back after it.
 */
#include <stdio.h>
#include <unistd.h>

#include <uk/test.h>

/* See uk/test.h.  Returns 0, or -1 when stderr could not be redirected. */
int uk_test_capture(void (*fn)(void *), void *arg, char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = tmp ? dup(2) : -1;
	size_t n;

	if (saved < 0) {
		if (tmp)
			fclose(tmp);
		return -1;
	}
	fflush(stderr);
	dup2(fileno(tmp), 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = size ? fread(buf, 1, size - 1, tmp) : 0;
	if (size)
		buf[n] = 0;
	fclose(tmp);
	return 0;
}
