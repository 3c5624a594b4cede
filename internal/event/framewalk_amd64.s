//go:build gc

#include "textflag.h"

// func callerFP() uintptr
//
// NOFRAME: BP is still the frame pointer of callerFP's caller.
TEXT ·callerFP(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ	BP, ret+0(FP)
	RET

// func frameAt(fp uintptr) (ret, next uintptr)
TEXT ·frameAt(SB), NOSPLIT|NOFRAME, $0-24
	MOVQ	fp+0(FP), AX
	MOVQ	8(AX), BX
	MOVQ	BX, ret+8(FP)
	MOVQ	0(AX), BX
	MOVQ	BX, next+16(FP)
	RET
