// Package reliability holds logcrumbs' fault, soak and stress tests: they
// need all three loggers, the middleware and real transports at once, so
// they live apart from any one package. It has no code of its own.
package reliability
