/*
 * The boot benchmark's floor: the least a PVH kernel can do.  Entered by
 * QEMU in 32-bit protected mode, it writes one line to COM1 (QEMU's UART
 * needs no setup to transmit) and exits through isa-debug-exit with
 * status 0.  Whatever time helloworld takes beyond this is ukmon's own
 * boot cost.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4
	.long 8
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
	mov $msg, %esi
	mov $0x3f8, %dx
1:	lodsb
	test %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	xor %eax, %eax
	outb %al, $0xf4
3:	hlt
	jmp 3b

	.section .rodata.floor, "a"
msg:	.asciz "floor\n"

	.section .note.GNU-stack, "", @progbits
