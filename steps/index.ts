// The curriculum in the guide's order: one line per step module (steps/<name>.ts). A step's id is
// its identity (progress and quiz answers are stored by id), so steps can be inserted or
// reordered without breaking anything recorded. StepId is derived from this list.
import { appCode } from './app-code.js';
import { appDjango } from './app-django.js';
import { appEnv } from './app-env.js';
import { appImport } from './app-import.js';
import { appPackages } from './app-packages.js';
import { appStatic } from './app-static.js';
import { concepts } from './concepts.js';
import { deployRollBack, deploySteps } from './deploy.js';
import { conclusion } from './conclusion.js';
import { firewall } from './firewall.js';
import { https } from './https.js';
import { ini } from './ini.js';
import { nginx } from './nginx.js';
import { packages } from './packages.js';
import { service } from './service.js';
import { definitionOf } from './step.js';
import { testRun } from './test-run.js';
import { uwsgi } from './uwsgi.js';
import { virtualenv } from './virtualenv.js';
import { wsgiApp } from './wsgi-app.js';
import { wsgiSpec } from './wsgi-spec.js';

export const steps = [
  concepts,
  wsgiSpec,
  packages,
  virtualenv,
  uwsgi,
  wsgiApp,
  // A person's own project (issue 17) instead of wsgi.py and the test run: each applies only to it.
  appCode,
  appEnv,
  appPackages,
  appDjango,
  appImport,
  testRun,
  ini,
  service,
  appStatic,
  nginx,
  firewall,
  https,
  conclusion,
] as const;

/** The id of a step of the curriculum, or of `deploy`: the union of the ids their modules declare. */
export type StepId = (typeof steps)[number]['id'] | (typeof deploySteps)[number]['id'] | typeof deployRollBack.id;

/** The steps as the engine plans them, each with its pitfall checks and hands-on part. */
export const curriculum = steps.map(definitionOf);

/** What `uwsgi-nginx-guide deploy` runs for a person's own project already served (steps/deploy.ts). */
export const deployCurriculum = deploySteps.map(definitionOf);

/** What `deploy` runs after the new code took the running one's place and did not serve: the previous code back. */
export const deployRollBackCurriculum = [definitionOf(deployRollBack)];
