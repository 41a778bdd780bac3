// Starts s3rver (S3, files in a temporary folder) on a loopback port the OS picks and prints one JSON line,
// {"port": N}, once it listens. The Java side (io.atlascmk.sandbox.s3.S3rver) reads that line and stops this
// process when the sandbox or the test is done; the folder goes with it. Exits when stdin closes, so an orphan
// never outlives the JVM that started it.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

const directory = mkdtempSync(path.join(tmpdir(), 's3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = async () => {
  await server.close().catch(() => {});
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.resume();
process.stdin.on('end', stop);
process.on('SIGTERM', stop);
