// Starts dynalite (DynamoDB, in memory) on a loopback port the OS picks and prints one JSON line,
// {"port": N}, once it listens. The Java side (io.atlascmk.sandbox.dynamo.Dynalite) reads that line and
// stops this process when the sandbox or the test is done. Exits when stdin closes, so an orphan never
// outlives the JVM that started it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');

const server = dynalite({});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
