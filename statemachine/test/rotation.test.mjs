// Routing tests for rotation.asl.json on the local engine: every Task is replaced by a scripted
// function, so these prove the workflow's paths, retries and catches independent of the Java steps
// (the end-to-end tests run the real handlers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from 'aws-local-stepfunctions';
import aslValidator from 'asl-validator';
import { loadDefinition, sampleSubstitutions, substitute, valueNames } from '../definition.mjs';
import { readFileSync } from 'node:fs';
import { definitionPath } from '../definition.mjs';

const TASKS = ['Preflight', 'CreateKey', 'GrantAtlasAccess', 'SwitchAtlasKey', 'CheckDeployment', 'Finalize',
  'AuditAndRetire', 'Rollback', 'RollbackAfterFailure', 'ReleaseLock', 'RotateKeyMaterial'];
const NOTIFY = ['NotifyPlan', 'NotifySkipped', 'NotifySwept', 'NotifyRotated', 'NotifyMaterialRotated', 'NotifyRolledBack',
  'NotifyDeploymentTimedOut', 'NotifyFailure', 'NotifyFailureAfterSwitch', 'NotifyRollbackFailed'];

function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

const rotatePlan = {
  projectId: '5f1e2d3c4b5a69788796a5b4', rotationId: 'exec-1', mode: 'rotate', decision: 'rotate', dryRun: false,
  currentKey: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', region: 'us-east-1' },
  atlasRoleArn: 'arn:aws:iam::111122223333:role/atlas-kms', reason: 'due',
  settings: { cooldownDays: 30, pendingWindowDays: 7, settleSeconds: 300, deploymentDeadlineSeconds: 3600, extraClusterNames: [], minRetirementDays: 30, adoptedKeys: 'delete-when-unused', copyTags: [] },
  lock: { projectId: '5f1e2d3c4b5a69788796a5b4', holder: 'exec-1', token: 7, leaseExpiresAt: '2026-11-30T12:00:00Z', takenOverFrom: null },
};

/** Scripted steps: each entry is a function of (input, callCount) or a fixed result. */
function scripted(overrides = {}) {
  const calls = {};
  const inputs = {};
  const defaults = {
    Preflight: () => rotatePlan,
    CreateKey: () => ({ keyId: 'new-key', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/new-key', region: 'us-east-1', created: true }),
    GrantAtlasAccess: () => ({ policyChanged: true, policyWrittenAt: '2026-11-30T09:59:50Z' }),
    SwitchAtlasKey: () => ({ switched: true, switchedAt: '2026-11-30T10:00:00Z' }),
    CheckDeployment: (input) => ({ status: input.attempt >= 2 ? 'deployed' : 'waiting', attempt: input.attempt + 1, waitSeconds: 60 }),
    Finalize: () => ({ activeKeyId: 'new-key', retiredKeyId: rotatePlan.currentKey.keyId }),
    AuditAndRetire: () => ({ keys: [] }),
    Rollback: (input) => ({ atlasKeyId: rotatePlan.currentKey.keyId, abandonedKeyId: 'new-key', status: 'done', attempt: input.attempt + 1, waitSeconds: 0 }),
    RotateKeyMaterial: (input) => ({ keyId: rotatePlan.currentKey.keyId, keyArn: input.keyId, rotationPeriodDays: input.rotationPeriodDays, periodChanged: true, rotatedOnDemand: input.onDemand, lastRotation: '2026-11-30T10:00:00Z' }),
  };
  const handlers = {};
  for (const state of [...TASKS, ...NOTIFY]) {
    const step = state === 'RollbackAfterFailure' ? 'Rollback' : state;
    handlers[state] = async (input) => {
      calls[state] = (calls[state] ?? 0) + 1;
      (inputs[state] ??= []).push(input);
      const fn = overrides[step] ?? defaults[step] ?? (() => ({}));
      const result = await fn(input, calls[state]);
      // as the real Preflight does: its result names the input's trigger, 'unspecified' when there is none
      return step === 'Preflight' && result.trigger === undefined ? { ...result, trigger: input.input.trigger ?? 'unspecified' } : result;
    };
  }
  return { handlers, calls, inputs };
}

async function run(input, overrides) {
  const definition = loadDefinition(sampleSubstitutions());
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const { handlers, calls, inputs } = scripted(overrides);
  const zero = Object.fromEntries([...TASKS, ...NOTIFY].map((s) => [s, 0]));
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { WaitForDeployment: 0, WaitForRollback: 0, WaitForRollbackAfterFailure: 0 }, retryIntervalOverrides: zero },
    context: { Execution: { Name: 'exec-1', Input: input, StartTime: new Date().toISOString() } },
  });
  const events = [];
  const collecting = (async () => { for await (const e of execution.eventLogs) events.push(e); })();
  let output;
  let error;
  try {
    output = await execution.result;
  } catch (e) {
    error = e;
  }
  await collecting;
  const entered = events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name);
  const retried = events.filter((e) => e.type === 'StateRetried').map((e) => e.state.name);
  const failed = events.find((e) => e.type === 'ExecutionFailed');
  return { output, error: error && { name: failed?.Error ?? error.cause?.name ?? error.name, cause: failed?.Cause }, entered, retried, calls, inputs, events };
}

test('the definition lints clean with asl-validator once substituted', () => {
  const { isValid, errorsText } = aslValidator(loadDefinition(sampleSubstitutions()));
  assert.equal(isValid, true, errorsText('\n'));
});

test('asl-validator reports a broken definition (the lint can fail)', () => {
  const broken = loadDefinition(sampleSubstitutions());
  broken.States.CreateKey.Next = 'NoSuchState';
  assert.equal(aslValidator(broken).isValid, false);
});

test('the committed definition is plain JSON, with every placeholder inside a string', () => {
  const text = readFileSync(definitionPath, 'utf8');
  const definition = JSON.parse(text);
  const numbersWithPlaceholders = [];
  JSON.parse(text, (key, value) => {
    if (typeof value === 'string' && value.includes('${') && !/^(arn:|\$\{|States\.StringToJson\('\$\{[A-Za-z0-9]+\}'\)$)/.test(value)) {
      numbersWithPlaceholders.push(`${key}: ${value}`);
    }
    return value;
  });
  assert.deepEqual(numbersWithPlaceholders, []);
  assert.equal(definition.TimeoutSeconds, sampleSubstitutions().ExecutionTimeoutSeconds, 'the file holds the deployed default timeout');
});

test('settings are set on the parsed definition: the execution timeout and every retry cap', () => {
  const definition = loadDefinition({ ...sampleSubstitutions(), ExecutionTimeoutSeconds: 7200, RetryMaxDelaySeconds: 17 });
  assert.equal(definition.TimeoutSeconds, 7200);
  const caps = Object.values(definition.States).flatMap((s) => (s.Retry ?? []).map((r) => r.MaxDelaySeconds));
  assert.ok(caps.length > 10);
  assert.deepEqual([...new Set(caps)], [17]);
  assert.equal(definition.States.Preflight.Parameters.defaults['cooldownDays.$'], "States.StringToJson('30')");
  assert.throws(() => loadDefinition({ ...sampleSubstitutions(), ExecutionTimeoutSeconds: '7200' }), /ExecutionTimeoutSeconds must be a positive whole number/);
});

test('every substitution is filled and none is left over', () => {
  const text = readFileSync(definitionPath, 'utf8');
  assert.deepEqual(valueNames(text), Object.keys(sampleSubstitutions()).sort());
  assert.throws(() => substitute(text, { ...sampleSubstitutions(), Extra: 1 }), /not used by the definition/);
  const { EventBusName, ...withoutBus } = sampleSubstitutions();
  assert.throws(() => substitute(text, withoutBus), /No value for substitution\(s\) EventBusName/);
});

test('every Task retries transient errors with capped full-jitter backoff and catches the rest', () => {
  const definition = loadDefinition(sampleSubstitutions());
  for (const [name, state] of Object.entries(definition.States).filter(([, s]) => s.Type === 'Task')) {
    assert.ok(state.Retry?.length > 0, `${name} has no Retry`);
    for (const r of state.Retry) {
      assert.equal(r.JitterStrategy, 'FULL', `${name} retry without full jitter`);
      assert.ok(r.MaxDelaySeconds > 0, `${name} retry without MaxDelaySeconds`);
    }
    if (!name.startsWith('Notify') && name !== 'ReleaseLock') {
      assert.ok(state.Retry[0].ErrorEquals.includes('io.atlascmk.rotator.atlas.AtlasRateLimitedException'), `${name} does not retry Atlas throttling`);
      assert.ok(state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), `${name} has no catch-all`);
    }
  }
});

test('happy path: creates, grants, switches, waits until deployed, finalizes, audits and reports', async () => {
  const r = await run({ projectId: rotatePlan.projectId });
  assert.equal(r.error, undefined);
  assert.deepEqual(r.entered.filter((s) => TASKS.includes(s) || NOTIFY.includes(s)),
    ['Preflight', 'CreateKey', 'GrantAtlasAccess', 'SwitchAtlasKey', 'CheckDeployment', 'CheckDeployment', 'CheckDeployment',
      'Finalize', 'AuditAndRetire', 'NotifyRotated', 'ReleaseLock']);
  assert.equal(r.entered.filter((s) => s === 'WaitForDeployment').length, 3);
  assert.equal(r.output.outcome, 'rotated');
  assert.deepEqual(r.inputs.Preflight[0].defaults,
    { cooldownDays: 30, pendingWindowDays: 30, settleSeconds: 300, deploymentDeadlineSeconds: 21600 }, 'numbers, not strings');
  assert.equal(r.inputs.CheckDeployment[0].maxWaitSeconds, 900);
  assert.equal(r.output.newKey.keyId, 'new-key');
  assert.equal(r.output.previousKey.keyId, rotatePlan.currentKey.keyId);
  assert.equal(r.inputs.NotifyRotated[0].Entries[0].DetailType, 'Rotation Succeeded');
  assert.equal(r.inputs.Preflight[0].rotationId, 'exec-1');
  assert.deepEqual(r.inputs.AuditAndRetire[0], { projectId: rotatePlan.projectId, rotationId: 'exec-1', dryRun: false, pendingWindowDays: 7, extraClusterNames: [], minRetirementDays: 30, settleSeconds: 300, adoptedKeys: 'delete-when-unused', lock: rotatePlan.lock });
  for (const writer of ['CreateKey', 'GrantAtlasAccess', 'SwitchAtlasKey', 'CheckDeployment', 'Finalize']) {
    assert.deepEqual(r.inputs[writer][0].lock, rotatePlan.lock, `${writer} gets the lock to confirm`);
  }
  const release = r.inputs.ReleaseLock[0];
  assert.equal(release.TableName, 'atlas-cmk-rotator-locks');
  assert.deepEqual(release.Key, { projectId: { S: rotatePlan.projectId } });
  assert.equal(release.ConditionExpression, '#holder = :me AND #token = :t');
  assert.deepEqual(release.ExpressionAttributeValues, { ':me': { S: 'exec-1' }, ':t': { N: '7' } }, 'only this holder and token release it');
});

test('every end releases the lock the run took; a dry run, a skip or a failed Preflight hold none', async () => {
  const failures = {
    rolledBack: { CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }) },
    timedOut: { CheckDeployment: (input) => ({ status: 'expired', attempt: input.attempt + 1, waitSeconds: 60 }) },
    failedBeforeSwitch: { GrantAtlasAccess: () => { throw namedError('io.atlascmk.rotator.rotation.KeyPolicyLockoutException', 'x'); } },
    failedAfterSwitch: { Finalize: () => { throw namedError('io.atlascmk.rotator.kms.KmsAccessDeniedException', 'x'); } },
    rollbackFailed: { GrantAtlasAccess: () => { throw namedError('io.atlascmk.rotator.rotation.KeyPolicyLockoutException', 'x'); },
      Rollback: () => { throw namedError('io.atlascmk.rotator.kms.KmsAccessDeniedException', 'x'); } },
  };
  for (const [name, overrides] of Object.entries(failures)) {
    const r = await run({ projectId: rotatePlan.projectId }, overrides);
    assert.ok(r.error, `${name} fails the run`);
    assert.equal(r.calls.ReleaseLock, 1, `${name} releases the lock once`);
  }
  const releaseFails = await run({ projectId: rotatePlan.projectId },
    { ReleaseLock: () => { throw namedError('DynamoDB.ConditionalCheckFailedException', 'taken over'); } });
  assert.equal(releaseFails.output.outcome, 'rotated', 'a lock already gone does not fail a finished rotation');
  const noLock = [
    await run({ projectId: rotatePlan.projectId, dryRun: true }, { Preflight: () => ({ ...rotatePlan, decision: 'plan', dryRun: true, lock: null }) }),
    await run({ projectId: rotatePlan.projectId }, { Preflight: () => ({ ...rotatePlan, decision: 'skip', reason: 'locked by exec-0', lock: null }) }),
    await run({ projectId: rotatePlan.projectId }, { Preflight: () => { throw namedError('io.atlascmk.rotator.atlas.AtlasForbiddenException', 'x'); } }),
  ];
  for (const r of noLock) {
    assert.equal(r.calls.ReleaseLock, undefined);
  }
});

test('dry run returns the plan and changes nothing', async () => {
  const plan = { newKey: { region: 'us-east-1' }, clusters: ['c1'] };
  const r = await run({ projectId: rotatePlan.projectId, dryRun: true },
    { Preflight: () => ({ ...rotatePlan, dryRun: true, decision: 'plan', plan }) });
  assert.equal(r.output.outcome, 'dry-run');
  assert.deepEqual(r.output.plan, plan);
  for (const write of ['CreateKey', 'GrantAtlasAccess', 'SwitchAtlasKey', 'Finalize', 'AuditAndRetire', 'Rollback']) {
    assert.equal(r.calls[write], undefined, `${write} ran in a dry run`);
  }
});

test('a skipped rotation (cooldown) reports why and changes nothing', async () => {
  const r = await run({ projectId: rotatePlan.projectId },
    { Preflight: () => ({ ...rotatePlan, decision: 'skip', reason: 'cooldown: key active for 3 of 30 days' }) });
  assert.deepEqual(r.output, { outcome: 'skipped', projectId: rotatePlan.projectId, rotationId: 'exec-1', reason: 'cooldown: key active for 3 of 30 days' });
  assert.equal(r.calls.CreateKey, undefined);
});

test('sweep mode runs only AuditAndRetire', async () => {
  const r = await run({ projectId: rotatePlan.projectId, mode: 'sweep' },
    { Preflight: () => ({ ...rotatePlan, mode: 'sweep', decision: 'sweep' }), AuditAndRetire: () => ({ keys: [{ keyId: 'old', decision: 'deletion-scheduled' }] }) });
  assert.deepEqual(r.entered, ['Preflight', 'Route', 'AuditAndRetire', 'RouteReport', 'NotifySwept', 'HoldsLock',
    'ReleaseLock', 'AfterRelease', 'SweepReport']);
  assert.equal(r.output.outcome, 'swept');
  assert.equal(r.output.audit.keys[0].decision, 'deletion-scheduled');
});

test('a key Atlas rejects is rolled back and the run fails without retiring anything', async () => {
  const r = await run({ projectId: rotatePlan.projectId },
    { CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }) });
  assert.equal(r.error?.name, 'RotationRolledBack');
  assert.equal(r.calls.Rollback, 1);
  assert.equal(r.calls.Finalize, undefined);
  assert.equal(r.calls.AuditAndRetire, undefined);
  assert.equal(r.inputs.Rollback[0].newKeyId, 'new-key');
  assert.equal(r.inputs.Rollback[0].oldKeyId, rotatePlan.currentKey.keyId);
  assert.equal(r.calls.NotifyRolledBack, 1);
});

test('a deployment past its deadline fails the run without retiring anything', async () => {
  const r = await run({ projectId: rotatePlan.projectId },
    { CheckDeployment: (input) => ({ status: input.attempt >= 1 ? 'expired' : 'waiting', attempt: input.attempt + 1, waitSeconds: 60 }) });
  assert.equal(r.error?.name, 'DeploymentDeadlineExceeded');
  assert.equal(r.calls.Finalize, undefined);
  assert.equal(r.calls.AuditAndRetire, undefined);
  assert.equal(r.calls.Rollback, undefined);
  assert.equal(r.calls.NotifyDeploymentTimedOut, 1);
});

test('Atlas throttling is retried and the rotation carries on', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    CreateKey: (input, n) => {
      if (n <= 2) throw namedError('io.atlascmk.rotator.atlas.AtlasRateLimitedException', 'Atlas answered 429');
      return { keyId: 'new-key', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/new-key', created: true };
    },
  });
  assert.equal(r.error, undefined);
  assert.deepEqual(r.retried, ['CreateKey', 'CreateKey']);
  assert.equal(r.output.outcome, 'rotated');
});

test('a new key KMS or Atlas cannot see yet is waited for, then the rotation carries on', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    GrantAtlasAccess: (input, n) => {
      if (n <= 3) throw namedError('io.atlascmk.rotator.rotation.NewKeyNotYetAuthorizedException', 'tags not seen yet');
      return { policyChanged: true, policyWrittenAt: '2026-11-30T10:02:00Z' };
    },
    SwitchAtlasKey: (input, n) => {
      if (n <= 2) throw namedError('io.atlascmk.rotator.rotation.AtlasKeyNotYetAccessibleException', 'Atlas cannot use the key yet');
      return { switched: true, switchedAt: '2026-11-30T10:03:00Z' };
    },
  });
  assert.equal(r.error, undefined);
  assert.deepEqual(r.retried, ['GrantAtlasAccess', 'GrantAtlasAccess', 'GrantAtlasAccess', 'SwitchAtlasKey', 'SwitchAtlasKey']);
  assert.equal(r.inputs.SwitchAtlasKey[0].policyWrittenAt, '2026-11-30T10:02:00Z', 'SwitchAtlasKey times its wait from the policy write');
  assert.equal(r.calls.Rollback, undefined);
  assert.equal(r.output.outcome, 'rotated');
});

test('waiting for a new key is bounded: a step that keeps saying "not yet" fails the run before any switch', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    GrantAtlasAccess: () => { throw namedError('io.atlascmk.rotator.rotation.NewKeyNotYetAuthorizedException', 'tags not seen yet'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.rotation.NewKeyNotYetAuthorizedException');
  assert.equal(r.calls.GrantAtlasAccess, 17, 'one call and 16 retries, no more');
  assert.equal(r.calls.SwitchAtlasKey, undefined);
  assert.equal(r.calls.NotifyFailure, 1);
});

test('a rollback Atlas refuses while clusters are still updating is retried until Atlas takes it', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }),
    Rollback: (input, n) => {
      if (n <= 4) throw namedError('io.atlascmk.rotator.atlas.AtlasConflictException', 'Atlas answered 409');
      return { atlasKeyId: rotatePlan.currentKey.keyId, abandonedKeyId: 'new-key', status: 'done', attempt: 1, waitSeconds: 0 };
    },
  });
  assert.equal(r.calls.Rollback, 5);
  assert.equal(r.calls.NotifyRolledBack, 1);
  assert.equal(r.calls.NotifyRollbackFailed, undefined);
});

test('an unknown deployment status after the switch is reported with the key Atlas was switched to', async () => {
  const r = await run({ projectId: rotatePlan.projectId },
    { CheckDeployment: (input) => ({ status: 'surprising', attempt: input.attempt + 1, waitSeconds: 60 }) });
  assert.equal(r.error?.name, 'UnexpectedStepResult');
  assert.equal(r.calls.NotifyFailureAfterSwitch, 1);
  const detail = r.inputs.NotifyFailureAfterSwitch[0].Entries[0].Detail;
  assert.equal(detail.atlasSwitchedTo.keyId, 'new-key');
  assert.match(detail.note, /Start a new execution with the same input/);
  assert.equal(r.calls.ReleaseLock, 1);
});

test('a rollback waits until Atlas is back on the old key with idle clusters, then reports; it gives up after 60 checks', async () => {
  const rejected = (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 });
  const settles = await run({ projectId: rotatePlan.projectId }, {
    CheckDeployment: rejected,
    Rollback: (input) => ({ atlasKeyId: rotatePlan.currentKey.keyId, abandonedKeyId: 'new-key', status: input.attempt < 3 ? 'waiting' : 'done',
      attempt: input.attempt + 1, waitSeconds: 60, message: 'clusters re-encrypting' }),
  });
  assert.equal(settles.calls.Rollback, 4);
  assert.deepEqual(settles.inputs.Rollback.map((i) => i.attempt), [0, 1, 2, 3]);
  assert.equal(settles.entered.filter((s) => s === 'WaitForRollback').length, 3);
  assert.equal(settles.calls.NotifyRolledBack, 1);
  assert.equal(settles.error?.name, 'RotationRolledBack');

  const never = await run({ projectId: rotatePlan.projectId }, {
    CheckDeployment: rejected,
    Rollback: (input) => ({ atlasKeyId: 'new-key', abandonedKeyId: 'new-key', status: 'waiting', attempt: input.attempt + 1, waitSeconds: 60, message: 'Atlas does not report the old key valid' }),
  });
  assert.equal(never.calls.Rollback, 60, 'bounded');
  assert.equal(never.calls.NotifyRollbackFailed, 1);
  assert.match(JSON.stringify(never.inputs.NotifyRollbackFailed[0]), /RollbackNotSettled/);
  assert.equal(never.calls.ReleaseLock, 1);
});

test('a permanent error is notified with its cause before the run fails', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    GrantAtlasAccess: () => { throw namedError('io.atlascmk.rotator.rotation.KeyPolicyLockoutException', 'the policy would lock the account out'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.rotation.KeyPolicyLockoutException');
  assert.equal(r.calls.GrantAtlasAccess, 1, 'a permanent error must not be retried');
  assert.equal(r.calls.SwitchAtlasKey, undefined);
  const detail = r.inputs.NotifyFailure[0].Entries[0].Detail;
  assert.equal(detail.error.Error, 'io.atlascmk.rotator.rotation.KeyPolicyLockoutException');
  assert.match(detail.error.Cause, /lock the account out/);
});

test('a switch Atlas refuses for good is rolled back, then reported as failed', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    SwitchAtlasKey: () => { throw namedError('io.atlascmk.rotator.atlas.AtlasInvalidRequestException', 'Atlas answered 400 INVALID_ENCRYPTION_KEY'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.atlas.AtlasInvalidRequestException');
  assert.equal(r.calls.RollbackAfterFailure, 1);
  assert.match(r.inputs.RollbackAfterFailure[0].reason, /INVALID_ENCRYPTION_KEY/);
  assert.equal(r.calls.NotifyFailure, 1);
  assert.equal(r.calls.Finalize, undefined);
});

test('each step receives exactly the fields of its documented example in events/', async () => {
  const r = await run({ projectId: rotatePlan.projectId });
  const files = {
    Preflight: 'preflight.json', CreateKey: 'create-key.json', GrantAtlasAccess: 'grant-atlas-access.json',
    SwitchAtlasKey: 'switch-atlas-key.json', CheckDeployment: 'check-deployment.json', Finalize: 'finalize.json',
    AuditAndRetire: 'audit-and-retire.json',
  };
  for (const [state, file] of Object.entries(files)) {
    const example = JSON.parse(readFileSync(new URL(`../../events/${file}`, import.meta.url), 'utf8'));
    assert.deepEqual(Object.keys(r.inputs[state][0]).sort(), Object.keys(example).sort(), `${state} input differs from events/${file}`);
  }
  const rejected = await run({ projectId: rotatePlan.projectId },
    { CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }) });
  const rollbackExample = JSON.parse(readFileSync(new URL('../../events/rollback.json', import.meta.url), 'utf8'));
  assert.deepEqual(Object.keys(rejected.inputs.Rollback[0]).sort(), Object.keys(rollbackExample).sort());
});

test('a failure after the switch says which key Atlas was switched to, and nothing is retired', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    Finalize: () => { throw namedError('io.atlascmk.rotator.kms.KmsAccessDeniedException', 'TagResource denied'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.kms.KmsAccessDeniedException');
  assert.equal(r.calls.NotifyFailure, undefined);
  const detail = r.inputs.NotifyFailureAfterSwitch[0].Entries[0].Detail;
  assert.equal(detail.atlasSwitchedTo.keyId, 'new-key');
  assert.equal(detail.previousKey.keyId, rotatePlan.currentKey.keyId);
  assert.match(detail.note, /Atlas was switched to the new key/);
  assert.equal(r.calls.AuditAndRetire, undefined);
});

test('a rollback that fails is reported as the urgent case, with both keys and the rollback error', async () => {
  const r = await run({ projectId: rotatePlan.projectId }, {
    CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }),
    Rollback: () => { throw namedError('io.atlascmk.rotator.atlas.AtlasForbiddenException', 'Atlas answered 403'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.atlas.AtlasForbiddenException');
  const detail = r.inputs.NotifyRollbackFailed[0].Entries[0].Detail;
  assert.equal(detail.rollbackError.Error, 'io.atlascmk.rotator.atlas.AtlasForbiddenException');
  assert.equal(detail.newKey.keyId, 'new-key');
  assert.match(detail.note, /may still name the new key/);
  assert.equal(r.calls.NotifyRolledBack, undefined);
});

test('a sweep whose audit fails is notified without claiming a key switch', async () => {
  const r = await run({ projectId: rotatePlan.projectId, mode: 'sweep' }, {
    Preflight: () => ({ ...rotatePlan, mode: 'sweep', decision: 'sweep' }),
    AuditAndRetire: () => { throw namedError('io.atlascmk.rotator.atlas.AtlasNotFoundException', 'cluster gone'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.atlas.AtlasNotFoundException');
  assert.equal(r.calls.NotifyFailure, 1);
  assert.equal(r.calls.NotifyFailureAfterSwitch, undefined);
});

test('the key-material method rotates the material, on demand unless scheduled, never touches Atlas, and releases the lock', async () => {
  const materialPlan = { ...rotatePlan, decision: 'rotate-material', settings: { ...rotatePlan.settings, method: 'key-material', rotationPeriodDays: 180 } };
  for (const [trigger, onDemand] of [['manual', true], ['alert', true], ['schedule', false], ['fleet', false], [undefined, true]]) {
    const input = trigger === undefined ? { projectId: rotatePlan.projectId } : { projectId: rotatePlan.projectId, trigger };
    const r = await run(input, { Preflight: () => materialPlan });
    assert.equal(r.error, undefined, `${trigger}: ${JSON.stringify(r.error)}`);
    assert.equal(r.output.outcome, 'material-rotated');
    assert.equal(r.inputs.RotateKeyMaterial[0].onDemand, onDemand, `trigger ${trigger}`);
    assert.equal(r.inputs.RotateKeyMaterial[0].rotationPeriodDays, 180);
    assert.equal(r.inputs.RotateKeyMaterial[0].keyId, rotatePlan.currentKey.keyArn);
    assert.deepEqual(r.inputs.RotateKeyMaterial[0].lock, rotatePlan.lock);
    assert.ok(!r.entered.includes('CreateKey') && !r.entered.includes('SwitchAtlasKey') && !r.entered.includes('AuditAndRetire'));
    assert.ok(r.entered.includes('ReleaseLock'));
    assert.equal(r.inputs.NotifyMaterialRotated[0].Entries[0].DetailType, 'Key Material Rotated');
  }
});

test('a key-material rotation that fails is reported and releases the lock, Atlas untouched', async () => {
  const materialPlan = { ...rotatePlan, decision: 'rotate-material', settings: { ...rotatePlan.settings, method: 'key-material', rotationPeriodDays: 365 } };
  const r = await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, {
    Preflight: () => materialPlan,
    RotateKeyMaterial: () => { throw namedError('io.atlascmk.rotator.rotation.KeyMaterialRotationLimitException', 'capped'); },
  });
  assert.equal(r.error?.name, 'io.atlascmk.rotator.rotation.KeyMaterialRotationLimitException');
  assert.ok(r.entered.includes('NotifyFailure') && r.entered.includes('ReleaseLock'));
  assert.ok(!r.entered.includes('Rollback'));
});

test('every event the workflow publishes carries the trigger and the execution start time', async () => {
  const paths = [
    await run({ projectId: rotatePlan.projectId, trigger: 'alert' }, {}),
    await run({ projectId: rotatePlan.projectId, trigger: 'fleet', mode: 'sweep' }, { Preflight: () => ({ ...rotatePlan, mode: 'sweep', decision: 'sweep' }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual', dryRun: true }, { Preflight: () => ({ ...rotatePlan, decision: 'plan', dryRun: true, lock: null, plan: {} }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'schedule' }, { Preflight: () => ({ ...rotatePlan, decision: 'skip', lock: null }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { Preflight: () => ({ ...rotatePlan, decision: 'rotate-material', settings: { ...rotatePlan.settings, rotationPeriodDays: 365 } }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { CheckDeployment: (input) => ({ status: 'expired', attempt: input.attempt + 1, waitSeconds: 0 }) }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { Finalize: () => { throw namedError('io.atlascmk.rotator.kms.KmsAccessDeniedException', 'denied'); } }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { GrantAtlasAccess: () => { throw namedError('io.atlascmk.rotator.rotation.KeyPolicyLockoutException', 'x'); } }),
    await run({ projectId: rotatePlan.projectId, trigger: 'manual' }, { CheckDeployment: (input) => ({ status: 'rejected', attempt: input.attempt + 1, waitSeconds: 60 }), Rollback: () => { throw namedError('io.atlascmk.rotator.atlas.AtlasForbiddenException', 'x'); } }),
  ];
  const published = new Set();
  const expected = ['alert', 'fleet', 'manual', 'schedule', 'manual', 'manual', 'manual', 'manual', 'manual', 'manual'];
  paths.forEach((r, i) => {
    const notified = NOTIFY.filter((s) => r.inputs[s]);
    assert.ok(notified.length > 0, `path ${i} published an event`);
    for (const state of notified) {
      published.add(state);
      const detail = r.inputs[state][0].Entries[0].Detail;
      assert.equal(detail.trigger, expected[i], `${state} of path ${i}`);
      // the engine stamps $$.Execution.StartTime itself: an ISO-8601 instant
      assert.ok(!Number.isNaN(Date.parse(detail.startedAt)) && /^\d{4}-\d\d-\d\dT/.test(detail.startedAt), `${state} of path ${i}: ${detail.startedAt}`);
    }
  });
  assert.deepEqual([...published].sort(), [...NOTIFY].sort(), 'every Notify state was on a path');
});

test('a Preflight failure (no $.run yet) is published with the input\'s trigger when it names a known one, else unspecified', async () => {
  const refused = { Preflight: () => { throw namedError('io.atlascmk.rotator.rotation.InvalidInputException', 'bad input'); } };
  for (const [input, trigger] of [[{ projectId: rotatePlan.projectId, trigger: 'alert' }, 'alert'],
    [{ projectId: rotatePlan.projectId }, 'unspecified'], [{ projectId: rotatePlan.projectId, trigger: 'whenever' }, 'unspecified'],
    [{ projectId: rotatePlan.projectId, trigger: 42 }, 'unspecified']]) {
    const r = await run(input, refused);
    assert.equal(r.error?.name, 'io.atlascmk.rotator.rotation.InvalidInputException');
    const detail = r.inputs.NotifyFailure[0].Entries[0].Detail;
    assert.equal(detail.trigger, trigger, JSON.stringify(input));
    assert.ok(!Number.isNaN(Date.parse(detail.startedAt)));
    assert.deepEqual(detail.input, input);
    assert.equal(r.calls.ReleaseLock, undefined, 'no lock was taken');
  }
});
