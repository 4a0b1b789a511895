/*
 * The linuxu demo's simulated workload: the metrics that library "demo"
 * publishes in ukstore and the background thread that keeps them moving
 * (workers that come and go as dynamic folders, a latency histogram and a
 * tick period that the thread obeys).  main.c only parses options and
 * runs the exporter around it.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>

/* Allowed range of demo/tick_period; its setter refuses anything else. */
#define DEMO_TICK_PERIOD_MIN 10
#define DEMO_TICK_PERIOD_MAX 10000

/*
 * Starts the workload thread.  Returns 0, or a negative errno if the
 * thread or the first workers could not be created.
 */
int demo_start(void);

/*
 * Asks the thread to stop, joins it and removes every worker folder it
 * still owns (their memory goes when the last scrape lets go of them).
 */
void demo_stop(void);

#endif
