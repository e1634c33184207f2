// Issue 19: every export is written from the plan the wizard runs. For every platform, what
// `--dry-run` prints as root (each `run:` line, each file's content) is found in the export once
// its variables are given the answers' values; the only command left out is the guide's test server
// (a lesson: started, looked at, stopped), and the exports parse (sh -n).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { curriculum } from '../../steps/index.js';
import { exportModel } from '../../src/engine/export/model.js';
import { renderExport } from '../../src/engine/export/formats.js';
import { SHELL_VARIABLES } from '../../src/engine/export/shell.js';
import { buildPlan, formatPlan } from '../../src/engine/plan.js';
import { allPlatforms } from '../../src/engine/platforms.js';
import type { PlanContext, Platform } from '../../src/engine/types.js';
import { ANSWERS } from '../helpers.js';

/** The guide's answers, planned as exports run: as root. */
function rootContext(platform: Platform): PlanContext {
  return { answers: ANSWERS, platform, privilege: { isRoot: true, runningAs: 'root' }, userGroup: 'demo' };
}

/** What --dry-run prints: each command (its directory as `cd DIR &&`) and each file's content, from the printed text. */
function dryRun(ctx: PlanContext): { commands: string[]; files: string[] } {
  const text = formatPlan(buildPlan(curriculum, ctx), 'en');
  const commands = [...text.matchAll(/^run: (.*?)(?: {4}\(in (\S+)\))?$/gm)].map(([, command, cwd]) =>
    cwd ? `(cd ${cwd} && ${command})` : command!,
  );
  const files = text
    .split(/^file: .*$/m)
    .slice(1)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('  | ') || line === '  |')
        .map((line) => line.slice(4))
        .join('\n'),
    );
  return { commands, files };
}

/** The script with each variable replaced by its value, as the shell would expand it. */
function expanded(script: string, values: Record<string, string>): string {
  let out = script;
  for (const [name, variable] of Object.entries(SHELL_VARIABLES)) {
    out = out.split(`'"\${${variable}}"'`).join(values[name]!);
    out = out.split(`\${${variable}}`).join(values[name]!);
  }
  return out;
}

describe('export --format shell agrees with --dry-run (issue 19)', () => {
  for (const platform of allPlatforms()) {
    it(platform.id, () => {
      const ctx = rootContext(platform);
      const model = exportModel(curriculum, ctx);
      const script = renderExport('shell', model)['setup.sh']!.text;
      const text = expanded(script, model.values);
      const { commands, files } = dryRun(ctx);
      const missing = commands.filter((command) => !text.includes(`  ${command}\n`));
      assert.deepEqual(
        missing,
        [
          `(cd /home/demo/myapp && runuser -u demo -- /home/demo/myapp/myappenv/bin/uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi)`,
        ],
        'every command of --dry-run is in the script but the test server',
      );
      for (const content of files)
        assert.ok(text.includes(`\n${content}\nUWSGI_NGINX_GUIDE_EOF`), `the script writes:\n${content}`);
      const parsed = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
      assert.equal(parsed.status, 0, `sh -n: ${parsed.stderr}`);
    });
  }
});
