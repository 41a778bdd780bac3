// Lints rotation.asl.json (with the sample substitutions filled in) with asl-validator.
// Exits non-zero on any finding.
import aslValidator from 'asl-validator';
import { loadDefinition, sampleSubstitutions } from './definition.mjs';

const definition = loadDefinition(sampleSubstitutions());
const { isValid, errorsText } = aslValidator(definition);
if (!isValid) {
  console.error(`rotation.asl.json has findings:\n${errorsText('\n')}`);
  process.exit(1);
}
console.log('rotation.asl.json: no findings');
