// One way to take things back (issue 14, item 5): the journal keeps data, the undo command of an
// entry is derived when it runs, one executor takes entries back for both a transactional step's
// rollback and `undo`, and a record written by the previous version (undo lines stored) still works.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  type JournalEntry,
  journalOf,
  planUndo,
  type RecordedEntry,
  takeBack,
  type TakeBackView,
  undoCommand,
} from '../../src/engine/journal.js';
import { parseProgress } from '../../src/engine/progress.js';
import { WizardSession } from '../../src/engine/session.js';
import type { Plan, PlanContext } from '../../src/engine/types.js';
import {
  check,
  commandAction,
  debian12,
  FakeSystem,
  fileAction,
  makeContext,
  planFor,
  planOf,
  step,
  ubuntu1404,
} from '../helpers.js';

const APP = '/home/demo/myapp';
const SITE = '/etc/nginx/sites-available/myapp';
const LINK = '/etc/nginx/sites-enabled/myapp';
const PID = '/run/myapp/myapp.pid';
const UWSGI = `${APP}/myappenv/bin/uwsgi`;
const STOP_UWSGI = `sh -c 'pid=$(cat ${PID}) && ${UWSGI} --stop ${PID} && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done'`;

const asRoot = makeContext();
const asAdmin = makeContext({ runningAs: 'admin' });
const asServiceUser = makeContext({ runningAs: 'demo' });

describe('the undo command of an entry, derived when it runs', () => {
  const cases: { entry: JournalEntry; root: string; admin: string; serviceUser: string }[] = [
    {
      entry: { kind: 'created', step: 'nginx', action: 'enable-site', path: LINK, made: 'file', runAs: 'root' },
      root: `rm -f ${LINK}`,
      admin: `sudo rm -f ${LINK}`,
      serviceUser: `sudo rm -f ${LINK}`,
    },
    {
      entry: {
        kind: 'created',
        step: 'virtualenv',
        action: 'mkdir-app',
        path: APP,
        made: 'directory',
        runAs: 'service-user',
      },
      root: `runuser -u demo -- rmdir ${APP}`,
      admin: `sudo runuser -u demo -- rmdir ${APP}`,
      serviceUser: `rmdir ${APP}`,
    },
    {
      entry: {
        kind: 'created',
        step: 'service',
        action: 'make-run-dir',
        path: '/run/myapp',
        made: 'tree',
        runAs: 'root',
      },
      root: 'rm -rf /run/myapp',
      admin: 'sudo rm -rf /run/myapp',
      serviceUser: 'sudo rm -rf /run/myapp',
    },
    {
      entry: {
        kind: 'relinked',
        step: 'nginx',
        path: LINK,
        previousTarget: '/etc/nginx/sites-available/old',
        runAs: 'root',
      },
      root: `ln -sfn /etc/nginx/sites-available/old ${LINK}`,
      admin: `sudo ln -sfn /etc/nginx/sites-available/old ${LINK}`,
      serviceUser: `sudo ln -sfn /etc/nginx/sites-available/old ${LINK}`,
    },
    {
      entry: { kind: 'file', step: 'nginx', path: SITE, owner: 'root', backup: `${SITE}.bak-1` },
      root: `mv -f ${SITE}.bak-1 ${SITE}`,
      admin: `sudo mv -f ${SITE}.bak-1 ${SITE}`,
      serviceUser: `sudo mv -f ${SITE}.bak-1 ${SITE}`,
    },
    {
      entry: { kind: 'file', step: 'wsgi-app', path: `${APP}/wsgi.py`, owner: 'demo' },
      root: `runuser -u demo -- rm -f ${APP}/wsgi.py`,
      admin: `sudo runuser -u demo -- rm -f ${APP}/wsgi.py`,
      serviceUser: `rm -f ${APP}/wsgi.py`,
    },
    {
      entry: { kind: 'started', step: 'service', what: { kind: 'systemd-unit', name: 'myapp' } },
      root: 'systemctl disable --now myapp',
      admin: 'sudo systemctl disable --now myapp',
      serviceUser: 'sudo systemctl disable --now myapp',
    },
    {
      entry: { kind: 'started', step: 'service', what: { kind: 'upstart-job', name: 'myapp' } },
      root: 'stop myapp',
      admin: 'sudo stop myapp',
      serviceUser: 'sudo stop myapp',
    },
    {
      entry: { kind: 'started', step: 'service', what: { kind: 'uwsgi-daemon', uwsgi: UWSGI, pidFile: PID } },
      root: `runuser -u demo -- ${STOP_UWSGI}`,
      admin: `sudo runuser -u demo -- ${STOP_UWSGI}`,
      serviceUser: STOP_UWSGI,
    },
    {
      // The previous version's line, not recognised as one of ours: run as it was stored, whoever runs undo.
      entry: { kind: 'stored-undo', step: 'service', change: 'started', subject: 'a job', undo: 'sudo stop other' },
      root: 'sudo stop other',
      admin: 'sudo stop other',
      serviceUser: 'sudo stop other',
    },
  ];
  for (const { entry, root, admin, serviceUser } of cases) {
    const what = entry.kind === 'started' ? entry.what.kind : 'made' in entry ? entry.made : '';
    it(`${entry.kind} ${what}: as root, through sudo, and as the service user`, () => {
      assert.equal(undoCommand(asRoot, entry), root);
      assert.equal(undoCommand(asAdmin, entry), admin);
      assert.equal(undoCommand(asServiceUser, entry), serviceUser);
    });
  }

  for (const [manager, platform, stops] of [
    ['systemd', debian12('systemd'), ['systemctl disable --now myapp']],
    ['upstart', ubuntu1404('upstart'), ['stop myapp']],
    ['none', debian12('none'), [`runuser -u demo -- ${STOP_UWSGI}`, `runuser -u demo -- rm -f ${APP}/myapp.log`]],
  ] as const) {
    it(`the service step on ${manager}: what it starts is stopped the way that platform stops it, root or sudo`, () => {
      for (const runningAs of ['root', 'admin']) {
        const ctx = makeContext({ platform, runningAs });
        const service = planFor({ platform, runningAs }).steps.find((s) => s.id === 'service')!;
        const start = service.actions.find((a) => a.id === 'start-service');
        assert.ok(start?.kind === 'command');
        const entries = (start.effects ?? []).flatMap((effect): JournalEntry[] =>
          effect.kind === 'starts'
            ? [{ kind: 'started', step: 'service', action: start.id, what: effect.what }]
            : effect.kind === 'creates'
              ? [{ kind: 'created', step: 'service', action: start.id, path: effect.path, made: 'file', runAs: 'root' }]
              : [],
        );
        const commands = planUndo(
          ctx,
          entries.filter((e) => e.kind === 'started'),
        ).map((a) => a.command);
        const sudo = runningAs === 'root' ? '' : 'sudo ';
        assert.deepEqual(commands, [`${sudo}${stops[0]}`]);
        const created = (start.effects ?? []).filter((e) => e.kind === 'creates');
        assert.deepEqual(
          created.map((effect) =>
            undoCommand(ctx, {
              kind: 'created',
              step: 'service',
              path: effect.path,
              made: effect.made,
              runAs: effect.runAs,
            }),
          ),
          stops.slice(1).map((line) => `${sudo}${line}`),
        );
      }
    });
  }
});

/** A fake machine whose commands named in `failing` exit 1, as an `rm` refused would. */
function machineRefusing(...failing: string[]): FakeSystem {
  const fake = new FakeSystem();
  const start = fake.start.bind(fake);
  fake.start = (action, onOutput) => {
    if (!failing.includes(action.command)) return start(action, onOutput);
    onOutput(`refused: ${action.command}\n`);
    return {
      done: Promise.resolve({ exitCode: 1, signal: null, timedOut: false, durationMs: 300 }),
      stop: () => undefined,
    };
  };
  return fake;
}

const ENTRIES: JournalEntry[] = [
  { kind: 'created', step: 'virtualenv', action: 'mkdir-app', path: APP, made: 'directory', runAs: 'service-user' },
  { kind: 'file', step: 'nginx', action: 'write-nginx-site', path: SITE, owner: 'root' },
  { kind: 'created', step: 'nginx', action: 'enable-site', path: LINK, made: 'file', runAs: 'root' },
];

function view(shown: string[]): TakeBackView {
  return {
    command: (line) => void shown.push(`$ ${line}`),
    output: (text) => void shown.push(text),
    ended: (entry, ok) => void shown.push(`${ok ? 'ok' : 'kept'} ${entry.kind}`),
  };
}

describe('the executor that takes entries back', () => {
  it('goes newest first, one at a time, through the System port, and records each in the transcript', async () => {
    const fake = new FakeSystem();
    const transcript: string[] = [];
    const shown: string[] = [];
    const result = await takeBack(asRoot, ENTRIES, fake, {
      afterFailure: 'go-on',
      transcript: { write: (text) => void transcript.push(text) },
      view: view(shown),
    });
    assert.deepEqual(fake.performed, ['undo-1', 'undo-2', 'undo-3']);
    assert.deepEqual(result, { takenBack: ENTRIES, kept: [] });
    assert.equal(
      transcript.join(''),
      `$ rm -f ${LINK}\n-- exit 0 after 1.2s\n$ rm -f ${SITE}\n-- exit 0 after 1.2s\n` +
        `$ runuser -u demo -- rmdir ${APP}\n-- exit 0 after 1.2s\n`,
    );
    assert.deepEqual(shown, [
      `$ rm -f ${LINK}`,
      'ok created',
      `$ rm -f ${SITE}`,
      'ok file',
      `$ runuser -u demo -- rmdir ${APP}`,
      'ok created',
    ]);
  });

  it('going on after a failure: the failed entry is kept with its command and exit code, the others are taken back', async () => {
    const fake = machineRefusing(`rm -f ${SITE}`);
    const transcript: string[] = [];
    const shown: string[] = [];
    const { takenBack, kept } = await takeBack(asRoot, ENTRIES, fake, {
      afterFailure: 'go-on',
      transcript: { write: (text) => void transcript.push(text) },
      view: view(shown),
    });
    assert.deepEqual(takenBack, [ENTRIES[0], ENTRIES[2]]);
    assert.deepEqual(kept, [
      {
        entry: ENTRIES[1],
        why: 'failed',
        command: `rm -f ${SITE}`,
        exitCode: 1,
        signal: null,
        timedOut: false,
        message: undefined,
      },
    ]);
    assert.match(
      transcript.join(''),
      new RegExp(`\\$ rm -f ${SITE}\\nrefused: rm -f ${SITE}\\n-- exit 1 after 0\\.3s\\n`),
    );
    assert.ok(shown.includes('kept file'), shown.join('\n'));
  });

  it('stopping at a failure: what is older is not tried, and kept as not tried', async () => {
    const fake = machineRefusing(`rm -f ${SITE}`);
    const { takenBack, kept } = await takeBack(asRoot, ENTRIES, fake, { afterFailure: 'stop', view: view([]) });
    assert.deepEqual(takenBack, [ENTRIES[2]]);
    assert.deepEqual(
      kept.map((k) => [k.entry, k.why]),
      [
        [ENTRIES[0], 'not-tried'],
        [ENTRIES[1], 'failed'],
      ],
    );
    assert.deepEqual(fake.performed, ['undo-1'], 'after the refused site, the app directory is never tried');
  });

  it('a command that cannot even start is a failure with its reason, not a crash', async () => {
    const fake = new FakeSystem();
    fake.start = () => {
      throw new Error('spawn /bin/sh ENOENT');
    };
    const { takenBack, kept } = await takeBack(asRoot, [ENTRIES[2]!], fake, { afterFailure: 'go-on', view: view([]) });
    assert.deepEqual(takenBack, []);
    assert.equal(kept[0]?.why, 'failed');
    assert.equal(kept[0]?.why === 'failed' && kept[0].message, 'spawn /bin/sh ENOENT');
  });
});

describe('the rollback and undo take back the same way', () => {
  /** An nginx-like all-or-nothing step whose configuration test fails after the site and its link were made. */
  function failingNginx(): { plan: Plan; fake: FakeSystem } {
    const plan = planOf(
      step('nginx', {
        transactional: true,
        actions: [
          { ...fileAction('write-nginx-site', SITE), owner: 'root' },
          commandAction('enable-site', `ln -sfn ${SITE} ${LINK}`, {
            effects: [{ kind: 'links', path: LINK, runAs: 'root' }],
          }),
          commandAction('configtest', 'nginx -t'),
        ],
        checks: [check('page')],
      }),
    );
    const fake = new FakeSystem({
      commands: {
        'enable-site': { creates: { [LINK]: { kind: 'link', target: SITE } } },
        configtest: { exitCode: 1 },
        'undo-1': { output: ['removed the link\n'] },
      },
    });
    return { plan, fake };
  }

  for (const ctx of [asRoot, asAdmin] as PlanContext[]) {
    it(`the same entries give identical transcript lines (${ctx.privilege.runningAs})`, async () => {
      const { plan, fake } = failingNginx();
      const journals: JournalEntry[][] = [];
      const transcript: string[] = [];
      const session = new WizardSession(plan, fake, {
        auto: true,
        pollMs: 1,
        undoContext: ctx,
        transcript: { write: (text) => void transcript.push(text) },
        onJournal: (entries) => void journals.push(entries),
      });
      await session.run();
      const header = '== [nginx] rolling back what this step changed\n';
      const rollback = transcript.join('').split(header)[1]!;
      const entries = journals.at(-2)!;
      assert.deepEqual(
        entries.map((e) => `${e.kind} ${e.action}`),
        ['file write-nginx-site', 'created enable-site'],
      );

      // What `undo` does with the same entries (src/app/undo.ts): the same executor, on another machine.
      const { fake: again } = failingNginx();
      const undone: string[] = [];
      const result = await takeBack(ctx, entries, again, {
        afterFailure: 'go-on',
        transcript: { write: (text) => void undone.push(text) },
        view: view([]),
      });
      assert.equal(result.kept.length, 0);
      assert.equal(rollback, undone.join(''));
      const sudo = ctx.privilege.isRoot ? '' : 'sudo ';
      assert.equal(
        rollback,
        `$ ${sudo}rm -f ${LINK}\nremoved the link\n-- exit 0 after 1.2s\n$ ${sudo}rm -f ${SITE}\n-- exit 0 after 1.2s\n`,
      );
    });
  }
});

// Written by the previous version's own session and record code (see fixtures/records/README.md).
const RECORDS = fileURLToPath(new URL('../../../fixtures/records/', import.meta.url));

describe('a record written by the previous version', () => {
  const contexts: Record<string, PlanContext> = {
    'debian-12-systemd-root.json': makeContext({ platform: debian12('systemd') }),
    'debian-12-noinit-admin.json': makeContext({ platform: debian12('none'), runningAs: 'admin' }),
    'ubuntu-14.04-upstart-root.json': makeContext({ platform: ubuntu1404('upstart') }),
  };
  const files = readdirSync(RECORDS).filter((file) => file.endsWith('.json'));

  it('there is one for each service manager', () => {
    assert.deepEqual(files.sort(), Object.keys(contexts).sort());
  });

  for (const file of files) {
    const ctx = contexts[file]!;
    const reading = parseProgress(readFileSync(`${RECORDS}${file}`, 'utf8'));
    const stored = reading.kind === 'ok' ? (reading.progress.journal as RecordedEntry[]) : [];
    const plan = planFor({ platform: ctx.platform, runningAs: ctx.privilege.runningAs });

    it(`${file}: is read, and each of its entries becomes data, with the action that made it`, () => {
      assert.equal(reading.kind, 'ok', reading.kind === 'ignored' ? JSON.stringify(reading.because) : '');
      assert.ok(
        stored.some((entry) => 'undo' in entry),
        'the record holds undo lines: it is of the old format',
      );
      const journal = journalOf(plan, stored);
      assert.deepEqual(
        journal.filter((entry) => entry.kind === 'stored-undo'),
        [],
      );
      assert.ok(
        journal.every((entry) => entry.action !== undefined),
        JSON.stringify(journal.filter((e) => !e.action)),
      );
    });

    it(`${file}: undo runs, for each entry, exactly the line the previous version stored`, () => {
      const journal = journalOf(plan, stored);
      for (const [i, old] of stored.entries()) {
        if ('undo' in old) assert.equal(undoCommand(ctx, journal[i]!), old.undo);
      }
    });

    it(`${file}: written back and read again, it is the same journal`, () => {
      const journal = journalOf(plan, stored);
      const progress = reading.kind === 'ok' ? reading.progress : undefined;
      const again = parseProgress(JSON.stringify({ ...progress, journal }));
      assert.equal(again.kind, 'ok');
      assert.deepEqual(journalOf(plan, again.kind === 'ok' ? again.progress.journal : []), journal);
    });
  }

  it('run by another account now, a recognised entry is taken back with sudo, not with the stored prefix', () => {
    const reading = parseProgress(readFileSync(`${RECORDS}debian-12-systemd-root.json`, 'utf8'));
    assert.equal(reading.kind, 'ok');
    const journal = journalOf(planFor({ platform: debian12('systemd'), runningAs: 'admin' }), reading.progress.journal);
    const started = journal.find((entry) => entry.kind === 'started')!;
    assert.deepEqual(started, {
      kind: 'started',
      step: 'service',
      action: 'start-service',
      what: { kind: 'systemd-unit', name: 'myapp' },
    });
    assert.equal(undoCommand(asAdmin, started), 'sudo systemctl disable --now myapp');
  });

  it('an entry it does not recognise (an Upstart record on a machine now found to run systemd) keeps its stored line', async () => {
    const reading = parseProgress(readFileSync(`${RECORDS}ubuntu-14.04-upstart-root.json`, 'utf8'));
    assert.equal(reading.kind, 'ok');
    const journal = journalOf(planFor({ platform: ubuntu1404('systemd') }), reading.progress.journal);
    const started = journal.find((entry) => entry.kind === 'stored-undo');
    assert.deepEqual(started, {
      kind: 'stored-undo',
      step: 'service',
      change: 'started',
      subject: 'the Upstart job myapp',
      undo: 'stop myapp',
    });
    const fake = new FakeSystem();
    const commands: string[] = [];
    const start = fake.start.bind(fake);
    fake.start = (action, onOutput) => {
      commands.push(action.command);
      return start(action, onOutput);
    };
    const { kept } = await takeBack(asRoot, [started!], fake, { afterFailure: 'go-on', view: view([]) });
    assert.deepEqual(commands, ['stop myapp']);
    assert.deepEqual(kept, []);
  });
});
