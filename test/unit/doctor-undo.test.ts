// `doctor --fix` keeps an undo record like the wizard's own changes (issue 16): each file a fix
// wrote goes into the app's record as the doctor's (its cause, its backup; none when the fix
// created it), and `undo` lists it as the doctor's fix and restores the backup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/app/common.js';
import { runDoctor } from '../../src/app/doctor.js';
import { runUndo } from '../../src/app/undo.js';
import type { DoctorSurvey } from '../../src/engine/doctor/survey.js';
import type { JournalEntry } from '../../src/engine/journal.js';
import { emptyProgress, type Progress, parseProgress } from '../../src/engine/progress.js';
import { INI, PLACE, SOCKET_PARTS, survey } from '../doctor-surveys.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, FakeSystem } from '../helpers.js';

const FLAGS = { appName: 'myapp', user: 'demo', serverName: 'example.com', platform: 'debian-12', lang: 'en' as const };
/** chmod-socket left out of the ini: the doctor's fix writes the ini again (then restarts uWSGI). */
const INI_755 = INI.replace(/^chmod-socket = 664\n/m, '');
const SOCKET_755 = survey({
  ini: INI_755,
  socketParts: [...SOCKET_PARTS.slice(0, 3), { ...SOCKET_PARTS[3]!, mode: 0o755 }],
});
const BACKUP = `${PLACE.ini}.bak-20261124T000000`;

/** The doctor's surroundings: these surveys, one per look; the ini as the machine holds it (none: absent). */
function doctorOn(surveys: DoctorSurvey[], ini: string | undefined, progress?: Progress) {
  const system = new FakeSystem();
  if (ini !== undefined) system.files.set(PLACE.ini, ini);
  const fake = fakeSurroundings({ system, progress });
  let looks = 0;
  fake.s.machine.surveyForDoctor = async () => surveys[Math.min(looks++, surveys.length - 1)]!;
  return fake;
}

describe("the doctor's undo record", () => {
  it("a fix that replaced a file: the record gains it as the doctor's, with its backup (a record begun)", async () => {
    const fake = doctorOn([SOCKET_755, survey()], INI_755);
    assert.equal(await runDoctor(fake.s, { ...FLAGS, fix: true, yes: true }), EXIT.ok);
    const last = fake.written.at(-1);
    assert.ok(last, 'a record was written');
    assert.equal(last.path, '/state/uwsgi-nginx-guide/progress.json');
    assert.equal(last.progress.answers.appName, 'myapp');
    assert.deepEqual(last.progress.journal, [
      { kind: 'file', doctor: 'permission', path: PLACE.ini, owner: 'demo', backup: BACKUP },
    ]);
    // As the store reads it back: the doctor's entry is one the record knows.
    const reading = parseProgress(JSON.stringify(last.progress));
    assert.equal(reading.kind, 'ok');
    assert.deepEqual(reading.kind === 'ok' && reading.progress.journal, last.progress.journal);
  });

  it("a fix that created a file: recorded without a backup, after the wizard's own entries", async () => {
    const wizards: JournalEntry = {
      kind: 'file',
      step: 'nginx',
      action: 'write-nginx-site',
      path: '/x',
      owner: 'root',
    };
    const fake = doctorOn([SOCKET_755, survey()], undefined, { ...emptyProgress(ANSWERS, 'then'), journal: [wizards] });
    await runDoctor(fake.s, { ...FLAGS, fix: true, yes: true });
    assert.deepEqual(fake.written.at(-1)?.progress.journal, [
      wizards,
      { kind: 'file', doctor: 'permission', path: PLACE.ini, owner: 'demo' },
    ]);
  });

  it('without --fix nothing is recorded', async () => {
    const fake = doctorOn([SOCKET_755], INI_755);
    await runDoctor(fake.s, FLAGS);
    assert.deepEqual(fake.written, []);
  });

  const FIXED: JournalEntry = { kind: 'file', doctor: 'permission', path: PLACE.ini, owner: 'demo', backup: BACKUP };
  const record = { ...emptyProgress(ANSWERS, 'then'), journal: [FIXED] };

  it("undo lists it as the doctor's fix and restores the backup as the file's owner", async () => {
    const fake = fakeSurroundings({ progress: record, answers: {} });
    assert.equal(await runUndo(fake.s, { ...FLAGS, yes: true }), EXIT.ok);
    const restore = `runuser -u demo -- mv -f ${BACKUP} ${PLACE.ini}`;
    assert.match(
      fake.stdout.text,
      new RegExp(`  - the doctor's fix of permission: replaced ${PLACE.ini} \\(earlier version in ${BACKUP}\\)\n`),
    );
    assert.ok(fake.stdout.text.includes(`  $ ${restore}\n`), fake.stdout.text);
    assert.ok(fake.transcript().includes(`$ ${restore}\n-- exit 0`), fake.transcript());
    assert.deepEqual(fake.written.at(-1)?.progress.journal, []);
  });

  it('in Japanese, the list says it was the doctor', async () => {
    const fake = fakeSurroundings({ progress: record, stdinIsTTY: true, answers: { confirm: [false] } });
    await runUndo(fake.s, { ...FLAGS, lang: 'ja' });
    assert.ok(
      fake.stdout.text.includes(`  - doctor による permission の修正: ${PLACE.ini} を置き換え`),
      fake.stdout.text,
    );
  });
});
