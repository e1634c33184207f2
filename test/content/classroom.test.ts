// The quizzes and the glossary as data (issue 7): both languages everywhere, one right answer per
// question, every wrong answer explained, the topics the issue asks for, every term used.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/engine/plan.js';
import { forStep, lookUp, stepWords, usedBy } from '../../src/engine/glossary.js';
import type { Text } from '../../src/engine/types.js';
import { curriculum } from '../../steps/index.js';
import { glossary } from '../../steps/glossary.js';
import { everyCauseText } from '../../src/ui/doctor-text.js';
import { quizzes } from '../../steps/quizzes.js';
import { DJANGO_APP, everyContext, FLASK_APP, FLASK_FACTORY_APP, ownAppContext, planFor } from '../helpers.js';
import { LABELS, type Said } from '../../src/ui/labels.js';

/** What the wizard says of a person's own project (issue 17): its questions and its refusals, in English. */
function ownAppText(): string {
  const en = LABELS.en;
  // Each sentence with every blank filled in: what it says around them is what is looked at.
  const blanks = new Proxy({}, { get: () => 'x:y' });
  const said = Object.values(en.ownApp).map((words) => {
    const out = typeof words === 'string' ? words : (words as (p: object) => string | Said)(blanks);
    return typeof out === 'string' ? out : `${out.message} ${out.tryThis ?? ''}`;
  });
  return [...said, en.questions.appSource, en.questions.appModule].join('\n');
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Both languages present; the Japanese is Japanese, unless it is only a name (WSGI, nginx). */
function assertBilingual(text: Text, where: string, nameOnly = false): void {
  assert.ok(text.en.trim(), `${where}: empty en`);
  assert.ok(text.ja.trim(), `${where}: empty ja`);
  if (!nameOnly) assert.match(text.ja, JAPANESE, `${where}: ja has no Japanese: ${text.ja}`);
  if (!nameOnly) assert.notEqual(text.ja, text.en, `${where}: ja is the English`);
}

describe('the quizzes', () => {
  it('have unique ids and belong to steps of the curriculum', () => {
    const ids = quizzes.map((q) => q.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids}`);
    const steps = curriculum.map((s) => s.id);
    for (const q of quizzes) assert.ok(steps.includes(q.step), `${q.id}: no step ${q.step}`);
  });

  it('every question, answer and explanation exists in both languages', () => {
    for (const q of quizzes) {
      assertBilingual(q.question, `${q.id}: question`);
      q.choices.forEach((choice, i) => {
        // Only a choice that is a name (WSGI, uWSGI, nginx) may read the same in both languages.
        assertBilingual(choice.text, `${q.id} choice ${i + 1}`, choice.text.en === choice.text.ja);
        assertBilingual(choice.why, `${q.id} choice ${i + 1}: why`);
      });
    }
  });

  it('every question has exactly one right answer among three or four, and no two choices alike', () => {
    for (const q of quizzes) {
      assert.ok(q.choices.length >= 3 && q.choices.length <= 4, `${q.id}: ${q.choices.length} choices`);
      assert.equal(q.choices.filter((c) => c.correct).length, 1, `${q.id}: right answers`);
      assert.equal(new Set(q.choices.map((c) => c.text.en)).size, q.choices.length, `${q.id}: choices repeat`);
      assert.equal(new Set(q.choices.map((c) => c.why.en)).size, q.choices.length, `${q.id}: explanations repeat`);
    }
  });

  it('the right answer is not always in the same place', () => {
    assert.ok(new Set(quizzes.map((q) => q.choices.findIndex((c) => c.correct))).size >= 3);
  });

  it('cover what the issue names: the three names, start_response, the socket, chmod-socket, die-on-term, nginx in front', () => {
    const about = (stepId: string, words: RegExp) =>
      quizzes.some((q) => q.step === stepId && words.test(q.question.en + q.choices.map((c) => c.text.en).join(' ')));
    assert.ok(about('concepts', /WSGI[\s\S]*uWSGI[\s\S]*uwsgi/), 'WSGI vs uWSGI vs uwsgi after concepts');
    assert.ok(about('wsgi-spec', /start_response/), 'start_response after wsgi-spec');
    assert.ok(about('ini', /unix socket/), 'why a unix socket after ini');
    assert.ok(about('ini', /chmod-socket = 664/), 'chmod-socket after ini');
    assert.ok(about('ini', /die-on-term/), 'die-on-term after ini');
    assert.ok(about('nginx', /nginx in front/), 'why nginx in front after nginx');
  });
});

describe('the glossary', () => {
  it('every entry exists in both languages, terms unique', () => {
    const terms = glossary.map((e) => e.term.en);
    assert.equal(new Set(terms).size, terms.length, `duplicate terms: ${terms}`);
    for (const entry of glossary) {
      assertBilingual(entry.term, `${entry.term.en}: term`, true);
      assertBilingual(entry.definition, `${entry.term.en}: definition`);
    }
  });

  it('has the terms the issue lists', () => {
    const wanted = [
      'WSGI',
      'uWSGI',
      'uwsgi protocol',
      'venv',
      'master',
      'worker',
      'unix socket',
      'server block',
      'upstream',
      'sites-available',
      'sites-enabled',
      'systemd unit',
      'Upstart',
      'PEP 668',
      'www-data',
      'chmod-socket',
      'vacuum',
      'die-on-term',
      '502 Bad Gateway',
    ];
    for (const word of wanted) assert.ok(lookUp(glossary, word).length > 0, `no entry for ${word}`);
    assert.deepEqual(
      lookUp(glossary, 'WSGI')
        .map((e) => e.term.en)
        .slice(0, 2),
      ['WSGI', 'uWSGI'],
      'case-insensitive, in order',
    );
  });

  it('every entry is used by some step, on some platform, by the doctor or by the own-app questions (the glossary explains the words the wizard uses)', () => {
    const ownApps = [FLASK_APP, FLASK_FACTORY_APP, DJANGO_APP].map((app) => ({ ctx: ownAppContext(app) }));
    const steps = [...everyContext(), ...ownApps].flatMap(({ ctx }) => buildPlan(curriculum, ctx).steps);
    const doctor = everyCauseText('en');
    const ownApp = ownAppText();
    for (const entry of glossary)
      assert.ok(
        steps.some((s) => usedBy(entry, s)) || entry.mentions.test(doctor) || entry.mentions.test(ownApp),
        `${entry.term.en}: used by no step, not by the doctor, not by the own-app questions`,
      );
  });

  it("has the words the doctor uses (issue 16), each found in the doctor's sentences", () => {
    const doctor = everyCauseText('en');
    const wanted = [
      'upstream',
      'socket',
      'listen queue',
      'harakiri',
      'default server',
      'uwsgi protocol',
      'buffer-size',
    ];
    for (const word of wanted) {
      const entries = lookUp(glossary, word);
      assert.ok(entries.length > 0, `no entry for ${word}`);
      assert.ok(
        entries.some((e) => e.mentions.test(doctor)),
        `${word}: the doctor never says it`,
      );
    }
  });

  it("a step's overlay lists the terms it uses first: the concepts step starts with WSGI, uWSGI and the uwsgi protocol", () => {
    const concepts = planFor().steps.find((s) => s.id === 'concepts')!;
    const listed = forStep(glossary, concepts);
    assert.equal(listed.length, glossary.length, 'every entry is listed');
    const here = listed.filter((e) => e.here).map((e) => e.entry.term.en);
    assert.deepEqual(here.slice(0, 3), ['WSGI', 'uWSGI', 'uwsgi protocol']);
    assert.ok(!here.includes('Upstart'), 'not a term of the concepts step');
    assert.ok(
      listed.slice(0, here.length).every((e) => e.here),
      "this step's terms come first",
    );
    assert.match(stepWords(concepts), /uwsgi protocol/);
  });
});
