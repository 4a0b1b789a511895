/*
 * CPU tables and trap dispatch.  The final GDT adds a 64-bit TSS whose
 * IST1 stack takes NMIs, double faults and machine checks, so those are
 * reported even when the faulting stack is unusable.  The IDT routes
 * every vector to entry.S: exceptions (0-31) print a register dump and a
 * backtrace and end the instance with the crash status; the 8259 lines
 * (32-47) go to irq.c, the APIC timer to idle.c; any other vector is
 * reported on the console and counted, never silently dropped.
 *
 * Every interrupt (vector 32 and up) is timed at dispatch, two TSC reads,
 * for the scheduler's irq time (uk_plat_irq_time_ns()); the interrupts
 * themselves are counted where they are handled, and uk_plat_irq_count()
 * adds those counters up.
 *
 * The report uses only the raw console helpers: a fault inside libc or
 * the allocator must still be explained.
 */
#include <uk/arch/backtrace.h>
#include <uk/arch/cpu.h>
#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/plat/lifecycle.h>

#include <kvm/plat.h>

#define SEL_CODE 0x08
#define SEL_TSS 0x18
#define IST_STACK_SIZE 8192
#define BT_MAX 32

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern char _uk_kvm_trap_stubs[];

static uint64_t gdt[5] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffULL, /* 0x08: 64-bit code */
	0x00cf92000000ffffULL, /* 0x10: data */
	0, 0,                  /* 0x18: TSS, filled in at boot */
};
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t unexpected, spurious;
static uint64_t irq_tsc; /* TSC ticks spent dispatching interrupts */
static int in_exception;

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25",
	"reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

/* Installs the GDT with the TSS and the IDT; call once at boot. */
void _uk_kvm_traps_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
	uint64_t stubs = (uint64_t)(uintptr_t)_uk_kvm_trap_stubs;
	struct table_ptr gp, ip;
	int v;

	tss.ist[0] = (uint64_t)(uintptr_t)(ist_stack + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss);
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	gp.limit = sizeof(gdt) - 1;
	gp.base = (uint64_t)(uintptr_t)gdt;
	/* The code and data descriptors are the boot ones: no reload. */
	__asm__ __volatile__("lgdt %0" : : "m"(gp) : "memory");
	__asm__ __volatile__("ltr %w0" : : "r"(SEL_TSS) : "memory");

	for (v = 0; v < 256; v++) {
		uint64_t off = stubs + 16 * (uint64_t)v;

		idt[v].off_lo = off & 0xffff;
		idt[v].sel = SEL_CODE;
		idt[v].ist = (v == 2 || v == 8 || v == 18) ? 1 : 0;
		idt[v].type = 0x8e; /* present interrupt gate: IF cleared */
		idt[v].off_mid = (off >> 16) & 0xffff;
		idt[v].off_hi = off >> 32;
	}
	ip.limit = sizeof(idt) - 1;
	ip.base = (uint64_t)(uintptr_t)idt;
	__asm__ __volatile__("lidt %0" : : "m"(ip) : "memory");
}

/* Returns the number of interrupts on vectors nobody handles. */
uint64_t uk_kvm_unexpected_count(void)
{
	return unexpected;
}

static void put_reg(const char *name, uint64_t v)
{
	_uk_kvm_puts(" ");
	_uk_kvm_puts(name);
	_uk_kvm_puts("=");
	_uk_kvm_puthex(v, 16);
}

/* Prints "backtrace:" and one return address per line, pc first. */
void _uk_kvm_backtrace_print(uintptr_t pc, uintptr_t fp)
{
	uintptr_t pcs[BT_MAX];
	uint64_t hb, hl, hi = (uint64_t)(uintptr_t)_uk_kvm_image_end;
	int i, n, k = 0;

	if (!uk_kvm_heap_region(&hb, &hl) && hb + hl > hi)
		hi = hb + hl;
	n = uk_arch_backtrace_walk(fp, (uintptr_t)_uk_kvm_image_start,
				   (uintptr_t)hi, pcs, BT_MAX);
	_uk_kvm_puts("backtrace (addr2line -e <image>.elf):\n");
	if (pc) {
		_uk_kvm_puts("  #0 ");
		_uk_kvm_puthex(pc, 16);
		_uk_kvm_puts("\n");
		k = 1;
	}
	for (i = 0; i < n; i++, k++) {
		int rep = 0;

		/* Runaway recursion: one line per run of equal frames. */
		while (i + rep + 1 < n && pcs[i + rep + 1] == pcs[i])
			rep++;
		_uk_kvm_puts("  #");
		_uk_kvm_putdec((uint64_t)k);
		_uk_kvm_puts(" ");
		_uk_kvm_puthex(pcs[i], 16);
		if (rep) {
			_uk_kvm_puts(" (and ");
			_uk_kvm_putdec((uint64_t)rep);
			_uk_kvm_puts(" more frames of it)");
			i += rep;
			k += rep;
		}
		_uk_kvm_puts("\n");
	}
	if (n == BT_MAX)
		_uk_kvm_puts("  ...\n");
}

/* ukdebug's panic hook: the backtrace of the panicking code. */
void uk_plat_panic_extra(void)
{
	_uk_kvm_backtrace_print(0, uk_arch_frame_pointer());
}

static __attribute__((noreturn)) void exception_report(struct uk_kvm_regs *r)
{
	unsigned int vec = (unsigned int)(r->vector & 0xff);

	if (in_exception++) {
		_uk_kvm_puts("\nkvm: exception ");
		_uk_kvm_putdec(vec);
		_uk_kvm_puts(" while reporting an exception\n");
		uk_plat_crash();
	}
	_uk_kvm_puts("\nkvm: EXCEPTION ");
	_uk_kvm_putdec(vec);
	_uk_kvm_puts(" (");
	_uk_kvm_puts(exc_names[vec & 31]);
	_uk_kvm_puts(") error ");
	_uk_kvm_puthex(r->error, 4);
	_uk_kvm_puts("\n");
	put_reg("RIP", r->rip);
	put_reg("RSP", r->rsp);
	put_reg("RFLAGS", r->rflags);
	_uk_kvm_puts("\n");
	put_reg("CS", r->cs);
	put_reg("SS", r->ss);
	if (vec == 14)
		put_reg("CR2", uk_arch_read_cr2());
	put_reg("CR3", uk_arch_read_cr3());
	_uk_kvm_puts("\n");
	put_reg("RAX", r->rax);
	put_reg("RBX", r->rbx);
	put_reg("RCX", r->rcx);
	_uk_kvm_puts("\n");
	put_reg("RDX", r->rdx);
	put_reg("RSI", r->rsi);
	put_reg("RDI", r->rdi);
	_uk_kvm_puts("\n");
	put_reg("RBP", r->rbp);
	put_reg("R8 ", r->r8);
	put_reg("R9 ", r->r9);
	_uk_kvm_puts("\n");
	put_reg("R10", r->r10);
	put_reg("R11", r->r11);
	put_reg("R12", r->r12);
	_uk_kvm_puts("\n");
	put_reg("R13", r->r13);
	put_reg("R14", r->r14);
	put_reg("R15", r->r15);
	_uk_kvm_puts("\n");
	_uk_kvm_backtrace_print(r->rip, r->rbp);
	uk_plat_crash();
}

/*
 * Dispatches one vector; see entry.S.  Interrupts run with interrupts
 * off (interrupt gates) and never nest, so one running sum suffices.
 */
void _uk_kvm_trap(struct uk_kvm_regs *r)
{
	unsigned int vec = (unsigned int)(r->vector & 0xff);
	uint64_t t0;

	if (vec < 32)
		exception_report(r);
	t0 = uk_arch_rdtsc();
	if (vec >= UK_KVM_VEC_IRQ0 && vec < UK_KVM_VEC_IRQ0 + 16) {
		_uk_kvm_irq_dispatch(vec - UK_KVM_VEC_IRQ0);
	} else if (vec == UK_KVM_VEC_TIMER) {
		_uk_kvm_timer_isr();
	} else if (vec == UK_KVM_VEC_SPURIOUS) {
		spurious++; /* the APIC wants no EOI for these */
	} else {
		unexpected++;
		_uk_kvm_puts("kvm: unexpected interrupt, vector ");
		_uk_kvm_putdec(vec);
		_uk_kvm_puts(" at RIP ");
		_uk_kvm_puthex(r->rip, 16);
		_uk_kvm_puts("\n");
		_uk_kvm_lapic_eoi();
	}
	irq_tsc += uk_arch_rdtsc() - t0;
}

/* See uk/plat/irq.h: time in interrupt dispatch since boot, in ns. */
uint64_t uk_plat_irq_time_ns(void)
{
	return _uk_kvm_tsc_to_ns(__atomic_load_n(&irq_tsc, __ATOMIC_RELAXED));
}

/* See uk/plat/irq.h: interrupts taken since boot, every vector. */
uint64_t uk_plat_irq_count(void)
{
	uint64_t n = spurious + unexpected + uk_kvm_timer_count() +
		     uk_kvm_irq_spurious_count();
	unsigned int i;

	for (i = 0; i < 16; i++)
		n += uk_kvm_irq_count(i);
	return n;
}
