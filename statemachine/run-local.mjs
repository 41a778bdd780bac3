// Runs rotation.asl.json once on the local engine (aws-local-stepfunctions) and streams the
// execution's events to stdout as JSON lines, for the Java local runner in cli/ to follow.
//
//   node --import ./polyfill.mjs run-local.mjs --substitutions FILE --input FILE --name EXECUTION_NAME
//        [--compress-waits] [--region REGION] [--fleet]
//
// --fleet runs fleet.asl.json instead; its child executions (states:startExecution.sync:2) are Tasks too,
// served by the local runner's endpoint under that resource name.
//
// Tasks go to Lambda Invoke; point AWS_ENDPOINT_URL_LAMBDA at the local runner's endpoint (or
// leave it unset to call real Lambda functions named in the substitutions). With --compress-waits
// (sandbox only) every Wait state and Retry pause takes no real time; the sandbox advances its own
// clock instead. Exit code: 0 succeeded, 1 failed, 2 bad usage.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';
import { loadDefinition, loadFleetDefinition } from './definition.mjs';

function usage(message) {
  process.stderr.write(`${message}\nusage: run-local.mjs --substitutions FILE --input FILE --name EXECUTION_NAME [--compress-waits] [--region REGION] [--fleet]\n`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      substitutions: { type: 'string' },
      input: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      'compress-waits': { type: 'boolean', default: false },
      fleet: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  usage(e.message);
}
for (const required of ['substitutions', 'input', 'name']) {
  if (!args[required]) usage(`--${required} is required`);
}

const values = JSON.parse(readFileSync(args.substitutions, 'utf8'));
const definition = args.fleet ? loadFleetDefinition(values) : loadDefinition(values);
const input = JSON.parse(readFileSync(args.input, 'utf8'));
const stateNames = Object.keys(definition.States);
const overrides = {};
if (args['compress-waits']) {
  overrides.waitTimeOverrides = Object.fromEntries(stateNames.filter((s) => definition.States[s].Type === 'Wait').map((s) => [s, 0]));
  overrides.retryIntervalOverrides = Object.fromEntries(stateNames.filter((s) => definition.States[s].Retry).map((s) => [s, 0]));
}

const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
const startTime = new Date().toISOString();
const execution = machine.run(input, {
  overrides,
  context: { Execution: { Id: `local:${args.name}`, Name: args.name, Input: input, StartTime: startTime } },
});

const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const following = (async () => {
  for await (const event of execution.eventLogs) emit(event);
})();

let exitCode = 0;
try {
  await execution.result;
} catch {
  exitCode = 1;
}
await following;
// A pipe's writes may still be queued (an event line longer than the pipe takes at once, such as a fleet run's
// output): exit only once stdout has taken everything, or the reader gets a cut line.
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(exitCode);
