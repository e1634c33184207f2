// The golden plans: what `--dry-run --platform X` prints for every platform, with fixed answers,
// kept in fixtures/plans/ so that any change to what the wizard would run anywhere shows in
// review. Generated through the engine (the CLI would need the account to exist on this machine)
// by `npm run fixtures:plans`; compared by test/content/golden-plans.test.ts.
import { fileURLToPath } from 'node:url';
import { curriculum } from '../steps/index.js';
import { buildPlan, formatPlan } from '../src/engine/plan.js';
import { allPlatforms } from '../src/engine/platforms.js';
import type { ChosenSteps, Lang, PlanContext, Platform } from '../src/engine/types.js';
import { ANSWERS } from './helpers.js';

/** The project's fixtures/plans, from dist/test/ where this runs. */
export const GOLDEN_DIR = fileURLToPath(new URL('../../fixtures/plans/', import.meta.url));

/**
 * The guide's reader: demo, working in their own account with sudo for the system commands, as
 * the guide is typed (`sudo apt-get update`, `mkdir ~/myapp/`), with the guide's names.
 */
export function goldenContext(platform: Platform): PlanContext {
  return { answers: ANSWERS, platform, privilege: { isRoot: false, runningAs: 'demo' }, userGroup: 'demo' };
}

/** English for every platform; Japanese as well for the guide's own system and for this machine's. */
const JAPANESE_TOO = new Set(['ubuntu-14.04', 'debian-12', 'debian-12-noinit']);

export interface GoldenPlan {
  file: string;
  text: string;
}

/** Plans with a choice besides the answers, as PLATFORM.VARIANT.LANG.txt: this machine's, in both languages. */
const VARIANTS: { name: string; platform: string; chosen: ChosenSteps }[] = [
  { name: 'uwsgi-wheel', platform: 'debian-12', chosen: { uwsgiFrom: 'wheel' } },
];

export function goldenPlans(): GoldenPlan[] {
  const plain = allPlatforms().flatMap((platform) => {
    const plan = buildPlan(curriculum, goldenContext(platform));
    const langs: Lang[] = JAPANESE_TOO.has(platform.id) ? ['en', 'ja'] : ['en'];
    return langs.map((lang) => ({ file: `${platform.id}.${lang}.txt`, text: formatPlan(plan, lang) }));
  });
  const variants = VARIANTS.flatMap(({ name, platform: id, chosen }) => {
    const platform = allPlatforms().find((p) => p.id === id)!;
    const plan = buildPlan(curriculum, { ...goldenContext(platform), chosen });
    return (['en', 'ja'] as const).map((lang) => ({ file: `${id}.${name}.${lang}.txt`, text: formatPlan(plan, lang) }));
  });
  return [...plain, ...variants];
}

/** The content of a file the golden plan writes for a platform (`write-ini`, `write-nginx-site`…). */
export function plannedFile(platformId: string, actionId: string): string {
  const platform = allPlatforms().find((p) => p.id === platformId);
  const action = platform
    ? buildPlan(curriculum, goldenContext(platform))
        .steps.flatMap((s) => s.actions)
        .find((a) => a.kind === 'file' && a.id === actionId)
    : undefined;
  if (action?.kind !== 'file') throw new Error(`no file ${actionId} in the plan for ${platformId}`);
  return action.content;
}
