/* answer.S - assembler that goes through the preprocessor. */
#define ANSWER_VALUE 42
	.text
	.globl	asm_answer
	.type	asm_answer, @function
asm_answer:
	movl	$ANSWER_VALUE, %eax
	ret
	.size	asm_answer, .-asm_answer
	.section	.note.GNU-stack,"",@progbits
