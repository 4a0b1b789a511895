/*
 * linuxu console and lifecycle: the console is the process's stderr, and
 * exiting the instance is exiting the process.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <uk/plat/cmdline.h>
#include <uk/plat/console.h>
#include <uk/plat/initrd.h>
#include <uk/plat/lifecycle.h>

/* Writes to stderr; returns bytes written or -errno. */
int uk_plat_console_write(const char *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(2, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

/* linuxu has no console input of its own: always 0 bytes. */
int uk_plat_console_read(char *buf, size_t len)
{
	return 0;
}

void uk_plat_exit(int status)
{
	exit(status);
}

void uk_plat_crash(void)
{
	_exit(UK_PLAT_CRASH_STATUS);
}

/* linuxu takes options from its own argv, not from a boot line. */
const char *uk_plat_option(const char *key)
{
	return NULL;
}

/* None either. */
const char *uk_plat_option_nth(const char *key, unsigned int n)
{
	return NULL;
}

/* A process is not booted with a module. */
int uk_plat_initrd(const void **data, size_t *len)
{
	return -ENOENT;
}
