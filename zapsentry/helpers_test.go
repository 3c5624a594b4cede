package zapsentry_test

import (
	"bytes"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// newLogger returns a logger that tees a JSON core at Info, writing to out,
// with a logcrumbs core whose events reach the returned transport.
func newLogger(t *testing.T, opts zapsentry.Options, out *bytes.Buffer) (*zap.Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts.Hub = hub
	if out == nil {
		out = new(bytes.Buffer)
	}
	user := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.Lock(zapcore.AddSync(out)), zapcore.InfoLevel)
	return zap.New(zapcore.NewTee(user, zapsentry.NewCore(opts))), rec
}

type order struct {
	ID    string
	Items int
}

func (o order) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("id", o.ID)
	enc.AddInt("items", o.Items)
	return nil
}

type addr struct{ host string }

func (a addr) String() string { return "host:" + a.host }

func userCore(out *bytes.Buffer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.Lock(zapcore.AddSync(out)), zapcore.InfoLevel)
}
