// `npm run fixtures:plans`: write fixtures/plans/ anew from the engine, and remove plans of
// platforms that no longer exist. Review the diff before committing it.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { GOLDEN_DIR, goldenPlans } from './golden.js';

mkdirSync(GOLDEN_DIR, { recursive: true });
const plans = goldenPlans();
let changed = 0;
for (const { file, text } of plans) {
  const path = `${GOLDEN_DIR}${file}`;
  let before: string | undefined;
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    before = undefined;
  }
  if (before === text) continue;
  writeFileSync(path, text);
  changed += 1;
  process.stdout.write(`${before === undefined ? 'new    ' : 'changed'} fixtures/plans/${file}\n`);
}
for (const file of readdirSync(GOLDEN_DIR)) {
  if (file.endsWith('.txt') && !plans.some((plan) => plan.file === file)) {
    rmSync(`${GOLDEN_DIR}${file}`);
    changed += 1;
    process.stdout.write(`removed fixtures/plans/${file}\n`);
  }
}
process.stdout.write(`${plans.length} plans, ${changed} written or removed\n`);
