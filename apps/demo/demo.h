/* The kvm demo's parts: the file server workload. */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>

/* Starts the file server on port; 0 or a negative errno. */
int demo_fileserver_start(uint16_t port);

#endif
