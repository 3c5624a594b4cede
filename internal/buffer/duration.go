package buffer

import "strconv"

// appendDuration appends d as time.Duration's String writes it ("3ms",
// "1.5µs", "1h0m2.000000003s", "0s"), without the string String returns:
// rendering a duration into a breadcrumb's slab cost about 370
// instructions that way (the format's digit-by-digit loop over the
// fraction, then a string copied to be appended), about a tenth of
// converting a breadcrumb. Here the whole and fractional parts are each
// divided off once, the fraction's trailing zeros dropped, and the digits
// written in place. TestAppendDurationIsString holds it to String.
func appendDuration(b []byte, d int64) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u // math.MinInt64 too: 1<<63 as a uint64
	}
	if u < 1e9 {
		switch {
		case u == 0:
			return append(b, '0', 's')
		case u < 1e3:
			return append(appendUint(b, u), 'n', 's')
		case u < 1e6:
			return append(appendFrac(b, u, 3, 1e3), "µs"...)
		default:
			return append(appendFrac(b, u, 6, 1e6), 'm', 's')
		}
	}
	secs := u / 1e9
	if mins := secs / 60; mins > 0 {
		if hours := mins / 60; hours > 0 {
			b = append(strconv.AppendUint(b, hours, 10), 'h')
		}
		b = append(strconv.AppendUint(b, mins%60, 10), 'm')
	}
	b = strconv.AppendUint(b, secs%60, 10)
	return append(appendFraction(b, u%1e9, 9), 's')
}

// appendFrac appends v/unit, with its fraction of prec digits (unit is
// 10^prec) as appendFraction writes it.
func appendFrac(b []byte, v uint64, prec int, unit uint64) []byte {
	return appendFraction(appendUint(b, v/unit), v%unit, prec)
}

// appendUint is strconv.AppendUint(b, v, 10) with a one-digit v appended
// here: the whole part of most durations a breadcrumb holds ("3ms",
// "1.5µs") is one digit, and the call cost about 30 instructions of
// rendering one (BenchmarkBreadcrumbs: 2,754 -> 2,713 instructions a breadcrumb).
func appendUint(b []byte, v uint64) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	return strconv.AppendUint(b, v, 10)
}

// appendFraction appends '.' and the prec digits of frac, leading zeros
// kept and trailing ones dropped, or nothing for a frac of 0.
func appendFraction(b []byte, frac uint64, prec int) []byte {
	if frac == 0 {
		return b
	}
	for frac%10 == 0 {
		frac /= 10
		prec--
	}
	b = append(b, '.')
	n := len(b)
	for range prec {
		b = append(b, '0')
	}
	for i := len(b) - 1; i >= n; i-- {
		b[i] = byte(frac%10) + '0'
		frac /= 10
	}
	return b
}
