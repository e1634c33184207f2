// Where a person's own project goes on the machine (issue 17), from the answers and what was found
// in it: the copy of its code the service runs, the static files nginx serves, the environment file.
// Pure: the same paths for the plan, `deploy` and `undo`.
import { appPaths } from '../commands.js';
import type { PlanContext } from '../types.js';
import type { FoundApp } from './found.js';

/** The URL prefix nginx serves static files under when the project names none (Django's default STATIC_URL). */
const DEFAULT_STATIC_URL = '/static/';

/** Never copied: history, caches, virtualenvs, secrets (`.env` has its own file) and a development database. */
export const NOT_COPIED = [
  '.git',
  '__pycache__',
  '*.pyc',
  '.venv',
  'venv',
  '.env',
  'node_modules',
  'db.sqlite3',
] as const;

export function ownAppPaths(ctx: PlanContext, app: FoundApp) {
  const p = appPaths(ctx);
  const { appName } = ctx.answers;
  // A copy, not the person's directory: the service runs what was proven, and editing the source never breaks it.
  const code = `${p.appDir}/code`;
  const inCode = (path: string) => (path === '' ? code : `${code}/${path}`);
  const staticUrl = app.statics?.url ?? DEFAULT_STATIC_URL;
  // Outside the home directory, which is closed to nginx on current releases (pitfalls #12).
  const publicDir = `/var/www/${appName}`;
  return {
    source: sourceOf(app),
    code,
    /** The new code of `deploy`, proven before it replaces `code`. */
    codeNew: `${code}.new`,
    /** The code `deploy` replaced, kept to go back to. */
    codePrevious: `${code}.previous`,
    inCode,
    chdir: inCode(app.chdir),
    publicDir,
    staticDir: `${publicDir}/static`,
    staticUrl: staticUrl.endsWith('/') ? staticUrl : `${staticUrl}/`,
    envFile: `${p.appDir}/${appName}.env`,
    /** Runs a command with the environment file's variables, as the service gets them (steps/app-env.ts). */
    withEnv: `${p.appDir}/with-env`,
    /** Django's SQLite database, outside the code so that deploying new code never replaces it. */
    database: `${p.appDir}/db.sqlite3`,
    /** The settings module the wizard writes beside a Django project's own (steps/app-django.ts). */
    djangoSettings: app.django ? djangoSettingsBeside(app.django.settingsModule) : undefined,
  };
}

/** Where the project is: the plan copies from it. A FoundApp planned without it is our bug. */
function sourceOf(app: FoundApp): string {
  if (app.root === undefined)
    throw new Error("a person's own project was planned without its directory (FoundApp.root)");
  return app.root;
}

/** `module:callable`, as the ini's `module =` says it. */
export function wsgiTarget(app: FoundApp): string {
  return `${app.module}:${app.callable}`;
}

/** `mysite.settings` → `mysite.uwsgi_guide_settings`: the wizard's settings module, in the same package. */
function djangoSettingsBeside(settingsModule: string): string {
  const dot = settingsModule.lastIndexOf('.');
  return `${dot < 0 ? '' : settingsModule.slice(0, dot + 1)}uwsgi_guide_settings`;
}
