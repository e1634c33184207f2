// Issue 19: every export is written from the plan the wizard runs. For every platform, what
// `--dry-run` prints as root (each `run:` line, each file's content) is found in the export once
// its variables are given the answers' values; the only command left out is the guide's test server
// (a lesson: started, looked at, stopped), and the exports parse (sh -n).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { curriculum } from '../../steps/index.js';
import { plannedAptPackages } from '../../steps/packages.js';
import { exportModel } from '../../src/engine/export/model.js';
import { renderExport } from '../../src/engine/export/formats.js';
import { ANSIBLE_VARIABLES } from '../../src/engine/export/ansible.js';
import { SHELL_VARIABLES } from '../../src/engine/export/shell.js';
import { buildPlan, formatPlan } from '../../src/engine/plan.js';
import { allPlatforms } from '../../src/engine/platforms.js';
import type { PlanContext, Platform } from '../../src/engine/types.js';
import { ANSWERS } from '../helpers.js';
import { checkedBy, missing, program } from '../validators.js';

/** The guide's answers, planned as exports run: as root. */
function rootContext(platform: Platform): PlanContext {
  return { answers: ANSWERS, platform, privilege: { isRoot: true, runningAs: 'root' }, userGroup: 'demo' };
}

/** Every platform's plan, and with `--uwsgi-from wheel` where pip finds the wheel: the exports take both. */
const PLANNED: { name: string; ctx: PlanContext }[] = [
  ...allPlatforms().map((platform) => ({ name: platform.id, ctx: rootContext(platform) })),
  ...allPlatforms()
    .filter((platform) => platform.uwsgiWheel)
    .map((platform) => ({
      name: `${platform.id} --uwsgi-from wheel`,
      ctx: { ...rootContext(platform), chosen: { uwsgiFrom: 'wheel' as const } },
    })),
];

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
  for (const { name, ctx } of PLANNED) {
    it(name, () => {
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

/** The playbook's tasks and handlers, each value with the variables given their values (as Jinja would). */
function ansibleTasks(playbook: string, values: Record<string, string>): Record<string, unknown>[] {
  const [play] = parseYaml(playbook) as { tasks: Record<string, unknown>[]; handlers?: Record<string, unknown>[] }[];
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replace(/\{\{ (\w+) \}\}/g, (_, name: string) => {
        const key = Object.entries(ANSIBLE_VARIABLES).find(([, variable]) => variable === name)?.[0];
        return key ? values[key]! : `{{ ${name} }}`;
      });
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fill(v)]));
    return value;
  };
  return [...play!.tasks, ...(play!.handlers ?? [])].map((task) => fill(task) as Record<string, unknown>);
}

describe('export --format ansible agrees with --dry-run (issue 19)', () => {
  for (const { name, ctx } of PLANNED) {
    it(name, () => {
      const model = exportModel(curriculum, ctx);
      const files = renderExport('ansible', model);
      const playbook = files['playbook.yml']!.text;
      const { commands, files: contents } = dryRun(ctx);
      // Each task names the plan's line it stands for; the lines (without their directory) are --dry-run's.
      const named = [...playbook.matchAll(/^ *# plan: (.*)$/gm)].map(([, line]) => line!);
      const missing = commands.filter((command) => !named.includes(command.replace(/^\(cd \S+ && (.*)\)$/, '$1')));
      assert.deepEqual(missing, [
        `(cd /home/demo/myapp && runuser -u demo -- /home/demo/myapp/myappenv/bin/uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi)`,
      ]);
      const tasks = ansibleTasks(playbook, model.values);
      const copied = tasks.flatMap((task) => {
        const copy = task['ansible.builtin.copy'] as { content?: string } | undefined;
        return copy?.content === undefined ? [] : [copy.content.replace(/\n$/, '')];
      });
      assert.deepEqual(copied, contents, 'the copy tasks write the files of --dry-run, in its order');
      // The commands it runs as they are (no module for them) are the plan's, with its answers.
      for (const task of tasks) {
        const command = task['ansible.builtin.command'] as { cmd: string } | undefined;
        if (command)
          assert.ok(
            commands.some((line) => line.includes(command.cmd)),
            `${command.cmd} is in --dry-run`,
          );
      }
      // A minimal Debian has no Python, which every module but raw needs (the VM suite's guests showed it).
      const [first] = tasks;
      assert.match(String(first!['ansible.builtin.raw']), /apt-get .*install -y -q python3 python3-setuptools/);
      assert.match(String(first!.changed_when), /in module_needs\.stdout/, 'changed only when it installed them');
      assert.match(files['README.md']!.text, /installs `python3` and\s+`python3-setuptools` with `raw`/);
      assert.match(files['vars.yml']!.text, /^app_user: "demo"$/m);
      assert.match(files['README.md']!.text, /Tested with: ansible-core 2\.14/);
    });
  }
});

const ansiblePlaybookProgram = program('ANSIBLE_PLAYBOOK', 'ansible-playbook');
checkedBy(
  "each platform family's playbook passes ansible-playbook --syntax-check",
  ansiblePlaybookProgram,
  missing('ANSIBLE_PLAYBOOK', 'ansible-playbook'),
  (ansible) => {
    const families = new Map<string, Platform>();
    for (const platform of allPlatforms())
      if (!families.has(platform.serviceManager)) families.set(platform.serviceManager, platform);
    for (const [family, platform] of families) {
      it(`${family} (${platform.id})`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'uwsgi-guide-ansible-'));
        try {
          for (const [name, file] of Object.entries(
            renderExport('ansible', exportModel(curriculum, rootContext(platform))),
          ))
            writeFileSync(join(dir, name), file.text);
          const check = spawnSync(ansible, ['--syntax-check', '-i', 'localhost,', 'playbook.yml'], {
            cwd: dir,
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(dir, 'tmp') },
          });
          assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
          assert.match(check.stdout, /playbook: playbook\.yml/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  },
);

/** Every platform with a service manager: those a cloud-init boot can set up (the -noinit ones are refused). */
const booting = PLANNED.filter(({ ctx }) => ctx.platform.serviceManager !== 'none');

describe('export --format cloud-init agrees with --dry-run (issue 19)', () => {
  for (const { name, ctx } of booting) {
    it(name, () => {
      const model = exportModel(curriculum, ctx);
      const userData = renderExport('cloud-init', model)['user-data']!.text;
      assert.match(userData, /^#cloud-config\n/);
      const config = parseYaml(userData) as {
        packages: string[];
        users: unknown[];
        write_files: { path: string; content: string; owner: string; defer: boolean }[];
        runcmd: string[];
      };
      assert.deepEqual(config.users, ['default', { name: 'demo', lock_passwd: true, shell: '/bin/bash' }]);
      assert.deepEqual(config.packages, plannedAptPackages(ctx));
      const script = expanded(config.runcmd.join('\n'), model.values);
      const { commands, files } = dryRun(ctx);
      assert.deepEqual(
        commands.filter((command) => !script.includes(`  ${command}\n`)),
        [
          `(cd /home/demo/myapp && runuser -u demo -- /home/demo/myapp/myappenv/bin/uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi)`,
        ],
        'every command of --dry-run is in runcmd but the test server',
      );
      // Root's files by write_files (after the packages: defer), the app's in runcmd, as their owner.
      for (const file of config.write_files) assert.ok(file.defer && file.owner.startsWith('root:'), file.path);
      const written = [
        ...config.write_files.map((file) => file.content.replace(/\n$/, '')),
        ...files.filter((content) => script.includes(`\n${content}\nUWSGI_NGINX_GUIDE_EOF`)),
      ];
      assert.deepEqual(written.sort(), [...files].sort(), 'every file of --dry-run is written, once');
      const parsed = spawnSync('sh', ['-n'], { input: config.runcmd.join('\n'), encoding: 'utf8' });
      assert.equal(parsed.status, 0, `sh -n: ${parsed.stderr}`);
    });
  }
});

const cloudInit = program('CLOUD_INIT', 'cloud-init');
checkedBy(
  'the user-data passes cloud-init schema',
  cloudInit,
  missing('CLOUD_INIT', 'cloud-init'),
  (cloudInitProgram) => {
    for (const { name, ctx } of booting) {
      it(name, () => {
        const dir = mkdtempSync(join(tmpdir(), 'uwsgi-guide-cloud-init-'));
        try {
          const file = join(dir, 'user-data');
          writeFileSync(file, renderExport('cloud-init', exportModel(curriculum, ctx))['user-data']!.text);
          const check = spawnSync(cloudInitProgram, ['schema', '--config-file', file], {
            encoding: 'utf8',
            timeout: 60_000,
          });
          assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
          assert.match(check.stdout, /Valid cloud-config/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  },
);

describe('--uwsgi-from wheel in every export (issue 19)', () => {
  const ctx: PlanContext = { ...rootContext(allPlatforms().find((p) => p.id === 'debian-12')!), chosen: {} };
  const wheel: PlanContext = { ...ctx, chosen: { uwsgiFrom: 'wheel' } };
  const exported = (format: 'shell' | 'ansible' | 'cloud-init', planned: PlanContext) =>
    Object.values(renderExport(format, exportModel(curriculum, planned)))
      .map((file) => file.text)
      .join('\n');

  it('installs pyuwsgi, wheels only, where the guide compiles uwsgi', () => {
    assert.match(exported('shell', ctx), /bin\/pip install --verbose uwsgi\)\n/);
    assert.match(exported('shell', wheel), /bin\/pip install --only-binary=:all: pyuwsgi\)\n/);
    assert.doesNotMatch(exported('shell', wheel), /pip install --verbose uwsgi/);
    const playbook = exported('ansible', wheel);
    assert.match(
      playbook,
      /ansible\.builtin\.pip:\n\s+name: \["pyuwsgi"\]\n\s+virtualenv: .*\n\s+environment:\n\s+PIP_ONLY_BINARY: ":all:"\n/,
    );
    // With extra_args the pip module says "changed" under --check, always: --check --diff on a set-up machine would.
    assert.doesNotMatch(playbook, /extra_args/);
    assert.match(exported('cloud-init', wheel), /pip install --only-binary=:all: pyuwsgi/);
  });

  it('leaves out the Python headers and the compiler: nothing is compiled', () => {
    const packages = (planned: PlanContext) =>
      (
        parseYaml(renderExport('cloud-init', exportModel(curriculum, planned))['user-data']!.text) as {
          packages: string[];
        }
      ).packages;
    assert.deepEqual(packages(ctx), ['python3-dev', 'python3-venv', 'build-essential', 'nginx']);
    assert.deepEqual(packages(wheel), ['python3-venv', 'nginx']);
  });
});
