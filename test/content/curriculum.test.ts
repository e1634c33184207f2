// A lint over the curriculum as planned for every kind of machine: order, sections, both
// languages, proof for every step that changes something, and what reaches the machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/engine/plan.js';
import { GUIDE_PLACEHOLDER_SERVER_NAME } from '../../src/engine/answers.js';
import type { FileAction, Plan, PlannedStep, StepId, Text } from '../../src/engine/types.js';
import { runChecks } from '../../src/engine/wizard.js';
import { curriculum } from '../../steps/index.js';
import {
  DJANGO_APP,
  debian12,
  everyContext,
  FLASK_APP,
  FLASK_FACTORY_APP,
  makeContext,
  ownAppContext,
  ubuntu1404,
} from '../helpers.js';

const LESSONS: StepId[] = ['concepts', 'wsgi-spec', 'conclusion'];
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Every bilingual text a person reads in a step, with where it is, for the failure message. */
function textsOf(step: PlannedStep): [string, Text][] {
  const texts: [string, Text][] = [
    ['title', step.title],
    ['explain', step.explain],
    ...step.notes.map((note, i): [string, Text] => [`note ${i + 1}`, note]),
  ];
  for (const action of step.actions) {
    texts.push([`${action.id}: explain`, action.explain]);
    if (action.whyDifferent) texts.push([`${action.id}: whyDifferent`, action.whyDifferent]);
  }
  for (const check of [...(step.preflight ?? []), ...runChecks(step), ...step.checks]) {
    texts.push([`${check.id}: title`, check.title], [`${check.id}: tryThis`, check.tryThis]);
  }
  return texts;
}

/** The plan without the notes that explain, to the reader, where this machine departs from the guide. */
function withoutNotes(plan: Plan): unknown {
  return { ...plan, steps: plan.steps.map(({ notes: _notes, ...rest }) => rest) };
}

// The guide's order itself is in the golden plans (ubuntu-14.04.en.txt is the guide line for line).
it('the curriculum has each step id once', () => {
  const ids = curriculum.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids}`);
});

it('sections never go back and cover 1 to 9', () => {
  const sections = curriculum.map((s) => s.section);
  sections.slice(1).forEach((section, i) => {
    assert.ok(section >= sections[i]!, `section ${section} after ${sections[i]}`);
  });
  assert.deepEqual([...new Set(sections)], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

// The guide's hello world everywhere, and a person's own projects (issue 17) on current releases.
const contexts = [
  ...everyContext(),
  ...[FLASK_APP, FLASK_FACTORY_APP, DJANGO_APP].flatMap((app) =>
    [debian12('none'), debian12('systemd')].map((platform) => ({
      name: `${app.framework} on ${platform.id} (${platform.serviceManager})`,
      ctx: ownAppContext(app, platform),
    })),
  ),
];

for (const { name, ctx } of contexts) {
  describe(`planned for ${name}`, () => {
    const plan = buildPlan(curriculum, ctx);

    it('keeps the ids and the order of the curriculum, of the steps that apply to it', () => {
      assert.deepEqual(
        plan.steps.map((s) => s.id),
        curriculum.filter((s) => s.applies?.(ctx) ?? true).map((s) => s.id),
      );
      const ownSteps = plan.steps.filter((s) => s.id.startsWith('app-')).map((s) => s.id);
      if (ctx.ownApp) assert.ok(!plan.steps.some((s) => s.id === 'wsgi-app' || s.id === 'test-run'));
      else assert.deepEqual(ownSteps, [], "the guide's plan has no step of a person's own project");
    });

    it('every text has English and Japanese, and the Japanese is Japanese', () => {
      for (const step of plan.steps) {
        for (const [where, text] of textsOf(step)) {
          assert.ok(text.en.trim(), `${step.id} ${where}: empty en`);
          assert.ok(text.ja.trim(), `${step.id} ${where}: empty ja`);
          assert.match(text.ja, JAPANESE, `${step.id} ${where}: ja has no Japanese: ${text.ja}`);
        }
      }
    });

    it('every step but the lessons has an action and a check; the conclusion has a check', () => {
      for (const step of plan.steps.filter((s) => !LESSONS.includes(s.id))) {
        assert.ok(step.actions.length > 0, `${step.id} has no action`);
        assert.ok(step.checks.length > 0, `${step.id} has no check`);
      }
      assert.ok(plan.steps.find((s) => s.id === 'conclusion')!.checks.length > 0);
    });

    it(`nothing that runs, is written or is checked contains ${GUIDE_PLACEHOLDER_SERVER_NAME}`, () => {
      assert.ok(!JSON.stringify(withoutNotes(plan)).includes(GUIDE_PLACEHOLDER_SERVER_NAME));
    });

    it('every file has an absolute path, an owner, a group and a mode', () => {
      const files = plan.steps.flatMap((s) => s.actions).filter((a): a is FileAction => a.kind === 'file');
      assert.ok(files.length >= 3);
      for (const file of files) {
        assert.match(file.path, /^\/[^\s]*[^/]$/, file.id);
        assert.ok(!file.path.split('/').includes('..'), file.path);
        assert.ok(file.owner, `${file.id}: owner`);
        assert.ok(file.group, `${file.id}: group`);
        assert.ok(Number.isInteger(file.mode) && file.mode > 0 && file.mode <= 0o777, `${file.id}: mode`);
      }
    });

    it('every command runs in an absolute directory, if any, with a time limit', () => {
      for (const action of plan.steps.flatMap((s) => s.actions)) {
        if (action.kind !== 'command') continue;
        if (action.cwd) assert.match(action.cwd, /^\//, action.id);
        assert.ok(action.timeoutSec > 0, action.id);
        assert.ok(!action.command.includes('\n'), `${action.id}: one line`);
      }
    });
  });
}

describe("the guide's placeholder", () => {
  it('appears only in the note that says it was replaced, next to the real name', () => {
    const plan = buildPlan(curriculum, makeContext());
    const mentions = plan.steps.flatMap((s) =>
      s.notes.filter((n) => n.en.includes(GUIDE_PLACEHOLDER_SERVER_NAME)).map((n) => [s.id, n] as const),
    );
    assert.deepEqual(
      mentions.map(([id]) => id),
      ['nginx'],
    );
    assert.ok(mentions[0]![1].en.includes('example.com'));
    assert.ok(mentions[0]![1].ja.includes('example.com'));
  });

  it('never reaches the nginx site', () => {
    const plan = buildPlan(curriculum, makeContext());
    const site = plan.steps.flatMap((s) => s.actions).find((a) => a.id === 'write-nginx-site') as FileAction;
    assert.match(site.content, /^ {4}server_name example\.com;$/m);
  });
});

describe('wsgi.py', () => {
  const wsgiPy = (pythonMajor: 2 | 3): string => {
    const plan = buildPlan(curriculum, makeContext({ platform: pythonMajor === 3 ? debian12() : ubuntu1404() }));
    return (plan.steps.flatMap((s) => s.actions).find((a) => a.id === 'write-wsgi-py') as FileAction).content;
  };

  it('returns bytes under Python 3', () => {
    assert.match(wsgiPy(3), /^ {4}return \[b"<h1 style='color:blue'>Hello There!<\/h1>"\]$/m);
  });

  it('returns a str under Python 2, as the guide has it', () => {
    assert.match(wsgiPy(2), /^ {4}return \["<h1 style='color:blue'>Hello There!<\/h1>"\]$/m);
  });

  it("defines the guide's application(environ, start_response)", () => {
    for (const major of [2, 3] as const) assert.match(wsgiPy(major), /^def application\(environ, start_response\):$/m);
  });
});
