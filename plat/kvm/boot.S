/*
 * PVH entry.  QEMU (-kernel) finds the XEN_ELFNOTE_PHYS32_ENTRY note
 * below and jumps to _uk_kvm_start32 in flat 32-bit protected mode, paging
 * off, with %ebx pointing at the hvm_start_info.  This code clears BSS
 * (the page-table roots first, the rest from 64-bit mode), identity-maps
 * the low 4 GiB with 2 MiB pages (RAM for -m up to 3 GiB
 * plus the local APIC's MMIO page), enables PAE, long mode, paging
 * and SSE, and enters 64-bit C (_uk_kvm_main) on the boot stack with a
 * zero frame pointer, which ends every backtrace.
 */
#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_NE		0x00000020
#define CR0_NW		0x20000000
#define CR0_CD		0x40000000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PS		0x080

#define BOOT_STACK_SIZE	0x10000

	.section .note.Xen, "a", @note
	.balign 4
	.long 4			/* name size: "Xen\0" */
	.long 8			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad _uk_kvm_start32
	.balign 4

	.section .text.boot32, "ax"
	.code32
	.globl _uk_kvm_start32
_uk_kvm_start32:
	cli
	cld
	/* The boot TSC is the origin of monotonic time: take it first. */
	rdtsc
	mov %eax, %esi
	mov %edx, %ebp

	/*
	 * The page tables and the boot stack live in .bootbss, at the end of
	 * BSS; the rest of BSS is cleared in 64-bit mode below, with SSE
	 * stores (a rep stos costs per iteration under TCG).  Here only
	 * what must be zero before paging: the PML4
	 * and the PDPT (the page directories and pt0 are written whole, the
	 * stack needs no clearing).
	 */
	mov $_uk_kvm_pml4, %edi
	mov $(2 * 4096 / 4), %ecx
	xor %eax, %eax
	rep stosl
	mov %esi, _uk_kvm_boot_tsc
	mov %ebp, _uk_kvm_boot_tsc + 4

	/* Four page directories of 2 MiB pages cover 0..4 GiB. */
	mov $_uk_kvm_pd, %edi
	mov $(PTE_P | PTE_RW | PTE_PS), %eax
	mov $2048, %ecx
1:	mov %eax, (%edi)
	add $0x200000, %eax
	add $8, %edi
	loop 1b

	/*
	 * The first 2 MiB get 4 KiB pages so that setup.c can unmap page 0
	 * once it has read the start info (QEMU puts the memory map there):
	 * then a NULL dereference faults.
	 */
	mov $_uk_kvm_pt0, %edi
	mov $(PTE_P + PTE_RW), %eax
	mov $512, %ecx
3:	mov %eax, (%edi)
	add $0x1000, %eax
	add $8, %edi
	loop 3b
	movl $(_uk_kvm_pt0 + PTE_P + PTE_RW), _uk_kvm_pd

	mov $_uk_kvm_pdpt, %edi
	mov $(_uk_kvm_pd + PTE_P + PTE_RW), %eax
	mov $4, %ecx
2:	mov %eax, (%edi)
	add $0x1000, %eax
	add $8, %edi
	loop 2b

	movl $(_uk_kvm_pdpt + PTE_P + PTE_RW), _uk_kvm_pml4
	mov $_uk_kvm_pml4, %eax
	mov %eax, %cr3

	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4

	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr

	mov %cr0, %eax
	and $~(CR0_EM | CR0_CD | CR0_NW), %eax
	or $(CR0_PG | CR0_MP | CR0_NE), %eax	/* NE: x87 errors are #MF */
	mov %eax, %cr0

	lgdt _uk_kvm_gdt_desc
	ljmp $0x08, $_uk_kvm_start64

	.code64
	.section .text.boot64, "ax"
_uk_kvm_start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	/*
	 * The rest of BSS (link.ld: before .bootbss, both ends 16-byte
	 * aligned), 64 bytes a turn with SSE stores, then 16 at a time:
	 * under TCG a rep stos runs one translated block per iteration
	 * (168k of them for the demo's 1.3 MiB, about 1 ms), this loop
	 * one per 64 bytes.
	 */
	mov $__bss_start, %rdi
	mov $__bss_clear_end, %rcx
	pxor %xmm0, %xmm0
	lea 64(%rdi), %rdx
	cmp %rcx, %rdx
	ja 6f
5:	movdqa %xmm0, (%rdi)
	movdqa %xmm0, 16(%rdi)
	movdqa %xmm0, 32(%rdi)
	movdqa %xmm0, 48(%rdi)
	add $64, %rdi
	lea 64(%rdi), %rdx
	cmp %rcx, %rdx
	jbe 5b
6:	cmp %rcx, %rdi
	jae 7f
	movdqa %xmm0, (%rdi)
	add $16, %rdi
	jmp 6b
7:
	mov $(_uk_kvm_boot_stack + BOOT_STACK_SIZE), %rsp
	xor %ebp, %ebp
	fninit
	mov %ebx, %edi		/* zero-extends the start-info address */
	call _uk_kvm_main
4:	cli
	hlt
	jmp 4b

	/*
	 * The boot GDT: null, 64-bit code (0x08), data (0x10).  C code
	 * later installs the full one with the TSS (see traps.c).
	 */
	.section .rodata.boot, "a"
	.balign 8
_uk_kvm_gdt:
	.quad 0
	.quad 0x00af9a000000ffff
	.quad 0x00cf92000000ffff
_uk_kvm_gdt_end:
	.balign 8
_uk_kvm_gdt_desc:
	.word _uk_kvm_gdt_end - _uk_kvm_gdt - 1
	.long _uk_kvm_gdt

	.section .bootbss, "aw", @nobits
	.balign 4096
	.globl _uk_kvm_pml4, _uk_kvm_pd, _uk_kvm_pt0, _uk_kvm_pt_guard
	.globl _uk_kvm_boot_guard
	.globl _uk_kvm_boot_stack, _uk_kvm_boot_tsc
_uk_kvm_pml4:
	.skip 4096
_uk_kvm_pdpt:
	.skip 4096
_uk_kvm_pd:
	.skip 4 * 4096
_uk_kvm_pt0:
	.skip 4096
	/* Splits the 2 MiB page of the guard when that is not the first. */
_uk_kvm_pt_guard:
	.skip 4096
	/* Unmapped by setup.c: overflowing the boot stack faults. */
_uk_kvm_boot_guard:
	.skip 4096
_uk_kvm_boot_stack:
	.skip BOOT_STACK_SIZE
	.balign 8
_uk_kvm_boot_tsc:
	.skip 8

	.section .note.GNU-stack, "", @progbits
