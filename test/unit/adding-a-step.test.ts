// Adding a step is writing one step module and putting it in the curriculum list (the README's
// "Adding a step"). Here a dummy step is added exactly that way, from outside steps/, and the
// engine plans it, checks it, asks its quiz and takes back what it created, with nothing else
// told about it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { command, shellLine, text } from '../../src/engine/commands.js';
import { planUndo, type JournalEntry } from '../../src/engine/journal.js';
import { buildPlan, formatPlan } from '../../src/engine/plan.js';
import { WizardSession } from '../../src/engine/session.js';
import type { StepId } from '../../src/engine/types.js';
import type { WizardState } from '../../src/engine/wizard.js';
import { steps } from '../../steps/index.js';
import { definitionOf, defineStep, quizzesOf, right, type StepModule, wrong } from '../../steps/step.js';
import { FakeSystem, GUIDE_STEP_IDS, makeContext } from '../helpers.js';

// The one step module.
const dummy = defineStep({
  id: 'dummy',
  section: 9,
  title: text('Leave a mark', '印を残す'),
  plan(ctx) {
    const mark = `${ctx.answers.appDir}/mark`;
    return {
      explain: text('A step made for this test.', 'このテストのために作ったステップです。'),
      notes: [],
      actions: [
        command(ctx, {
          id: 'make-mark',
          runAs: 'service-user',
          line: shellLine('mkdir', mark),
          effects: [{ kind: 'creates', path: mark, made: 'directory', runAs: 'service-user' }],
          explain: text('Make the mark.', '印を作ります。'),
        }),
      ],
      checks: [
        {
          id: 'mark-there',
          title: text(`${mark} is there`, `${mark} がある`),
          probe: { kind: 'file', path: mark },
          tryThis: text('Run this step again.', 'このステップをやり直してください。'),
        },
      ],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'dummy-mark',
      question: text('What did this step leave?', 'このステップは何を残しましたか?'),
      choices: [
        wrong(text('Nothing', '何も'), text('It made a directory.', 'ディレクトリを作りました。')),
        right(text('A directory', 'ディレクトリ'), text('mkdir made it.', 'mkdir が作りました。')),
      ],
    },
  ],
});

// The one line in the curriculum list. In steps/index.ts that line also adds 'dummy' to StepId;
// this list is the test's own, so it tells the type checker so.
const withDummy = [...steps, dummy] as readonly StepModule<string>[] as readonly StepModule<StepId>[];
const DUMMY = dummy.id as string as StepId;

describe('adding a step: one module and one line in the curriculum', () => {
  const ctx = makeContext();
  const mark = `${ctx.answers.appDir}/mark`;
  const plan = buildPlan(withDummy.map(definitionOf), ctx);
  const at = plan.steps.findIndex((s) => s.id === DUMMY);

  it('is planned: its action and check are in the plan and in the dry-run text', () => {
    assert.equal(at, GUIDE_STEP_IDS.length, "after the last step of the guide's curriculum");
    const planned = plan.steps[at]!;
    assert.deepEqual(
      planned.actions.map((a) => a.kind === 'command' && a.command),
      [`runuser -u demo -- mkdir ${mark}`],
    );
    assert.deepEqual(
      planned.checks.map((c) => c.id),
      ['mark-there'],
    );
    assert.match(formatPlan(plan, 'en'), /\[dummy\] Leave a mark/);
  });

  it('is run and checked, its quiz asked, and what it created is journaled and taken back by undo', async () => {
    const fake: FakeSystem = new FakeSystem({
      commands: { 'make-mark': { creates: { [mark]: { kind: 'dir' } } } },
      // The check passes only once the step's command has made the mark on the fake machine.
      probe: (_name, _asked, probe) => probe.kind === 'file' && fake.paths.has(probe.path),
    });
    let journal: JournalEntry[] = [];
    const session = new WizardSession(plan, fake, {
      auto: false,
      pollMs: 2,
      resume: { startAt: at, statuses: {} },
      quiz: { questions: quizzesOf(withDummy), answered: {} },
      onJournal: (entries) => {
        journal = entries;
      },
    });
    const asked: string[] = [];
    // The person: Enter at each question of the wizard, and the right choice at the quiz.
    const answer = ({ phase }: WizardState) => {
      if (phase.kind === 'reading' || phase.kind === 'confirm')
        setImmediate(() => session.dispatch({ type: 'continue', at: 0 }));
      if (phase.kind === 'quiz' && phase.run.picked.length === 0) {
        const question = phase.run.questions[phase.run.index]!;
        asked.push(question.id);
        const choice = question.choices.findIndex((c) => c.correct);
        setImmediate(() => session.dispatch({ type: 'quiz-pick', choice }));
      } else if (phase.kind === 'quiz') setImmediate(() => session.dispatch({ type: 'quiz-confirm' }));
    };
    session.subscribe(answer);
    const finished = session.run();
    answer(session.getState());
    const final = await finished;

    assert.equal(final.phase.kind, 'finished');
    assert.deepEqual(fake.performed, ['make-mark']);
    assert.equal(final.statuses[DUMMY], 'done');
    assert.deepEqual(
      final.proofs[DUMMY]?.map((r) => [r.checkId, r.ok]),
      [['mark-there', true]],
    );
    assert.deepEqual(asked, ['dummy-mark']);
    assert.deepEqual(final.quizAnswers['dummy-mark'], { step: 'dummy', firstTry: true, tries: 1 });
    assert.deepEqual(journal, [
      { kind: 'created', step: 'dummy', action: 'make-mark', path: mark, made: 'directory', runAs: 'service-user' },
    ]);
    assert.deepEqual(
      planUndo(ctx, journal).map((a) => a.command),
      [`runuser -u demo -- rmdir ${mark}`],
    );
  });
});
