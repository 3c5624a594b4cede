//go:build gc && !race

#include "go_asm.h"
#include "textflag.h"

// func walkHints(fp, fp0 uintptr, f *frameSite, limit int) (last *frameSite, ret, next uintptr, n int, before, after *frameSite)
//
// NOFRAME: BP is still the frame pointer of walkHints' caller (walkSite).
//
// R8 counts the frames left down from limit, and n is limit minus R8 at
// the end; the return address of the last frame followed is its entry's
// (they are equal, or it was not followed): 14 instructions a frame, where
// counting n up, testing it against limit and keeping ret took 16
// (cachegrind, ZerologRepeat/hook: about 20 a record). R12 is after: the
// hint of the last frame followed when it is not a passFrame and the
// frame after it has the hint's return address, else 0.
TEXT ·walkHints(SB), NOSPLIT|NOFRAME, $0-80
	MOVQ	fp+0(FP), AX
	MOVQ	f+16(FP), DX
	MOVQ	limit+24(FP), R8
	MOVQ	DX, R11            // before: the entry before last
	XORQ	R12, R12           // after
	CMPQ	BP, fp0+8(FP)
	JNE	moved
	TESTQ	R8, R8
	JLE	done
loop:
	TESTQ	AX, AX
	JEQ	done
	MOVQ	(frameSite_next)(DX), R9 // the hint (atomic.Pointer's only word)
	TESTQ	R9, R9
	JEQ	done
	MOVQ	8(AX), R10         // the frame's return address
	CMPQ	R10, (frameSite_ret)(R9)
	JNE	done
	MOVQ	DX, R11
	MOVQ	R9, DX
	MOVQ	0(AX), AX
	CMPB	(frameSite_kind)(R9), $const_passFrame
	JNE	last
	DECQ	R8
	JNZ	loop
	JMP	done
last:
	DECQ	R8                 // the frame followed, not a passFrame
	TESTQ	AX, AX             // the frame after it, if its hint's
	JEQ	done
	MOVQ	(frameSite_next)(DX), R9
	TESTQ	R9, R9
	JEQ	done
	MOVQ	8(AX), R10
	CMPQ	R10, (frameSite_ret)(R9)
	JNE	done
	MOVQ	R9, R12
done:
	MOVQ	limit+24(FP), CX
	SUBQ	R8, CX             // n
	XORQ	SI, SI             // ret: 0 when no frame was followed
	TESTQ	CX, CX
	JEQ	out
	MOVQ	(frameSite_ret)(DX), SI
out:
	MOVQ	DX, last+32(FP)
	MOVQ	SI, ret+40(FP)
	MOVQ	AX, next+48(FP)
	MOVQ	CX, n+56(FP)
	MOVQ	R11, before+64(FP)
	MOVQ	R12, after+72(FP)
	RET
moved:
	MOVQ	DX, last+32(FP)    // the stack moved: read nothing
	MOVQ	$0, ret+40(FP)
	MOVQ	AX, next+48(FP)
	MOVQ	$-1, n+56(FP)
	MOVQ	DX, before+64(FP)
	MOVQ	$0, after+72(FP)
	RET
