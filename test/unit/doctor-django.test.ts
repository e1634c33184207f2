// The doctor on a person's own project (issues 16 and 17): Django refusing the site's name
// (ALLOWED_HOSTS) and static files nginx does not serve, judged on surveys of the wizard's own files
// with the place the doctor gets for a Django project the wizard deployed (placeOf, from the plan's
// context). The real machine's Django is test/e2e/own-app-django.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeOf } from '../../src/app/doctor.js';
import { diagnose } from '../../src/engine/doctor/diagnose.js';
import type { DoctorSurvey, PathPart } from '../../src/engine/doctor/survey.js';
import { buildPlan } from '../../src/engine/plan.js';
import { causeSaid } from '../../src/ui/doctor-text.js';
import { curriculum } from '../../steps/index.js';
import { dir, PLACE, SITE, survey, WWW_DATA } from '../doctor-surveys.js';
import { DJANGO_APP, makeContext, ownAppContext } from '../helpers.js';

const CTX = ownAppContext(DJANGO_APP);
const OWN = placeOf(CTX, true);
const DJANGO = OWN.django!;
const STATICS = OWN.statics!;
const REFUSED_LOG = "Invalid HTTP_HOST header: 'example.com'. You may need to add 'example.com' to ALLOWED_HOSTS.";
const BAD_REQUEST = {
  status: 400,
  body: '<!doctype html>\n<html lang="en">\n<head>\n  <title>Bad Request (400)</title>',
};
const SITE_WITH_STATICS = SITE.replace(
  '    location / {',
  `    location ${STATICS.url} {\n        alias           ${STATICS.dir}/;\n    }\n\n    location / {`,
);
const STATIC_PARTS: PathPart[] = [
  dir('/', 0o755),
  dir('/var', 0o755),
  dir('/var/www', 0o755),
  dir('/var/www/myapp', 0o755, 1000, 1000),
  dir(STATICS.dir, 0o755, 1000, 1000),
];
const SERVED = { status: 200, body: 'body { }' };

/** The Django project as the wizard left it (its settings module as written, the statics served), with changes. */
function django(
  changes: Parameters<typeof survey>[0] = {},
  own: { settings?: string; statics?: Partial<NonNullable<DoctorSurvey['statics']>> } = {},
): DoctorSurvey {
  const seen = survey({ site: SITE_WITH_STATICS, ...changes });
  seen.place = { ...PLACE, django: DJANGO, statics: STATICS };
  const file = (path: string, text: string) => ({ path, text, owner: 'demo', group: 'demo', mode: 0o644, mtimeMs: 0 });
  seen.files.push(
    file(DJANGO.settingsFile, own.settings ?? DJANGO.settingsSource),
    file(DJANGO.projectSettings, "DEBUG = False\nALLOWED_HOSTS = ['localhost']\n"),
  );
  seen.statics = {
    parts: STATIC_PARTS,
    files: 3,
    asked: { url: `${STATICS.url}admin/css/base.css`, answer: SERVED },
    ...own.statics,
  };
  return seen;
}

describe('the doctor on a Django project of the person’s own', () => {
  it('knows the settings module the wizard writes for it: the app-django step’s own path and content', () => {
    const written = buildPlan(curriculum, CTX)
      .steps.flatMap((step) => step.actions)
      .find((action) => action.id === 'write-django-settings');
    assert.ok(written?.kind === 'file');
    assert.equal(DJANGO.settingsFile, written.path);
    assert.equal(DJANGO.settingsSource, written.content);
    assert.equal(DJANGO.projectSettings, `${written.path.replace(/uwsgi_guide_settings\.py$/, '')}settings.py`);
    // The guide's hello world has neither.
    const guide = placeOf(makeContext(), true);
    assert.equal(guide.django, undefined);
    assert.equal(guide.statics, undefined);
  });

  it('as the wizard left it: healthy, the static file served by nginx', () => {
    const report = diagnose(django());
    assert.deepEqual(report.findings, []);
  });

  it('the wizard’s settings module changed since, Django answering 400: django-hosts at the page, fixed by writing it again as the wizard does and restarting uWSGI', () => {
    const changed = 'from mysite.settings import *  # noqa\n';
    const report = diagnose(django({ page: BAD_REQUEST, uwsgiLog: [REFUSED_LOG] }, { settings: changed }));
    const found = report.findings[0]!;
    assert.equal(found.cause, 'django-hosts');
    assert.equal(found.layer, 'page');
    assert.equal(found.facts.host, 'example.com');
    assert.equal(found.facts.wizardSettings, 'changed');
    assert.ok(found.evidence.some((e) => e.kind === 'answer' && e.status === 400));
    assert.ok(found.evidence.some((e) => e.kind === 'log-line' && e.line === REFUSED_LOG));
    // The project's own ALLOWED_HOSTS, read as it is, without the site's name.
    assert.ok(
      found.evidence.some(
        (e) => e.kind === 'config' && e.file === DJANGO.projectSettings && e.text === "ALLOWED_HOSTS = ['localhost']",
      ),
    );
    const [write, ...restart] = found.fix ?? [];
    assert.deepEqual(write, {
      kind: 'file',
      path: DJANGO.settingsFile,
      content: DJANGO.settingsSource,
      owner: 'demo',
      group: 'demo',
      mode: 0o644,
    });
    const start = restart.at(-1);
    assert.equal(start?.kind === 'command' && start.command, PLACE.start, 'uWSGI restarted as the wizard starts it');
    assert.match(causeSaid(found, 'en').fix!, /again as the wizard wrote it .*adds example\.com to ALLOWED_HOSTS/);
    assert.match(causeSaid(found, 'ja').fix!, /ウィザードが書いたとおりに書き直し/);
  });

  it('the wizard’s settings module gone: written again too (DEBUG off: no log line, the 400 and the settings are the evidence)', () => {
    const seen = django({ page: BAD_REQUEST });
    seen.files = seen.files.filter((f) => f.path !== DJANGO.settingsFile);
    const found = diagnose(seen).findings[0]!;
    assert.equal(found.cause, 'django-hosts');
    const write = found.fix?.[0];
    assert.ok(write?.kind === 'file' && write.path === DJANGO.settingsFile && write.content === DJANGO.settingsSource);
  });

  it('the wizard’s settings as written and still 400: no fix; the try-this names the environment file', () => {
    const found = diagnose(django({ page: BAD_REQUEST, uwsgiLog: [REFUSED_LOG] })).findings[0]!;
    assert.equal(found.cause, 'django-hosts');
    assert.equal(found.fix, undefined);
    assert.match(causeSaid(found, 'en').tryThis, /adds example\.com already: .*environment file/);
    assert.match(causeSaid(found, 'ja').tryThis, /環境ファイル/);
  });

  it('a Django set up by hand (no record of it): its DisallowedHost line names django-hosts; a 400 without any sign of Django does not', () => {
    const byHand = diagnose(survey({ page: BAD_REQUEST, uwsgiLog: [REFUSED_LOG] })).findings[0]!;
    assert.equal(byHand.cause, 'django-hosts');
    assert.match(causeSaid(byHand, 'en').tryThis, /Add 'example\.com' to ALLOWED_HOSTS in your settings/);
    assert.equal(
      diagnose(survey({ page: BAD_REQUEST })).findings.some((f) => f.cause === 'django-hosts'),
      false,
    );
  });

  it('no location for the static files in the site: django-static (no-location), the page itself healthy', () => {
    const report = diagnose(
      django(
        { site: SITE },
        { statics: { asked: { url: '/static/admin/css/base.css', answer: { status: 404, body: '' } } } },
      ),
    );
    const found = report.findings[0]!;
    assert.equal(found.cause, 'django-static');
    assert.equal(found.facts.reason, 'no-location');
    assert.equal(found.fix, undefined);
    assert.match(causeSaid(found, 'en').tryThis, /location \/static\/ \{ alias \/var\/www\/myapp\/static\/; \}/);
    // nginx reloaded as every machine the wizard knows can (no systemctl where no systemd runs).
    for (const lang of ['en', 'ja'] as const) assert.match(causeSaid(found, lang).tryThis, /sudo service nginx reload/);
    assert.ok(report.layers.every((l) => l.state !== 'failed' || l.layer === 'page'));
  });

  it('the static directory empty: django-static (empty), with the find that found nothing', () => {
    const { asked: _none, ...empty } = django().statics!;
    const seen = django();
    seen.statics = { ...empty, files: 0 };
    const found = diagnose(seen).findings[0]!;
    assert.equal(found.cause, 'django-static');
    assert.equal(found.facts.reason, 'empty');
    assert.ok(found.evidence.some((e) => e.kind === 'command' && e.command === `find ${STATICS.dir} -type f`));
    assert.match(causeSaid(found, 'ja').what, /が空か、ありません/);
  });

  it('the static directory closed to nginx’s user: django-static (closed), the closed directory’s stat as evidence', () => {
    const closed = [...STATIC_PARTS.slice(0, 3), dir('/var/www/myapp', 0o750, 1000, 1000), STATIC_PARTS[4]!];
    const forbidden = { url: '/static/admin/css/base.css', answer: { status: 403, body: '403 Forbidden' } };
    const found = diagnose(django({}, { statics: { parts: closed, asked: forbidden } })).findings[0]!;
    assert.equal(found.cause, 'django-static');
    assert.deepEqual([found.facts.reason, found.facts.closedDir], ['closed', '/var/www/myapp']);
    assert.ok(found.evidence.some((e) => e.kind === 'stat' && e.path === '/var/www/myapp' && e.mode === 0o750));
    // nginx's group let in: not closed.
    const grouped = [...closed.slice(0, 3), dir('/var/www/myapp', 0o750, 1000, WWW_DATA), closed[4]!];
    assert.deepEqual(diagnose(django({}, { statics: { parts: grouped } })).findings, []);
  });

  it('a static file answering 404 though its location and directory are there: django-static (not-served)', () => {
    const missing = { url: '/static/admin/css/base.css', answer: { status: 404, body: '404 Not Found' } };
    const found = diagnose(django({}, { statics: { asked: missing } })).findings[0]!;
    assert.equal(found.cause, 'django-static');
    assert.equal(found.facts.reason, 'not-served');
    assert.ok(found.evidence.some((e) => e.kind === 'answer' && e.status === 404));
  });
});
