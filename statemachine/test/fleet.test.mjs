// Routing tests for fleet.asl.json on the local engine: the plan and the child executions are scripted, so
// these prove the fleet's fan-out, its concurrency bound and that a failed child never stops the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from 'aws-local-stepfunctions';
import { loadFleetDefinition, sampleFleetSubstitutions } from '../definition.mjs';

function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

const PROJECTS = ['5f1e2d3c4b5a69788796a5b4', '6a7b8c9d0e1f2a3b4c5d6e7f', '65a1b2c3d4e5f60718293a4b',
  '0a0b0c0d0e0f0a0b0c0d0e0f', '1a1b1c1d1e1f1a1b1c1d1e1f'];

async function runFleet({ due, failing = [], maxConcurrency = 2, planFails = false } = {}) {
  const definition = loadFleetDefinition(sampleFleetSubstitutions);
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const children = [];
  const events = [];
  let running = 0;
  let peak = 0;
  const handlers = {
    PlanFleet: async (input) => {
      if (planFails) throw namedError('io.atlascmk.rotator.registry.InvalidRegistryItemException', 'bad item');
      return { maxConcurrency: input.input.maxConcurrency ?? 5, due, notDue: 3, problems: [] };
    },
    RotateProject: async (input) => {
      running += 1;
      peak = Math.max(peak, running);
      children.push(input);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
      if (failing.includes(input.Input.projectId)) {
        throw namedError('States.TaskFailed', JSON.stringify({ Status: 'FAILED', Error: 'RotationFailed' }));
      }
      return { Name: input.Name, Status: 'SUCCEEDED', Input: input.Input, Output: { outcome: input.Input.mode === 'sweep' ? 'swept' : 'rotated' } };
    },
    NotifyFleetCompleted: async (input) => { events.push(input); return {}; },
    NotifyFleetFailed: async (input) => { events.push(input); return {}; },
  };
  const execution = machine.run(maxConcurrency === null ? {} : { maxConcurrency }, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: { PlanFleet: 0, NotifyFleetCompleted: 0, NotifyFleetFailed: 0 } },
    context: { Execution: { Id: 'local:fleet-2026-12-07', Name: 'fleet-2026-12-07' } },
  });
  const log = [];
  const collecting = (async () => { for await (const e of execution.eventLogs) log.push(e); })();
  let output;
  let error;
  try {
    output = await execution.result;
  } catch (e) {
    error = e;
  }
  await collecting;
  const failed = log.find((e) => e.type === 'ExecutionFailed');
  return { output, error: error && (failed?.Error ?? error.name), children, events, peak };
}

test('every due project runs as a child execution named after the fleet run, with its mode, at most maxConcurrency at once', async () => {
  const due = PROJECTS.map((projectId, i) => ({ projectId, mode: i === 4 ? 'sweep' : 'rotate', reason: 'due' }));
  const { output, children, events, peak } = await runFleet({ due, maxConcurrency: 2 });

  assert.equal(children.length, 5);
  assert.ok(peak <= 2, `at most 2 children at once, saw ${peak}`);
  assert.deepEqual(children.map((c) => c.Name).sort(), PROJECTS.map((p) => `fleet-2026-12-07-${p}`).sort());
  assert.deepEqual(children.find((c) => c.Input.projectId === PROJECTS[4]).Input, { projectId: PROJECTS[4], trigger: 'fleet', mode: 'sweep' });
  assert.equal(children[0].StateMachineArn, 'arn:aws:states:us-east-1:111122223333:stateMachine:atlas-cmk-rotator-rotation');
  assert.deepEqual(output.results.map((r) => r.status), Array(5).fill('SUCCEEDED'));
  assert.equal(events.length, 1);
  assert.equal(events[0].Entries[0].DetailType, 'Fleet Run Completed');
  assert.equal(events[0].Entries[0].Detail.started, 5);
});

test('a child that fails is reported and the others still run', async () => {
  const due = PROJECTS.slice(0, 3).map((projectId) => ({ projectId, mode: 'rotate', reason: 'due' }));
  const { output, children, events } = await runFleet({ due, failing: [PROJECTS[1]] });

  assert.equal(children.length, 3);
  const byProject = Object.fromEntries(output.results.map((r) => [r.projectId, r]));
  assert.equal(byProject[PROJECTS[1]].status, 'FAILED');
  assert.equal(byProject[PROJECTS[1]].error, 'States.TaskFailed');
  assert.equal(byProject[PROJECTS[0]].outcome, 'rotated');
  assert.equal(events[0].Entries[0].Detail.results.length, 3);
});

test('nothing due: no child, and the run still reports; a start without maxConcurrency runs with the default', async () => {
  const { output, children, events } = await runFleet({ due: [], maxConcurrency: null });
  assert.equal(children.length, 0);
  assert.deepEqual(output.results, []);
  assert.equal(events[0].Entries[0].Detail.started, 0);
});

test('a plan that fails starts nothing, says so, and fails the fleet run', async () => {
  const { error, children, events } = await runFleet({ due: [], planFails: true });
  assert.equal(children.length, 0);
  assert.equal(events[0].Entries[0].DetailType, 'Fleet Run Failed');
  assert.equal(error, 'FleetPlanFailed');
});
