/* The kvm demo's parts: the file server workload and its initrd files. */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>
#include <stdint.h>

/* Starts the file server on port; 0 or a negative errno. */
int demo_fileserver_start(uint16_t port);

/*
 * Finds a regular file of a tar archive by URL path ("/a/b.html");
 * 0 with *data and *dlen set, or -1.
 */
int demo_tar_find(const void *img, size_t size, const char *path, size_t len,
		  const char **data, size_t *dlen);

#endif
