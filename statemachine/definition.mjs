// Loads rotation.asl.json and fills it in, as the CDK stack does in AWS (infra's RotationWorkflow) and the
// local runner does on one machine. The file is plain JSON, so editors, Workflow Studio and
// `aws stepfunctions validate-state-machine-definition` read it as it is. Two kinds of values fill it:
//   - placeholders ${Name}, always inside a JSON string: ARNs and names are inserted as they are; numbers
//     that a state passes on stand in States.StringToJson('${Name}'), which Step Functions turns into a
//     number when the state runs;
//   - settings, numbers that ASL does not let a string carry (the execution's TimeoutSeconds, each
//     retrier's MaxDelaySeconds): the committed file holds the deployed defaults, and they are set on
//     the parsed definition.
// A missing or unused value is an error, so the definition and its values cannot drift apart silently.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const definitionPath = path.join(here, 'rotation.asl.json');
export const sampleSubstitutionsPath = path.join(here, 'sample-substitutions.json');

/** The settings and where each one goes in the parsed definition. */
export const settings = {
  ExecutionTimeoutSeconds: (definition, value) => {
    definition.TimeoutSeconds = value;
  },
  RetryMaxDelaySeconds: (definition, value) => {
    for (const state of allStates(definition)) {
      for (const retrier of state.Retry ?? []) {
        retrier.MaxDelaySeconds = value;
      }
    }
  },
};

/** Every state, those inside Parallel branches and Map iterators included. */
function allStates(definition) {
  const out = [];
  for (const state of Object.values(definition.States ?? {})) {
    out.push(state);
    for (const branch of state.Branches ?? []) out.push(...allStates(branch));
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) out.push(...allStates(inner));
  }
  return out;
}

/** Every ${Name} the definition's text uses, sorted. */
export function placeholders(text) {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]))].sort();
}

/** Every value a definition needs: its placeholders and the settings, sorted. */
export function valueNames(text) {
  return [...new Set([...placeholders(text), ...Object.keys(settings)])].sort();
}

/** Every name has a value and every value a name: a definition and its values never drift apart silently. */
function requireExactly(names, values) {
  const missing = names.filter((n) => !(n in values));
  if (missing.length > 0) {
    throw new Error(`No value for substitution(s) ${missing.join(', ')}: add them to the substitutions you pass.`);
  }
  const unused = Object.keys(values).filter((n) => !names.includes(n));
  if (unused.length > 0) {
    throw new Error(`Substitution(s) ${unused.join(', ')} are not used by the definition: remove them or fix their names.`);
  }
}

/** The definition's text with every ${Name} filled in, parsed. */
function fillPlaceholders(text, values) {
  return JSON.parse(text, (key, value) =>
    typeof value === 'string' ? value.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name) => String(values[name])) : value);
}

export function substitute(text, values) {
  requireExactly(valueNames(text), values);
  for (const name of Object.keys(settings)) {
    if (!Number.isInteger(values[name]) || values[name] <= 0) {
      throw new Error(`${name} must be a positive whole number of seconds, not ${JSON.stringify(values[name])}.`);
    }
  }
  const filled = fillPlaceholders(text, values);
  for (const [name, apply] of Object.entries(settings)) {
    apply(filled, values[name]);
  }
  return filled;
}

export function loadDefinition(values) {
  return substitute(readFileSync(definitionPath, 'utf8'), values);
}

export const fleetDefinitionPath = path.join(here, 'fleet.asl.json');

/** Sample values of fleet.asl.json's placeholders (the stack fills in the deployed ones). */
export const sampleFleetSubstitutions = {
  FleetPlanFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:atlas-cmk-rotator-FleetPlan',
  RotationStateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:atlas-cmk-rotator-rotation',
  EventBusName: 'atlas-cmk-rotator',
};

/**
 * The fleet definition (fleet.asl.json) filled in: placeholders only (its Map's concurrency comes from the
 * execution input's maxConcurrency, so it needs no settings).
 */
export function loadFleetDefinition(values) {
  const text = readFileSync(fleetDefinitionPath, 'utf8');
  requireExactly(placeholders(text), values);
  return fillPlaceholders(text, values);
}

export function sampleSubstitutions() {
  return JSON.parse(readFileSync(sampleSubstitutionsPath, 'utf8'));
}
