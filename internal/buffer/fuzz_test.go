package buffer

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRecord builds a record from arbitrary text, limits and operations and
// checks, after every operation, what any record promises (see checkRecord):
// no panic, the byte budgets held, attributes counted, groups balanced. A
// message, set whole or written in pieces, is kept as the longest whole-rune
// prefix of the input that fits, marked if cut (see checkMessage). At the
// end the breadcrumb's text is valid UTF-8 and encodes as JSON, and a JSON
// value is decoded only when its text is one whole value.
func FuzzRecord(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6}, "msg", "key", "value é\xff", 4, 16, 64)
	f.Add([]byte{3, 3, 3, 4, 4, 4, 4, 0}, "", "", "{\"a\":1}", 1, 1, 1)
	f.Add([]byte{5, 5, 1, 6, 2}, "ééééé", "k\x00", "ééééééééé", 64, 3, 10)
	f.Add([]byte{2, 2, 9, 7, 13, 5}, "", "kk", "123456789", 10, 100, 10)
	f.Add([]byte{8, 0x88, 3, 0x25, 15, 12}, "日本語のメッセージ", "キー", "値\xe6\x97", 8, 4, 40)
	f.Add([]byte{5, 10, 11, 3, 3, 10, 4, 14, 12}, "m", "g", "[1,2,3]", 3, 2, 0)
	f.Fuzz(func(t *testing.T, ops []byte, msg, key, val string, maxAttrs, maxValue, maxRecord int) {
		limits := Limits{MaxAttrs: maxAttrs % 200, MaxValueBytes: maxValue % 4096, MaxRecordBytes: maxRecord % 8192}.WithDefaults(DefaultBreadcrumbLimits)
		r := Get(time.Unix(1, 0), Level(len(ops)%6), limits)
		r.SetMessage(msg)
		if err := checkMessage(r.Message(), msg, min(limits.MaxValueBytes, limits.MaxRecordBytes)); err != nil {
			t.Fatalf("SetMessage: %v", err)
		}
		for i, op := range ops {
			switch op % 16 {
			case 0:
				r.AddText(KindString, key, val)
			case 1:
				r.AddScalar(KindInt64, key, uint64(i))
			case 2:
				r.AddText(KindJSON, key, val)
			case 3:
				r.OpenGroup(key)
			case 4:
				r.CloseGroup()
			case 5:
				r.BeginText(KindString, key)
				_, _ = r.WriteString(val)
				_, _ = r.Write([]byte(val))
				r.EndText()
			case 6:
				r.AddScalar(KindFloat64, key, uint64(i)<<52)
			case 7:
				c := Get(time.Time{}, 0, limits)
				c.copyFrom(r)
				r.AppendRecord(c)
			case 8: // written in two pieces, split anywhere (inside a rune too)
				split := int(op>>4) % (len(val) + 1)
				r.BeginText(KindJSON, key)
				_, _ = r.WriteString(val[:split])
				_, _ = r.WriteString(val[split:])
				r.EndText()
			case 9:
				r.AddText(KindError, val, key)
			case 10:
				pre := Get(time.Time{}, 0, DefaultEventLimits)
				pre.AddText(KindJSON, key, val)
				pre.OpenGroup(val)
				pre.AddText(KindString, key, msg)
				r.AppendRecord(pre)
			case 11:
				r.CloseAll()
			case 12: // the message again, written in pieces
				r.BeginMessage()
				for j := 0; j < len(msg); j += 1 + int(op>>4) {
					_, _ = r.WriteString(msg[j:min(len(msg), j+1+int(op>>4))])
				}
				r.EndMessage()
				if err := checkMessage(r.Message(), msg, min(limits.MaxValueBytes, limits.MaxRecordBytes-int(r.msg.off))); err != nil {
					t.Fatalf("op %d, BeginMessage: %v", i, err)
				}
			case 13:
				r.SetLogger(val)
			case 14:
				d := r.Depth()
				r.OpenGroup(key)
				r.OpenGroup(val)
				r.AddScalar(KindBool, key, 1)
				r.CloseTo(d)
			case 15:
				c := Get(time.Time{}, 0, limits)
				c.copyFrom(r)
				if c.Breadcrumb() == nil || !reflect.DeepEqual(c.Data(), r.Data()) || c.Message() != r.Message() {
					t.Fatalf("op %d: a copy differs from its source", i)
				}
			}
			if err := checkRecord(r); err != nil {
				t.Fatalf("op %d (%d): %v", i, op%16, err)
			}
		}
		r.CloseAll()
		if r.Depth() != 0 || r.open != 0 {
			t.Fatalf("depth %d after CloseAll", r.Depth())
		}
		if err := checkRecord(r); err != nil {
			t.Fatal(err)
		}
		for i := range r.Len() {
			a := r.Attr(i)
			if a.Kind != KindJSON {
				continue
			}
			text := r.Text(a)
			if got, raw := r.Value(a), validUTF8(text); !json.Valid([]byte(text)) && got != raw {
				t.Fatalf("attr %d: JSON text %q, not one valid value, converted to %#v", i, text, got)
			}
		}
		b := r.Breadcrumb()
		if !utf8.ValidString(b.Message) || !utf8.ValidString(b.Category) {
			t.Fatalf("message %q, category %q: not valid UTF-8", b.Message, b.Category)
		}
		if err := validData(b.Data); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(b); err != nil {
			t.Fatalf("breadcrumb does not encode: %v", err)
		}
	})
}

// checkMessage checks got, what was kept of in within max bytes: all of it
// when it fits, else (for valid UTF-8 input) the longest whole-rune prefix
// that leaves room for the ellipsis, marked with it, or nothing when not
// even the mark fits.
func checkMessage(got, in string, max int) error {
	if len(in) <= max {
		if got != in {
			return fmt.Errorf("kept %q of %q, which fits %d bytes", got, in, max)
		}
		return nil
	}
	if len(got) > max {
		return fmt.Errorf("kept %d bytes, limit %d", len(got), max)
	}
	if !utf8.ValidString(in) {
		return nil
	}
	body, marked := strings.CutSuffix(got, ellipsis)
	switch {
	case max < len(ellipsis) && got != "":
		return fmt.Errorf("kept %q in %d bytes", got, max)
	case max >= len(ellipsis) && (!marked || !strings.HasPrefix(in, body) || !utf8.ValidString(body)):
		return fmt.Errorf("kept %q of %q: not a whole-rune prefix and …", got, in)
	case max >= len(ellipsis) && len(body) <= max-len(ellipsis)-utf8.UTFMax:
		return fmt.Errorf("kept %q of %q in %d bytes: more cut than the rune boundary needs", got, in, max)
	}
	return nil
}

// validData reports a key or string in v, at any depth, that is not valid
// UTF-8.
func validData(v any) error {
	switch v := v.(type) {
	case string:
		if !utf8.ValidString(v) {
			return fmt.Errorf("value %q is not valid UTF-8", v)
		}
	case map[string]any:
		for k, e := range v {
			if !utf8.ValidString(k) {
				return fmt.Errorf("key %q is not valid UTF-8", k)
			}
			if err := validData(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range v {
			if err := validData(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// FuzzTrail appends, snapshots, releases and branches a trail in an
// arbitrary order, against a model of what it should hold: after every step
// Len, Dropped and Cap agree with the model, and a snapshot is the newest
// records, oldest first.
func FuzzTrail(f *testing.F) {
	f.Add(uint8(3), []byte{3, 3, 3, 3, 0, 3, 0})
	f.Add(uint8(1), []byte{3, 0, 3, 0, 0})
	f.Add(uint8(0), []byte{0})
	f.Add(uint8(2), []byte{3, 3, 3, 1, 0, 3, 2, 3, 3, 3, 0, 1, 1})
	f.Fuzz(func(t *testing.T, capacity uint8, ops []byte) {
		tr := NewTrail(int(capacity % 16))
		if c := int(capacity % 16); tr.Cap() != c && !(c == 0 && tr.Cap() == DefaultCapacity) {
			t.Fatalf("capacity %d gave %d", c, tr.Cap())
		}
		var kept []string // the model
		var dropped uint64
		next := 0
		for i, op := range ops {
			switch op % 8 {
			case 0:
				recs := tr.Snapshot(nil)
				got := make([]string, len(recs))
				for j, r := range recs {
					got[j] = r.Message()
				}
				// The records converted at once share one copy of their
				// text: each must read as it does converted alone.
				for j, b := range Breadcrumbs(recs, nil) {
					if alone := recs[j].Breadcrumb(); !reflect.DeepEqual(b, *alone) {
						t.Fatalf("op %d: breadcrumb %d is %+v converted with the others, %+v alone", i, j, b, *alone)
					}
				}
				PutAll(recs)
				if !slices.Equal(got, kept) {
					t.Fatalf("op %d: snapshot %v, want %v", i, got, kept)
				}
			case 1:
				tr.Release()
				kept = nil
			case 2:
				tr = tr.NewChild()
				dropped = 0
			default:
				r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
				r.SetLogger(strings.Repeat("l", next%3))
				r.SetMessage(fmt.Sprint(next))
				if op%2 == 0 {
					r.AddText(KindString, "k", strings.Repeat("v", next%5))
					r.AddScalar(KindInt64, "n", uint64(next))
				}
				tr.Append(r)
				kept = append(kept, fmt.Sprint(next))
				next++
				if len(kept) > tr.Cap() {
					kept = kept[1:]
					dropped++
				}
			}
			if tr.Len() != len(kept) || tr.Dropped() != dropped {
				t.Fatalf("op %d: len %d dropped %d, want %d and %d", i, tr.Len(), tr.Dropped(), len(kept), dropped)
			}
		}
	})
}

// FuzzChain: any error tree of wraps, joins, cycles and panics gives a
// bounded chain without panicking, and capture-once answers.
func FuzzChain(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4})
	f.Add([]byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3})
	f.Fuzz(func(t *testing.T, ops []byte) {
		// Every wrap copies the text of the error below it, which the
		// duplicating joins below double: bounded, so that the fuzzer's time
		// goes to the chain's shapes, not to the target's own error text.
		if len(ops) > 64 {
			ops = ops[:64]
		}
		var err error = errors.New("root")
		dups := 0
		for i, op := range ops {
			switch op % 5 {
			case 0:
				err = fmt.Errorf("wrap %d: %w", i, err)
			case 1:
				// A join that holds err twice doubles the text of Error():
				// past a few, fmt.Errorf above would spend the fuzzer's
				// time (and memory) in the target's own error text.
				if dups++; dups <= 8 {
					err = errors.Join(err, errors.New("other"), err)
				} else {
					err = errors.Join(err, errors.New("other"))
				}
			case 2:
				err = &selfErr{}
			case 3:
				err = panicUnwrap{}
			case 4:
				err = sliceErr{[]string{fmt.Sprint(i)}}
			}
		}
		if n := len(errorChain(err, nil)); n == 0 || n > maxChain {
			t.Fatalf("chain of %d errors", n)
		}
		tr := NewTrail(1)
		tr.captureOnce([]error{err}, "a", time.Now(), 0)
		tr.captureOnce([]error{err}, "b", time.Now(), 0)
	})
}
