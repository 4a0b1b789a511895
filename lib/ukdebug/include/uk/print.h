/*
 * Console printing for libraries: uk_pr_info() and friends format with
 * vsnprintf into a bounded stack buffer and write through the platform
 * console, so a library prints the same way on linuxu and kvm.
 */
#ifndef UK_PRINT_H
#define UK_PRINT_H

__attribute__((format(printf, 1, 2))) void uk_printk(const char *fmt, ...);

#define uk_pr_info(...) uk_printk(__VA_ARGS__)
#define uk_pr_warn(...) uk_printk("warning: " __VA_ARGS__)
#define uk_pr_err(...) uk_printk("error: " __VA_ARGS__)

#endif
