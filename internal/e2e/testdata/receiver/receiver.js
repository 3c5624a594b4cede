// receiver.js runs sentry-testkit's local Sentry server for logcrumbs'
// end-to-end tests (package internal/e2e starts it).
//
// It prints one JSON line on stdout when ready:
//   {"dsn": "<DSN for sentry-go>", "control": "http://127.0.0.1:<port>"}
// The control server answers
//   GET  /reports  the events the Sentry server parsed, as JSON
//   GET  /logs     the Sentry Logs entries it parsed (log envelope items)
//   POST /reset    forgets them
// The process exits when its stdin closes, so a crashed test never leaves it
// running.
'use strict';

const http = require('http');
const sentryTestkit = require('sentry-testkit');

const { testkit, localServer } = sentryTestkit();

async function main() {
  // The DSN only names the project; localServer picks a free port.
  await localServer.start('http://key@127.0.0.1/1');
  // sentry-testkit names the host "localhost"; pin it to IPv4 loopback so
  // the Go client does not depend on how this machine resolves localhost.
  const dsn = localServer.getDsn().replace('@localhost:', '@127.0.0.1:');

  const control = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/reports') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(testkit.reports()));
      return;
    }
    if (req.method === 'GET' && req.url === '/logs') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(testkit.logs()));
      return;
    }
    if (req.method === 'POST' && req.url === '/reset') {
      testkit.reset();
      res.end('ok');
      return;
    }
    res.statusCode = 404;
    res.end('unknown: ' + req.method + ' ' + req.url);
  });
  control.listen(0, '127.0.0.1', () => {
    const port = control.address().port;
    process.stdout.write(JSON.stringify({ dsn, control: 'http://127.0.0.1:' + port }) + '\n');
  });

  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write('receiver: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
