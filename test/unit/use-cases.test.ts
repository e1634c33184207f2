// The commands as use cases (src/app/), run with fake surroundings (test/fake-surroundings.ts):
// what they write, what they ask, what they change and how they exit, with nothing of this
// machine touched.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/app/common.js';
import { runGlossary } from '../../src/app/glossary.js';
import { runReport } from '../../src/app/report.js';
import { runStatus } from '../../src/app/status.js';
import { runUndo } from '../../src/app/undo.js';
import { runWizard } from '../../src/app/wizard.js';
import { UserError } from '../../src/app/user-error.js';
import { WizardBusyError } from '../../src/exec/run-lock.js';
import type { JournalEntry } from '../../src/engine/journal.js';
import { emptyProgress, parseProgress, type Progress } from '../../src/engine/progress.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, FakeSystem, GUIDE_STEP_IDS } from '../helpers.js';

const NOW = '2026-01-02T03:04:05.000Z';
/** What `status` and `undo` take from the record, named as the flags would. */
const FLAGS = { appName: ANSWERS.appName, serverName: ANSWERS.serverName, platform: 'debian-12', lang: 'en' as const };

function recordWith(journal: JournalEntry[], done = false): Progress {
  const progress = emptyProgress(ANSWERS, NOW);
  const steps = done ? Object.fromEntries(GUIDE_STEP_IDS.map((id) => [id, { state: 'done', at: NOW }])) : {};
  return { ...progress, journal, steps } as Progress;
}

describe('status (use case)', () => {
  it('exits 1 and names the first step as the next one when nothing is done', async () => {
    const fake = fakeSurroundings({ system: new FakeSystem({ probe: () => false }) });
    const code = await runStatus(fake.s, FLAGS);
    assert.equal(code, EXIT.stepFailed);
    const lines = fake.stdout.text.split('\n');
    assert.match(lines[0]!, /^myapp \(demo, \/home\/demo\/myapp\) · Debian/);
    assert.ok(
      lines.some((line) => line.startsWith(`Next step: ${GUIDE_STEP_IDS[0]} · `)),
      fake.stdout.text,
    );
    assert.doesNotMatch(fake.stdout.text, /Every step is done\./);
  });

  it('exits 0 and says every step is done when the record and the machine both say so', async () => {
    const fake = fakeSurroundings({ progress: recordWith([], true) });
    const code = await runStatus(fake.s, FLAGS);
    assert.equal(code, EXIT.ok, fake.stdout.text);
    assert.match(fake.stdout.text, /\nEvery step is done\.\n$/);
  });

  it('--json prints each step and whether all are complete, nothing else on stdout', async () => {
    const fake = fakeSurroundings({ system: new FakeSystem({ probe: () => false }) });
    await runStatus(fake.s, { ...FLAGS, json: true });
    const parsed = JSON.parse(fake.stdout.text) as { complete: boolean; steps: { id: string; state: string }[] };
    assert.equal(parsed.complete, false);
    assert.deepEqual(
      parsed.steps.map((step) => step.id),
      GUIDE_STEP_IDS,
    );
  });

  it('not root and sudo missing: refused (exit 2, with what to try) before the machine is surveyed', async () => {
    let probed = 0;
    const system = new FakeSystem({ probe: () => ++probed > 0 });
    const fake = fakeSurroundings({ system, isRoot: false });
    fake.s.machine.sudo.need = async () => ({ kind: 'no-sudo' });
    await assert.rejects(runStatus(fake.s, FLAGS), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.exitCode, EXIT.badInput);
      assert.match(error.text('en'), /sudo is not installed here\. Nothing was changed\.\nTry: run it as root/);
      return true;
    });
    assert.equal(probed, 0, 'nothing probed');
    assert.equal(fake.stdout.text, '');
  });
});

describe('undo (use case)', () => {
  const LINK: JournalEntry = {
    kind: 'created',
    step: 'nginx',
    action: 'enable-site',
    path: '/etc/nginx/sites-enabled/myapp',
    made: 'file',
    runAs: 'root',
  };
  const DIR: JournalEntry = {
    kind: 'created',
    step: 'virtualenv',
    action: 'mkdir-app',
    path: '/home/demo/myapp',
    made: 'directory',
    runAs: 'service-user',
  };

  it('with no record of changes, says so and exits 0 without asking', async () => {
    const fake = fakeSurroundings({ stdinIsTTY: true });
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.ok);
    assert.equal(fake.stdout.text, 'Nothing to undo: the wizard has no record of changes for myapp.\n');
    assert.deepEqual(fake.asked, []);
  });

  it('lists what it will take back, newest first, and the commands, before asking', async () => {
    const fake = fakeSurroundings({
      progress: recordWith([DIR, LINK]),
      stdinIsTTY: true,
      answers: { confirm: [false] },
    });
    await runUndo(fake.s, FLAGS);
    const text = fake.stdout.text;
    assert.ok(text.indexOf('/etc/nginx/sites-enabled/myapp') < text.indexOf('/home/demo/myapp'), text);
    assert.match(text, /\$ rm -f \/etc\/nginx\/sites-enabled\/myapp\n/);
    assert.match(text, /\$ runuser -u demo -- rmdir \/home\/demo\/myapp\n/);
    assert.equal(fake.asked.length, 1);
    assert.equal(fake.asked[0]!.kind, 'confirm');
  });

  it('declined: runs nothing, keeps the record, exits 0 and says nothing was undone', async () => {
    const fake = fakeSurroundings({
      progress: recordWith([DIR, LINK]),
      stdinIsTTY: true,
      answers: { confirm: [false] },
    });
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.ok);
    assert.deepEqual(fake.system.performed, []);
    assert.deepEqual(fake.written, []);
    assert.match(fake.stdout.text, /Nothing was undone; the record is kept/);
  });

  it('without a terminal and without --yes: refused with exit 2, nothing run', async () => {
    const fake = fakeSurroundings({ progress: recordWith([DIR]), stdinIsTTY: false });
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.badInput);
    assert.match(fake.stderr.text, /add --yes to undo/);
    assert.deepEqual(fake.system.performed, []);
  });

  it('accepted: takes each entry back newest first, reloads nginx, records an empty journal and a transcript', async () => {
    const fake = fakeSurroundings({
      progress: recordWith([DIR, LINK]),
      stdinIsTTY: true,
      answers: { confirm: [true] },
    });
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.ok);
    assert.equal(fake.system.performed.length, 3, 'two entries and the reload');
    assert.deepEqual(
      fake.written.map((w) => w.progress.journal),
      [[]],
    );
    assert.match(
      fake.stdout.text,
      /\nUndone\. Packages installed by the wizard stay installed\.\nlog: \/state\/uwsgi-nginx-guide\/run-test\.log\n$/,
    );
    assert.equal(
      fake.transcript(),
      '\n== undo myapp: taking back what the wizard created or changed\n' +
        '$ rm -f /etc/nginx/sites-enabled/myapp\n-- exit 0 after 1.2s\n' +
        '$ runuser -u demo -- rmdir /home/demo/myapp\n-- exit 0 after 1.2s\n' +
        '$ systemctl reload nginx\n-- exit 0 after 1.2s\n',
    );
  });

  it('an entry that cannot be taken back stays in the record, and undo exits 1', async () => {
    const system = new FakeSystem({ commands: { 'undo-1': { exitCode: 1 } } });
    const fake = fakeSurroundings({ system, progress: recordWith([DIR]), answers: {} });
    assert.equal(await runUndo(fake.s, { ...FLAGS, yes: true }), EXIT.stepFailed);
    assert.deepEqual(fake.written.at(-1)?.progress.journal, [DIR]);
    assert.match(fake.stdout.text, /✗ could not take back: /);
  });

  it('a record written by the previous version (fixtures/records): runs exactly its stored lines, and empties it', async () => {
    const text = readFileSync(
      fileURLToPath(new URL('../../../fixtures/records/debian-12-systemd-root.json', import.meta.url)),
    );
    const reading = parseProgress(text.toString());
    assert.ok(reading.kind === 'ok');
    const system = new FakeSystem();
    const commands: string[] = [];
    const start = system.start.bind(system);
    system.start = (action, onOutput) => {
      commands.push(action.command);
      return start(action, onOutput);
    };
    const fake = fakeSurroundings({ system, progress: reading.progress, answers: {} });
    assert.equal(await runUndo(fake.s, { ...FLAGS, yes: true }), EXIT.ok, fake.stdout.text);
    const stored = reading.progress.journal.flatMap((entry) => ('undo' in entry ? [entry.undo] : []));
    assert.ok(stored.length >= 4, 'the record holds undo lines: it is of the old format');
    assert.deepEqual(
      commands.filter((command) => stored.includes(command)),
      [...stored].reverse(),
      'each stored line, newest first',
    );
    assert.equal(commands.length, reading.progress.journal.length + 1, 'one command per entry, and the nginx reload');
    assert.deepEqual(fake.written.at(-1)?.progress.journal, []);
  });
});

describe('report (use case)', () => {
  it('without a record: says where it looked, writes nothing, exits 1', async () => {
    const fake = fakeSurroundings();
    assert.equal(await runReport(fake.s, { lang: 'en' }), EXIT.stepFailed);
    assert.match(
      fake.stderr.text,
      /No record to report yet: \/state\/uwsgi-nginx-guide\/progress\.json does not exist/,
    );
    assert.deepEqual(fake.reports, []);
  });

  it('writes the Markdown and JSON files named after the machine, the student and the app', async () => {
    const fake = fakeSurroundings({ progress: recordWith([], true), cwd: '/class' });
    assert.equal(await runReport(fake.s, { lang: 'en' }), EXIT.ok);
    assert.equal(fake.reports.length, 1);
    const [written] = fake.reports;
    assert.equal(written!.dir, '/class');
    const base = 'uwsgi-nginx-guide-report-testhost-demo-myapp';
    assert.deepEqual(Object.keys(written!.files).sort(), [`${base}.json`, `${base}.md`]);
    const json = JSON.parse(written!.files[`${base}.json`]!) as { generatedAt: string; app: { name: string } };
    assert.equal(json.generatedAt, NOW, "the surroundings' clock");
    assert.equal(json.app.name, 'myapp');
    assert.match(fake.stdout.text, new RegExp(`\\n  /class/${base}\\.md\\n  /class/${base}\\.json\\n$`));
  });

  it('--out names the directory', async () => {
    const fake = fakeSurroundings({ progress: recordWith([], true) });
    await runReport(fake.s, { lang: 'en', out: '/tmp/reports' });
    assert.equal(fake.reports[0]?.dir, '/tmp/reports');
  });
});

describe('glossary (use case)', () => {
  it('with a word it knows: prints the matching terms and exits 0', () => {
    const fake = fakeSurroundings();
    assert.equal(runGlossary(fake.s, 'socket', { lang: 'en' }), EXIT.ok);
    assert.match(fake.stdout.text, /socket/i);
    assert.equal(fake.stderr.text, '');
  });

  it('with a word it does not know: says so with what to try on stderr, exits 1', () => {
    const fake = fakeSurroundings();
    assert.equal(runGlossary(fake.s, 'zzzz', { lang: 'en' }), EXIT.stepFailed);
    assert.equal(fake.stdout.text, '');
    assert.equal(
      fake.stderr.text,
      'No glossary term contains "zzzz".\nTry: uwsgi-nginx-guide glossary (without a word) to list every term.\n',
    );
  });

  it('speaks Japanese for a ja locale when --lang is not given', () => {
    const fake = fakeSurroundings();
    fake.s.locale = 'ja_JP.UTF-8';
    runGlossary(fake.s, 'zzzz', {});
    assert.match(fake.stderr.text, /[ぁ-んァ-ン]/);
  });
});

describe('wizard (use case)', () => {
  it('--dry-run prints the plan for the named platform, takes no run lock and asks nothing', async () => {
    const fake = fakeSurroundings();
    let locked = false;
    fake.s.machine.acquireRunLock = () => {
      locked = true;
      return { release: () => undefined, noteCommand: () => undefined };
    };
    assert.equal(await runWizard(fake.s, { ...FLAGS, dryRun: true }), EXIT.ok);
    assert.match(fake.stdout.text, /^# Plan for: Debian GNU\/Linux 12 \(bookworm\) \(debian-12,/);
    assert.equal(locked, false);
    assert.deepEqual(fake.asked, []);
    assert.deepEqual(fake.system.performed, []);
  });

  it('without a terminal and without --yes: a UserError with what to try, before anything is locked', async () => {
    const fake = fakeSurroundings({ stdinIsTTY: false });
    await assert.rejects(runWizard(fake.s, FLAGS), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.exitCode, EXIT.badInput);
      assert.match(error.said.en.tryThis ?? '', /add --yes/);
      assert.match(error.said.ja.message, /端末がありません/);
      return true;
    });
  });

  it('--hands-on with --yes is refused: nobody would be there to type', async () => {
    const fake = fakeSurroundings();
    await assert.rejects(runWizard(fake.s, { ...FLAGS, handsOn: true, yes: true }), /--hands-on and --yes/);
  });

  it('--yes with --user root and no --allow-root is refused before the run lock', async () => {
    const fake = fakeSurroundings();
    let locked = false;
    fake.s.machine.acquireRunLock = () => {
      locked = true;
      return { release: () => undefined, noteCommand: () => undefined };
    };
    await assert.rejects(runWizard(fake.s, { ...FLAGS, user: 'root', yes: true }), /--user root with --yes/);
    assert.equal(locked, false);
  });
});

describe('answers file (issue 15, item 12)', () => {
  /** What `status` says of the answers file `text` (undefined: no such file), as explainFailure would. */
  async function refusal(text: string | undefined, lang: 'en' | 'ja' = 'en'): Promise<string> {
    const fake = fakeSurroundings({ files: text === undefined ? {} : { 'a.yaml': text } });
    try {
      await runStatus(fake.s, { ...FLAGS, answers: 'a.yaml' });
    } catch (error) {
      assert.ok(error instanceof UserError || error instanceof Error, String(error));
      return error instanceof UserError ? error.text(lang) : error.message;
    }
    throw new Error('not refused');
  }

  it('a refused value names the file and its key, not the flag', async () => {
    const said = await refusal('processes: 100\n');
    assert.match(said, /^a\.yaml: processes: 100: at most 64/);
    assert.doesNotMatch(said, /--processes/);
  });

  it('a YAML syntax error keeps the lines that show where it is', async () => {
    const said = await refusal('app-name: shop\nuser: demo: x\n');
    assert.match(said, /a\.yaml is not valid YAML/);
    assert.match(said, /user: demo: x\n\s*\^/, said);
    assert.match(said, /\nNothing was changed\.$/);
  });

  it('a missing file is said as such, in the person language, without ENOENT', async () => {
    const en = await refusal(undefined);
    assert.match(en, /there is no answers file a\.yaml\. Nothing was changed\./);
    assert.doesNotMatch(en, /ENOENT/);
    assert.match(await refusal(undefined, 'ja'), /回答ファイル a\.yaml がありません/);
  });

  it('a misspelt key is refused with the key it most likely meant', async () => {
    const said = await refusal('app-nmae: shop\n');
    assert.match(said, /unknown key "app-nmae": did you mean "app-name"\?/);
    assert.match(await refusal('app-nmae: shop\n', 'ja'), /"app-name" のことですか/);
  });
});

describe('the run lock only where something changes (issue 15, item 10)', () => {
  const busy = () => {
    throw new WizardBusyError('/run/uwsgi-nginx-guide/run.lock', 4242);
  };
  const FILE: JournalEntry = { kind: 'file', step: 'ini', path: '/home/demo/myapp/myapp.ini', owner: 'demo' };

  it('a refused answer exits 2 even while another wizard holds the lock', async () => {
    const fake = fakeSurroundings();
    fake.s.machine.acquireRunLock = busy;
    await assert.rejects(runWizard(fake.s, { ...FLAGS, processes: '100', yes: true }), (error: unknown) => {
      assert.ok(!(error instanceof WizardBusyError), 'not busy: the input is refused first');
      assert.match(String(error), /--processes: "100": at most 64/);
      return true;
    });
  });

  it('the questions are asked while another wizard runs; the lock is asked for only after them', async () => {
    // The processes, then "my own app?" (No: the guide's hello world), then a certificate (issue 18): no.
    const answers = { input: ['3'], confirm: [false, false] };
    const fake = fakeSurroundings({ stdinIsTTY: true, stdoutIsTTY: true, answers });
    fake.s.machine.acquireRunLock = busy;
    const given = { ...FLAGS, user: 'demo', appDir: '/home/demo/myapp', webGroup: 'www-data' };
    await assert.rejects(runWizard(fake.s, { ...given, testPort: '8080' }), WizardBusyError);
    assert.deepEqual(
      fake.asked.map((q) => q.kind),
      ['input', 'confirm', 'confirm'],
    );
  });

  it('undo shows its list and asks while another wizard runs; it waits for the lock only once confirmed', async () => {
    const fake = fakeSurroundings({ progress: recordWith([FILE]), stdinIsTTY: true, answers: { confirm: [true] } });
    fake.s.machine.acquireRunLock = busy;
    await assert.rejects(runUndo(fake.s, FLAGS), WizardBusyError);
    assert.match(fake.stdout.text, /Undo runs:\n {2}\$ runuser -u demo -- rm -f \/home\/demo\/myapp\/myapp\.ini/);
    assert.equal(fake.asked.length, 1);
    assert.deepEqual(fake.system.performed, []);
  });

  it('undo declined takes no lock at all', async () => {
    const fake = fakeSurroundings({ progress: recordWith([FILE]), stdinIsTTY: true, answers: { confirm: [false] } });
    fake.s.machine.acquireRunLock = busy;
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.ok);
  });

  it('undo: a record changed between the list and the lock is not taken back unseen', async () => {
    const fake = fakeSurroundings({ progress: recordWith([FILE]), stdinIsTTY: true, answers: { confirm: [true] } });
    const read = fake.s.machine.store.read;
    let reads = 0;
    fake.s.machine.store.read = async () => {
      reads += 1;
      return reads === 1 ? read() : { kind: 'ok', progress: recordWith([FILE, FILE]) };
    };
    assert.equal(await runUndo(fake.s, FLAGS), EXIT.busy);
    assert.match(fake.stderr.text, /The record changed while you were deciding/);
    assert.deepEqual(fake.system.performed, []);
  });
});

describe('undo asks for sudo only when an undo command needs it (issue 15, item 19)', () => {
  const FILE: JournalEntry = { kind: 'file', step: 'ini', path: '/home/demo/myapp/myapp.ini', owner: 'demo' };
  const SITE: JournalEntry = {
    kind: 'created',
    step: 'nginx',
    path: '/etc/nginx/sites-enabled/myapp',
    made: 'file',
    runAs: 'root',
  };

  it("the app's account taking back its own files: no sudo, no machine lock", async () => {
    const fake = fakeSurroundings({ progress: recordWith([FILE]), isRoot: false, answers: {} });
    let askedSudo = false;
    let machineLock = false;
    fake.s.machine.sudo.need = async () => {
      askedSudo = true;
      return { kind: 'no-password', sudoPath: '/usr/bin/sudo' };
    };
    fake.s.machine.holdMachineLock = async () => {
      machineLock = true;
    };
    assert.equal(await runUndo(fake.s, { ...FLAGS, user: 'demo', yes: true }), EXIT.ok, fake.stderr.text);
    assert.equal(askedSudo, false);
    assert.equal(machineLock, false);
    assert.deepEqual(fake.system.performed.length, 1);
  });

  it('a command run through sudo: sudo is made sure of first, and the machine lock taken', async () => {
    const fake = fakeSurroundings({ progress: recordWith([SITE]), isRoot: false, answers: {} });
    let askedSudo = false;
    let machineLock = false;
    fake.s.machine.sudo.need = async () => {
      askedSudo = true;
      return { kind: 'no-password', sudoPath: '/usr/bin/sudo' };
    };
    fake.s.machine.holdMachineLock = async () => {
      machineLock = true;
    };
    assert.equal(await runUndo(fake.s, { ...FLAGS, user: 'demo', yes: true }), EXIT.ok, fake.stderr.text);
    assert.equal(askedSudo, true);
    assert.equal(machineLock, true);
  });
});

describe('an ignored record still names its app (issue 15, item 9)', () => {
  const IGNORED = {
    kind: 'ignored' as const,
    because: { kind: 'version' as const, found: '2', reads: 1 },
    about: { appName: 'shop', user: 'demo', appDir: '/srv/shop' },
  };
  const ONLY_PLATFORM = { platform: 'debian-12', lang: 'en' as const, serverName: ANSWERS.serverName };

  it('parseProgress reads the app, account and directory of a record it cannot use', () => {
    const later = JSON.stringify({ version: 2, answers: { appName: 'shop', user: 'demo', appDir: '/srv/shop' } });
    assert.deepEqual(parseProgress(later), IGNORED);
    const damaged = parseProgress(JSON.stringify({ version: 1, answers: { appName: 'shop', user: 7 } }));
    assert.equal(damaged.kind, 'ignored');
    assert.deepEqual(damaged.kind === 'ignored' && damaged.about, { appName: 'shop' });
  });

  it('status shows that app, not the guide default, and says the record was ignored and whose it was', async () => {
    const fake = fakeSurroundings({ system: new FakeSystem({ probe: () => false }) });
    fake.s.machine.store.read = async () => IGNORED;
    await runStatus(fake.s, ONLY_PLATFORM);
    assert.match(fake.stdout.text, /^shop \(demo, \/srv\/shop\) · Debian/);
    assert.match(
      fake.stderr.text,
      /was ignored: it has version 2.*It was the record of the app shop \(demo, \/srv\/shop\)/,
    );
  });

  it('undo offers what the plan for that app makes and the machine has, instead of "Nothing to undo"', async () => {
    const onMachine = (_name: string, _asked: number, probe: { kind: string; path?: string }) =>
      probe.kind === 'file' && (probe.path === '/srv/shop' || probe.path === '/etc/nginx/sites-enabled/shop');
    const fake = fakeSurroundings({ system: new FakeSystem({ probe: onMachine }), answers: {} });
    fake.s.machine.store.read = async () => IGNORED;
    assert.equal(await runUndo(fake.s, { ...ONLY_PLATFORM, yes: true }), EXIT.ok, fake.stderr.text);
    assert.doesNotMatch(fake.stdout.text, /Nothing to undo/);
    assert.match(fake.stdout.text, /what the guide's plan for shop makes and this machine has/);
    assert.match(fake.stdout.text, /\$ rm -f \/etc\/nginx\/sites-enabled\/shop\n/);
    assert.match(fake.stdout.text, /\$ runuser -u demo -- rmdir \/srv\/shop\n/);
    assert.match(fake.stderr.text, /It was the record of the app shop/);
    assert.ok(fake.system.performed.length >= 2, 'the found entries were taken back');
    assert.deepEqual(fake.written, [], 'the ignored record is left for the wizard that can read it');
  });
});
