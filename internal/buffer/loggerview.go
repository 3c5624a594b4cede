package buffer

// LoggerBytes returns the stored logger name as a view of the record's
// storage, valid until the record is reset or released: for comparing it
// without making a string of it (Logger's conversion allocates for a name
// over 32 bytes when it escapes).
func (r *Record) LoggerBytes() []byte { return r.bytes(r.logger) }
