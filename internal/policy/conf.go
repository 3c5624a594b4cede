package policy

import "github.com/getsentry/sentry-go"

// ClientConf is what an event needs of its client's options: Client.Options
// copies them all, at six allocations a call.
type ClientConf struct {
	Client           *sentry.Client
	MaxErrorDepth    int
	MaxBreadcrumbs   int // as sentry-go reads MaxBreadcrumbs: 0 is 100, negative none
	BeforeBreadcrumb func(*sentry.Breadcrumb, *sentry.BreadcrumbHint) *sentry.Breadcrumb
}

// Conf returns client's ClientConf. A client's options never change once
// it is made, so they are read once per client.
func (p *Process) Conf(client *sentry.Client) ClientConf {
	c := p.confs.get(client, func() ClientConf { return readConf(client) })
	c.Client = client // not kept in confs, which must not keep the client alive
	return c
}

func readConf(client *sentry.Client) ClientConf {
	o := client.Options()
	c := ClientConf{MaxErrorDepth: o.MaxErrorDepth, MaxBreadcrumbs: o.MaxBreadcrumbs, BeforeBreadcrumb: o.BeforeBreadcrumb}
	switch {
	case c.MaxBreadcrumbs < 0:
		c.MaxBreadcrumbs = 0
	case c.MaxBreadcrumbs == 0:
		c.MaxBreadcrumbs = 100
	}
	return c
}
