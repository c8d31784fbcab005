import { readFileSync } from 'node:fs';
import { type LoadSpec, RESULT_MARKER, runLoad } from './load.ts';

// The load generator's own process: `node load-child.ts SPEC.json` runs one scenario and prints its
// result as one line of JSON after RESULT_MARKER, so the server keeps its CPU to itself.

const specPath = process.argv[2];
if (!specPath) {
  console.error('Usage: node load-child.ts SPEC.json');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as LoadSpec;
const result = await runLoad(spec);
process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
process.exit(0);
