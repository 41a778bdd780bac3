// Lints rotation.asl.json and fleet.asl.json (with sample values filled in) with asl-validator.
// Exits non-zero on any finding.
import aslValidator from 'asl-validator';
import { loadDefinition, loadFleetDefinition, sampleFleetSubstitutions, sampleSubstitutions } from './definition.mjs';

let failed = false;
for (const [name, definition] of [['rotation.asl.json', loadDefinition(sampleSubstitutions())],
  ['fleet.asl.json', loadFleetDefinition(sampleFleetSubstitutions)]]) {
  const { isValid, errorsText } = aslValidator(definition);
  if (!isValid) {
    console.error(`${name} has findings:\n${errorsText('\n')}`);
    failed = true;
  } else {
    console.log(`${name}: no findings`);
  }
}
process.exit(failed ? 1 : 0);
