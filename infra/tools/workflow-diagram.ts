import { readFileSync, writeFileSync } from 'node:fs';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { type Definition, README_MARKERS, readmeBlock } from '../workflow-diagram';

/** `npm run update:diagram`: redraws the README's picture of the workflow from the ASL file. */
const README = new URL('../../README.md', import.meta.url);
const text = readFileSync(README, 'utf8');
const start = text.indexOf(README_MARKERS.start);
const end = text.indexOf(README_MARKERS.end);
if (start < 0 || end < start) throw new Error('README.md has no workflow-diagram markers');
writeFileSync(README, text.slice(0, start) + readmeBlock(definition as unknown as Definition) + text.slice(end + README_MARKERS.end.length));
process.stdout.write('README.md: workflow diagram redrawn\n');
