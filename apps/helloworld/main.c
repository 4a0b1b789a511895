/*
 * The smallest ukmon application: prints one line and returns 0.  It is
 * the boot benchmark's subject (scripts/bench-boot.sh times the line's
 * appearance on the serial port) and the image-size yardstick.
 */
#include <uk/print.h>

int main(int argc, char **argv)
{
	uk_printk("Hello from ukmon\n");
	return 0;
}
