// The plan for a machine: every command exactly as it will run, and `--dry-run`'s text of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPlan } from '../../src/engine/plan.js';
import type { CommandAction, FileAction, Plan } from '../../src/engine/types.js';
import { actionById, commandsOf, GUIDE_STEP_IDS, planFor } from '../helpers.js';

const UWSGI = '/home/demo/myapp/myappenv/bin/uwsgi';

/** Debian 12 in a container (no service manager), run as root: the whole plan, command by command. */
const ROOT_NONE_DEBIAN12: { id: string; command: string; cwd?: string }[] = [
  { id: 'apt-update', command: 'apt-get update' },
  {
    id: 'apt-install',
    command:
      'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y python3-dev python3-venv build-essential nginx',
  },
  { id: 'mkdir-app', command: 'runuser -u demo -- mkdir -p /home/demo/myapp' },
  {
    id: 'create-venv',
    command: 'runuser -u demo -- /usr/bin/python3 -m venv /home/demo/myapp/myappenv',
    cwd: '/home/demo/myapp',
  },
  {
    id: 'pip-install-uwsgi',
    command: 'runuser -u demo -- /home/demo/myapp/myappenv/bin/pip install --verbose uwsgi',
    cwd: '/home/demo/myapp',
  },
  { id: 'uwsgi-version', command: `runuser -u demo -- ${UWSGI} --version`, cwd: '/home/demo/myapp' },
  {
    id: 'uwsgi-http-test',
    command: `runuser -u demo -- ${UWSGI} --socket 0.0.0.0:8080 --protocol=http -w wsgi`,
    cwd: '/home/demo/myapp',
  },
  { id: 'make-run-dir', command: 'install -d -o demo -g www-data -m 0750 /run/myapp' },
  {
    id: 'start-service',
    command: `runuser -u demo -g www-data -- ${UWSGI} --ini /home/demo/myapp/myapp.ini --daemonize /home/demo/myapp/myapp.log --pidfile /run/myapp/myapp.pid --umask 022`,
    cwd: '/home/demo/myapp',
  },
  { id: 'enable-site', command: 'ln -sfn /etc/nginx/sites-available/myapp /etc/nginx/sites-enabled/myapp' },
  { id: 'nginx-configtest', command: 'nginx -t' },
  {
    id: 'nginx-reload',
    command: "sh -c 'if service nginx status >/dev/null; then service nginx reload; else service nginx restart; fi'",
  },
];

const ROOT_NONE_DEBIAN12_FILES = [
  { id: 'write-wsgi-py', path: '/home/demo/myapp/wsgi.py', owner: 'demo', group: 'demo', mode: 0o644 },
  { id: 'write-ini', path: '/home/demo/myapp/myapp.ini', owner: 'demo', group: 'demo', mode: 0o644 },
  { id: 'write-nginx-site', path: '/etc/nginx/sites-available/myapp', owner: 'root', group: 'root', mode: 0o644 },
];

/** Which account each command of that plan acts as. */
const SYSTEM_COMMANDS = [
  'apt-update',
  'apt-install',
  'make-run-dir',
  'enable-site',
  'nginx-configtest',
  'nginx-reload',
];
const SERVICE_USER_COMMANDS = ['mkdir-app', 'create-venv', 'pip-install-uwsgi', 'uwsgi-version', 'uwsgi-http-test'];
const SERVICE_USER_WEB_GROUP_COMMANDS = ['start-service'];

function files(plan: Plan): FileAction[] {
  return plan.steps.flatMap((s) => s.actions.filter((a): a is FileAction => a.kind === 'file'));
}

function withoutPrefix(command: string): string {
  return command.replace(/^(sudo )?(runuser -u demo -g www-data -- |runuser -u demo -- )?/, '');
}

describe('buildPlan', () => {
  const plan = planFor();

  it("plans every step of the guide's curriculum in order", () => {
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      GUIDE_STEP_IDS,
    );
  });

  it('root on Debian 12 without a service manager: every command, exactly', () => {
    assert.deepEqual(
      commandsOf(plan).map(({ id, command, cwd }) => (cwd ? { id, command, cwd } : { id, command })),
      ROOT_NONE_DEBIAN12,
    );
  });

  it('root on Debian 12 without a service manager: every file, with its owner and mode', () => {
    assert.deepEqual(
      files(plan).map(({ id, path, owner, group, mode }) => ({ id, path, owner, group, mode })),
      ROOT_NONE_DEBIAN12_FILES,
    );
  });

  it('the command lists above cover every command of the plan', () => {
    assert.deepEqual(
      [...SYSTEM_COMMANDS, ...SERVICE_USER_COMMANDS, ...SERVICE_USER_WEB_GROUP_COMMANDS].sort(),
      commandsOf(plan)
        .map((c) => c.id)
        .sort(),
    );
  });

  describe('not root, run from another account', () => {
    const nonRoot = planFor({ runningAs: 'admin' });
    const byId = (id: string) => actionById(nonRoot, id) as CommandAction;

    for (const id of SYSTEM_COMMANDS) {
      it(`system command ${id} starts with sudo`, () => assert.match(byId(id).command, /^sudo (?!runuser)/));
    }
    for (const id of SERVICE_USER_COMMANDS) {
      it(`service-user command ${id} starts with sudo runuser -u demo`, () =>
        assert.match(byId(id).command, /^sudo runuser -u demo -- /));
    }
    for (const id of SERVICE_USER_WEB_GROUP_COMMANDS) {
      it(`${id} runs as demo with the web group`, () =>
        assert.match(byId(id).command, /^sudo runuser -u demo -g www-data -- /));
    }

    it('only the prefix differs from the root plan', () => {
      assert.deepEqual(
        commandsOf(nonRoot).map((c) => withoutPrefix(c.command)),
        ROOT_NONE_DEBIAN12.map((c) => withoutPrefix(c.command)),
      );
    });

    it('the checks that read as root or as the service user use sudo too', () => {
      const probeCommands = nonRoot.steps
        .flatMap((s) => s.checks)
        .flatMap((c) => (c.probe.kind === 'command' ? [c.probe.command] : []));
      assert.ok(probeCommands.includes('sudo nginx -t'), probeCommands.join('\n'));
      assert.ok(probeCommands.some((c) => c.startsWith(`sudo runuser -u demo -- ${UWSGI} --version`)));
      assert.ok(probeCommands.some((c) => c.startsWith('sudo runuser -u www-data -- test -w /run/myapp/myapp.sock')));
      assert.ok(!probeCommands.some((c) => c.startsWith('runuser')), 'runuser needs root: it comes after sudo');
    });
  });

  it('run as the service user itself: its commands run without a prefix', () => {
    const own = planFor({ runningAs: 'demo' });
    for (const id of SERVICE_USER_COMMANDS) {
      const { command } = actionById(own, id) as CommandAction;
      assert.equal(command, withoutPrefix(command), id);
    }
  });
});

describe('formatPlan', () => {
  const plan = planFor();
  const text = formatPlan(plan, 'en');
  const lines = text.split('\n');

  it('names the machine it was planned for', () => {
    assert.equal(
      lines[0],
      '# Plan for: Debian GNU/Linux 12 (bookworm) (debian-12-noinit, service manager: none, Python 3.11)',
    );
  });

  it('prints every command in order, with the directory it runs in', () => {
    assert.deepEqual(
      lines.filter((line) => line.startsWith('run: ')),
      ROOT_NONE_DEBIAN12.map((c) => `run: ${c.command}${c.cwd ? `    (in ${c.cwd})` : ''}`),
    );
  });

  it('prints every file with its owner and mode, and its whole content', () => {
    for (const file of files(plan)) {
      assert.ok(lines.includes(`file: ${file.path}    (owner ${file.owner}:${file.group}, mode 0644)`), file.path);
      for (const line of file.content.replace(/\n$/, '').split('\n'))
        assert.ok(lines.includes(`  | ${line}`), `${file.path}: ${line}`);
    }
  });

  it('has a heading for each step and lists every check', () => {
    assert.equal(lines.filter((line) => line.startsWith('## Step ')).length, plan.steps.length);
    assert.ok(lines.includes('## Step 11/11 [conclusion] Done: what you built, and what next  (guide section 9)'));
    const checks = plan.steps.flatMap((s) => [
      ...s.actions.flatMap((a) => (a.kind === 'command' ? (a.whileRunning?.checks ?? []) : [])),
      ...s.checks,
    ]);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('check: ')),
      checks.map((c) => `check: ${c.title.en}`),
    );
  });

  it("shows the guide's command where this machine runs another", () => {
    assert.ok(lines.includes('  guide: sudo apt-get install python-dev python-pip nginx'));
  });

  it('is written in Japanese when asked', () => {
    const ja = formatPlan(plan, 'ja');
    assert.match(ja, /^# 計画の対象: /);
    assert.ok(ja.includes('実行: apt-get update'));
    assert.ok(ja.includes('ファイル: /home/demo/myapp/wsgi.py    (所有者 demo:demo, モード 0644)'));
  });
});
