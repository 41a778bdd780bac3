// Loads rotation.asl.json and fills its ${Name} substitutions, as the CDK stack's
// DefinitionSubstitutions do in AWS and the local runner does on one machine.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const definitionPath = path.join(here, 'rotation.asl.json');
export const sampleSubstitutionsPath = path.join(here, 'sample-substitutions.json');

/** Every ${Name} the definition uses, sorted. */
export function placeholders(text) {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]))].sort();
}

/**
 * Replaces every ${Name} with its value: strings are inserted as they are (the placeholder sits
 * inside a JSON string), numbers as JSON numbers. A missing or unused value is an error, so the
 * definition and its substitutions cannot drift apart silently.
 */
export function substitute(text, values) {
  const names = placeholders(text);
  const missing = names.filter((n) => !(n in values));
  if (missing.length > 0) {
    throw new Error(`No value for substitution(s) ${missing.join(', ')}: add them to the substitutions you pass.`);
  }
  const unused = Object.keys(values).filter((n) => !names.includes(n));
  if (unused.length > 0) {
    throw new Error(`Substitution(s) ${unused.join(', ')} are not used by the definition: remove them or fix their names.`);
  }
  const filled = text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name) => String(values[name]));
  return JSON.parse(filled);
}

export function loadDefinition(values) {
  return substitute(readFileSync(definitionPath, 'utf8'), values);
}

export function sampleSubstitutions() {
  return JSON.parse(readFileSync(sampleSubstitutionsPath, 'utf8'));
}
