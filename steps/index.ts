// The curriculum in the guide's order. A step's id is its identity (progress is stored by id),
// so steps can be inserted or reordered without breaking anything recorded.
import type { StepDefinition } from '../src/engine/types.js';
import { concepts } from './concepts.js';
import { wsgiSpec } from './wsgi-spec.js';
import { packages } from './packages.js';
import { virtualenv } from './virtualenv.js';
import { uwsgi } from './uwsgi.js';
import { wsgiApp } from './wsgi-app.js';
import { testRun } from './test-run.js';
import { ini } from './ini.js';
import { service } from './service.js';
import { nginx } from './nginx.js';
import { conclusion } from './conclusion.js';
import { withPitfalls } from './pitfalls.js';
import { withHandsOn } from './hands-on.js';

// Each step carries the pitfall checks asked before its first action (steps/pitfalls.ts), and
// what hands-on mode shows a student who does it by hand (steps/hands-on.ts).
export const curriculum: readonly StepDefinition[] = withHandsOn(
  withPitfalls([concepts, wsgiSpec, packages, virtualenv, uwsgi, wsgiApp, testRun, ini, service, nginx, conclusion]),
);
