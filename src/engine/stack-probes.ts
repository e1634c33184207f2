// The probes of the app's running stack (browser → nginx → socket → uWSGI → app), built once here
// for this plan's app: the steps' checks ask them (service: the socket; nginx and the conclusion:
// the page) and the stack line (stack.ts) asks the same ones, so that both always look at the
// same thing. Pure: a probe is a question, asked through the System port.
import { appPaths } from './commands.js';
import type { PlanContext, Probe, UwsgiExpectation, UwsgiTarget } from './types.js';

/** What the guide's app answers (steps/wsgi-app.ts writes it into the page). */
export const APP_GREETING = 'Hello There!';

/** The page as a browser gets it through nginx: port 80 of this machine, asked for the server name. */
export function pageThroughNginx(ctx: PlanContext): Probe {
  // A person's own app says what it likes: it is asked to answer 200 (issue 17).
  return {
    kind: 'http',
    url: 'http://127.0.0.1/',
    host: ctx.answers.serverName,
    expectBody: ctx.ownApp ? '' : APP_GREETING,
  };
}

/** uWSGI's socket as nginx must find it: there, mode 664, in the web server's group. */
export function appSocket(ctx: PlanContext): Probe {
  return { kind: 'socket', path: appPaths(ctx).socket, mode: 0o664, group: ctx.answers.webGroup };
}

/**
 * The venv's uWSGI processes, the test run and the service alike (a master and its workers run the
 * same command line). `count` is the exact number expected; -1 is never met, for a caller that
 * reads how many run rather than whether the count was met.
 */
export function uwsgiProcesses(ctx: PlanContext, count: number): Probe {
  return { kind: 'processes', user: ctx.answers.user, match: appPaths(ctx).uwsgi, count };
}

/** nginx's master process (its workers run as the web server's account). `count` as for uwsgiProcesses. */
export function nginxMaster(count: number): Probe {
  return { kind: 'processes', user: 'root', match: 'nginx: master process', count };
}

/**
 * Every uWSGI serving this app, however started: in its directory, naming its ini or wsgi.py, holding
 * its socket or test port, or named by the service's pidfile; the systemd unit tells the service's.
 */
export function uwsgiServingApp(ctx: PlanContext, expect: UwsgiExpectation): Probe {
  const p = appPaths(ctx);
  const serving: UwsgiTarget = {
    appDir: p.appDir,
    paths: [p.ini, p.wsgiPy],
    socket: p.socket,
    port: ctx.answers.testPort,
    pidFile: p.pidFile,
    ...(ctx.platform.serviceManager === 'systemd' ? { unit: `${ctx.answers.appName}.service` } : {}),
  };
  return { kind: 'uwsgi', serving, expect };
}

/** A uWSGI holding the test port (the guide's test server, left running). */
export function uwsgiOnTestPort(ctx: PlanContext): Probe {
  return { kind: 'uwsgi', serving: { port: ctx.answers.testPort }, expect: { kind: 'by-hand-none' } };
}
