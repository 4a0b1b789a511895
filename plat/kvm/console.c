/*
 * The console on COM1, a 16550 UART at 0x3f8, programmed for 115200 8N1.
 * Output polls the transmitter-empty bit before each byte (instant under
 * QEMU, correct on a real UART).  Input is non-blocking; a reader that
 * would rather sleep than poll registers a handler on IRQ 4, which the
 * UART raises when bytes arrive (it must then drain with
 * uk_plat_console_read, also once right after registering, since bytes
 * may have come before).  The raw helpers (_uk_kvm_puts, _uk_kvm_puthex)
 * format nothing through libc, so the exception and panic paths stay
 * usable when libc state or the heap is broken.
 */
#include <uk/arch/io.h>
#include <uk/plat/console.h>

#include <kvm/plat.h>

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03


/*
 * Sets 115200 8N1 and raises IRQ 4 when bytes arrive (the line stays
 * masked unless someone registers a handler for it).  The FIFO control
 * register is left alone: switching the FIFOs on flushes them, and QEMU
 * keeps feeding input from its host side all along, so any write there
 * could drop a byte that is already on its way.
 */
void _uk_kvm_console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1);	/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ gate) */
	outb(COM1 + UART_IER, 0x01);	/* IRQ 4 on received data */
}

static void putc_raw(char c)
{
	unsigned int spins = 0;

	/* Bounded wait: a missing UART must not hang the kernel. */
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && ++spins < 100000)
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Writes all len bytes to COM1; returns len. */
int uk_plat_console_write(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		putc_raw(buf[i]);
	return (int)len;
}

/* Returns the bytes already received (0 if none), never waiting. */
int uk_plat_console_read(char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && (inb(COM1 + UART_LSR) & LSR_DR))
		buf[n++] = (char)inb(COM1 + UART_DATA);
	return (int)n;
}

/* Writes the NUL-terminated s. */
void _uk_kvm_puts(const char *s)
{
	while (*s)
		putc_raw(*s++);
}

/* Writes 0x and the low `digits` hex digits of v (1..16). */
void _uk_kvm_puthex(uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	if (digits < 1 || digits > 16)
		digits = 16;
	putc_raw('0');
	putc_raw('x');
	for (i = digits - 1; i >= 0; i--)
		putc_raw(hex[(v >> (4 * i)) & 0xf]);
}

/* Writes v in decimal. */
void _uk_kvm_putdec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	_uk_kvm_puts(buf + i);
}
