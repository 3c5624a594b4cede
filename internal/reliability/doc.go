// Package reliability holds logcrumbs' fault, soak and stress tests: they
// need all three loggers, the middleware and real transports at once, so
// they live apart from any one package. It is a test-only Go module of its
// own (its go.mod replaces the root, zapsentry and zerologsentry with this
// clone's directories), so that the root module requires no logger. It has
// no code of its own.
package reliability
