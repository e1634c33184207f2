// The golden plans in fixtures/plans/: what `--dry-run --platform X` prints for every platform
// with fixed answers. A change to what the wizard would run anywhere fails here with the diff,
// until `npm run fixtures:plans` writes the new plans and the diff is reviewed with the change.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTwoFilesPatch } from 'diff';
import { ANSWERS } from '../helpers.js';
import { GOLDEN_DIR, goldenPlans } from '../golden.js';

const REGENERATE = 'If the change is meant, run `npm run fixtures:plans` and review the diff of fixtures/plans/.';

function golden(file: string): string | undefined {
  const path = `${GOLDEN_DIR}${file}`;
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

describe('golden plans', () => {
  const plans = goldenPlans();

  for (const { file, text } of plans) {
    it(file, () => {
      const expected = golden(file);
      assert.ok(expected !== undefined, `fixtures/plans/${file} is missing. ${REGENERATE}`);
      if (expected !== text) {
        const patch = createTwoFilesPatch(`fixtures/plans/${file}`, 'the plan now', expected, text, '', '', {
          context: 2,
        });
        assert.fail(`the plan differs from fixtures/plans/${file}:\n${patch}\n${REGENERATE}`);
      }
    });
  }

  it('every fixture is the plan of a platform that exists', () => {
    const stray = readdirSync(GOLDEN_DIR).filter((file) => !plans.some((plan) => plan.file === file));
    assert.deepEqual(stray, [], REGENERATE);
  });

  it('English for every platform; Japanese for ubuntu-14.04 and debian-12', () => {
    const files = plans.map((plan) => plan.file);
    for (const file of ['ubuntu-14.04.ja.txt', 'debian-12.ja.txt']) assert.ok(files.includes(file), file);
    // One a platform, besides the variants (PLATFORM.VARIANT.LANG.txt).
    assert.equal(files.filter((f) => /^[a-z]+-[\d.]+(?:-noinit)?\.en\.txt$/.test(f)).length, 20);
  });
});

// The fixtures are made through the engine; the CLI's --dry-run must print the same. It needs the
// account to exist and to run as that account (the golden plans are typed as demo, with sudo).
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const canRunAsDemo = process.getuid?.() === 0 && spawnSync('id', ['-u', ANSWERS.user]).status === 0;

describe('the CLI prints the golden plan', {
  skip: !canRunAsDemo && `needs root and an account ${ANSWERS.user} to run --dry-run as ${ANSWERS.user}`,
}, () => {
  for (const [platform, lang] of [
    ['debian-12', 'en'],
    ['ubuntu-14.04', 'ja'],
  ] as const) {
    it(`--dry-run --platform ${platform} --lang ${lang}`, () => {
      const flags = [
        '--dry-run',
        '--platform',
        platform,
        '--lang',
        lang,
        '--app-name',
        ANSWERS.appName,
        '--user',
        ANSWERS.user,
        '--app-dir',
        ANSWERS.appDir,
      ];
      flags.push(
        '--web-group',
        ANSWERS.webGroup,
        '--server-name',
        ANSWERS.serverName,
        '--processes',
        String(ANSWERS.processes),
        '--test-port',
        String(ANSWERS.testPort),
      );
      const run = spawnSync('runuser', ['-u', ANSWERS.user, '--', process.execPath, cli, ...flags], {
        cwd: '/',
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, golden(`${platform}.${lang}.txt`));
    });
  }
});
