//go:build gc && !race

#include "go_asm.h"
#include "textflag.h"

// func walkHints(fp, fp0 uintptr, f *frameSite, limit int) (last *frameSite, ret, next uintptr, n int)
//
// NOFRAME: BP is still the frame pointer of walkHints' caller (walkSite).
TEXT ·walkHints(SB), NOSPLIT|NOFRAME, $0-64
	MOVQ	fp+0(FP), AX
	MOVQ	f+16(FP), DX
	MOVQ	limit+24(FP), R8
	XORQ	CX, CX             // n
	XORQ	SI, SI             // ret
	CMPQ	BP, fp0+8(FP)
	JEQ	loop
	MOVQ	$-1, CX            // the stack moved: read nothing
	JMP	done
loop:
	CMPQ	CX, R8
	JGE	done
	TESTQ	AX, AX
	JEQ	done
	MOVQ	(frameSite_next)(DX), R9 // the hint (atomic.Pointer's only word)
	TESTQ	R9, R9
	JEQ	done
	MOVQ	8(AX), R10         // the frame's return address
	CMPQ	R10, (frameSite_ret)(R9)
	JNE	done
	MOVQ	R9, DX
	MOVQ	R10, SI
	MOVQ	0(AX), AX
	INCQ	CX
	CMPB	(frameSite_kind)(R9), $const_passFrame
	JEQ	loop
done:
	MOVQ	DX, last+32(FP)
	MOVQ	SI, ret+40(FP)
	MOVQ	AX, next+48(FP)
	MOVQ	CX, n+56(FP)
	RET
