package core

import "testing"

// TestLevelsEnabledAndDecide: Decide and Enabled answer what the levels
// mean (a record at or above the event level is an event, else at or above
// the breadcrumb level a breadcrumb, with the Logs flag at or above the
// Logs level), for fixed and dynamic breadcrumb and event levels, without
// Logs and with fixed or dynamic Logs levels, the breadcrumb level above the
// event level included, at every level; and so does the zero Levels.
func TestLevelsEnabledAndDecide(t *testing.T) {
	type level int8
	at := func(x level) func(level) bool { return func(l level) bool { return l >= x } }
	var zero Levels[level]
	for l := level(-128); ; l++ {
		want := Skip
		if l >= 0 {
			want = Event
		}
		if got := zero.Decide(l); got != want {
			t.Fatalf("zero Levels: Decide(%d) = %v, want %v", l, got, want)
		}
		if got := zero.Enabled(l); got != (want != Skip) {
			t.Fatalf("zero Levels: Enabled(%d) = %v, want %v", l, got, want != Skip)
		}
		if l == 127 {
			break
		}
	}
	bounds := []level{-5, -1, 0, 2, 4, 8}
	for _, b := range bounds {
		for _, e := range bounds {
			for _, logs := range []level{-100, -5, 0, 4, 100} { // -100: no Logs
				for variant := range 4 { // fixed or dynamic breadcrumb/event, fixed or dynamic Logs
					v := FixedLevels(b, e)
					if variant&1 != 0 {
						v = DynamicLevels(at(b), at(e))
					}
					if logs != -100 {
						if variant&2 != 0 {
							v = v.WithDynamicLogs(at(logs))
						} else {
							v = v.WithLogs(logs)
						}
					}
					for l := level(-128); ; l++ {
						want := Skip
						switch {
						case l >= e:
							want = Event
						case l >= b:
							want = Breadcrumb
						}
						if logs != -100 && l >= logs {
							want |= Logs
						}
						if got := v.Decide(l); got != want {
							t.Fatalf("b=%d e=%d logs=%d variant %d: Decide(%d) = %v, want %v", b, e, logs, variant, l, got, want)
						}
						if got := v.Enabled(l); got != (want != Skip) {
							t.Fatalf("b=%d e=%d logs=%d variant %d: Enabled(%d) = %v, want %v", b, e, logs, variant, l, got, want != Skip)
						}
						if l == 127 {
							break
						}
					}
				}
			}
		}
	}
}
