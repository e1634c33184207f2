// The floors of the probes and overhead benches: what the wizard does, written as one plain bash
// script, with nothing of the wizard in it (no Node, no screen, no record, no log). Built from the
// same plan, so that both run exactly the same commands and ask exactly the same questions.
import { shellLine } from '../src/engine/commands.js';
import { octal } from '../src/engine/plan.js';
import { canSurvey } from '../src/engine/survey.js';
import type { Action, Plan, Probe } from '../src/engine/types.js';

/** A word for the shell, quoted only when it must be. */
const q = (word: string): string => shellLine(word);
/** `text` as an extended regular expression matching exactly it. */
const regexOf = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One probe as a shell condition: true exactly when src/exec/system.ts's probe() answers ok. */
export function probeShell(probe: Probe): string {
  switch (probe.kind) {
    case 'packages':
      return `[ "$(dpkg-query -W -f='\${db:Status-Status}\\n' ${probe.names.map(q).join(' ')} 2>/dev/null | grep -cx installed)" -eq ${probe.names.length} ]`;
    case 'command': {
      const run = probe.cwd ? `(cd ${q(probe.cwd)} && ${probe.command})` : `(${probe.command})`;
      // Exit 0 and, when asked, the pattern in what it printed (as probe() reads its stdout).
      return probe.expectOutput === undefined
        ? `${run} >/dev/null 2>&1`
        : `{ out=$(${run} 2>/dev/null) && printf '%s\\n' "$out" | grep -Pzq ${q(`(?m)${probe.expectOutput}`)}; }`;
    }
    case 'file': {
      const tests = [`[ -f ${q(probe.path)} ]`];
      if (probe.content !== undefined) tests.push(`printf '%s' ${q(probe.content)} | cmp -s - ${q(probe.path)}`);
      if (probe.owner) tests.push(`[ "$(stat -L -c %U ${q(probe.path)})" = ${q(probe.owner)} ]`);
      if (probe.group) tests.push(`[ "$(stat -L -c %G ${q(probe.path)})" = ${q(probe.group)} ]`);
      if (probe.mode !== undefined) tests.push(`[ "$(stat -L -c %a ${q(probe.path)})" = ${probe.mode.toString(8)} ]`);
      if (probe.executable) tests.push(`[ -x ${q(probe.path)} ]`);
      return tests.join(' && ');
    }
    case 'http':
      return `curl -fsS --max-time 5 ${probe.host ? `-H ${q(`Host: ${probe.host}`)} ` : ''}${q(probe.url)} 2>/dev/null | grep -Fq ${q(probe.expectBody)}`;
    case 'processes':
      // Real uid and the command line, as probe() reads /proc.
      return `[ "$(pgrep -c -U ${q(probe.user)} -f -- ${q(regexOf(probe.match))})" -eq ${probe.count} ]`;
    case 'socket':
      return `[ -S ${q(probe.path)} ] && [ "$(stat -c '%a|%G' ${q(probe.path)})" = ${q(`${probe.mode.toString(8)}|${probe.group}`)} ]`;
    case 'port-free':
      return `! ss -Hltn ${q(`sport = :${probe.port}`)} | grep -q .`;
    case 'uwsgi':
      // What a script would do: the service's unit active (or the pidfile's uWSGI alive) and the count of
      // uwsgi processes; a script has no by-hand uWSGI to look for.
      // Only this app's: their command line names its directory (another app's uWSGI may run beside it).
      if (probe.expect.kind === 'by-hand-none') return 'true';
      return probe.serving.appDir
        ? `[ "$(pgrep -c -f -- ${q(`uwsgi .*${regexOf(probe.serving.appDir)}/`)})" -eq ${probe.expect.processes} ]`
        : `[ "$(pgrep -c -x uwsgi)" -eq ${probe.expect.processes} ]`;
  }
}

/**
 * One action as shell lines. A server the wizard watches (the test run) is started, waited for, and stopped as Ctrl-C
 * would.
 */
function actionShell(action: Action): string {
  if (action.kind === 'file') {
    return `printf '%s' ${q(action.content)} | install -o ${q(action.owner)} -g ${q(action.group)} -m ${octal(action.mode)} /dev/stdin ${q(action.path)}`;
  }
  const inDir = action.cwd ? `cd ${q(action.cwd)} && ` : '';
  if (!action.whileRunning) return `(${inDir}${action.command}) </dev/null`;
  const ready = action.whileRunning.checks.map((check) => probeShell(check.probe)).join(' && ');
  return [
    `setsid sh -c ${q(`${inDir}exec ${action.command}`)} </dev/null & server=$!`,
    `for _ in $(seq ${action.whileRunning.readyTimeoutSec * 10}); do ${ready} && break; sleep 0.1; done`,
    `kill -INT -- -$server 2>/dev/null; wait $server || true`,
  ].join('\n');
}

/**
 * The plan as one bash script: each step's commands and files in order, stopping at the first
 * failure, and, with `guarded`, each step the wizard can ask the machine about skipped when its
 * probes already pass (what the wizard does on a machine set up before).
 */
export function plainScript(plan: Plan, guarded: boolean): string {
  const lines = ['#!/bin/bash', 'set -e', ''];
  for (const step of plan.steps) {
    if (step.actions.length === 0) continue;
    const body = step.actions.map(actionShell).join('\n');
    lines.push(`# ${step.id}`, `echo "== [${step.id}] $(date +%s%N)"`);
    if (guarded && canSurvey(step))
      lines.push(`if ! { ${step.checks.map((check) => probeShell(check.probe)).join(' && ')}; }; then`, body, 'fi');
    else lines.push(body);
    lines.push('');
  }
  lines.push('echo "== end $(date +%s%N)"');
  return `${lines.join('\n')}\n`;
}

/** Seconds per step from a plain script's output (its `== [id] NANOSECONDS` lines). */
export function scriptStepSeconds(stdout: string): Record<string, number> {
  const marks = [...stdout.matchAll(/^== (?:\[([a-z0-9-]+)\]|end) (\d+)$/gm)].map((m) => ({
    id: m[1],
    at: Number(m[2]) / 1e9,
  }));
  return Object.fromEntries(marks.slice(0, -1).map((mark, i) => [mark.id!, marks[i + 1]!.at - mark.at]));
}

/** The probes `status` asks, as one plain script: exit 0 when every surveyed step is in place. */
export function probesScript(plan: Plan): string {
  const steps = plan.steps.filter(canSurvey);
  return [
    '#!/bin/bash',
    'all=0',
    ...steps.map((step) => `{ ${step.checks.map((check) => probeShell(check.probe)).join(' && ')}; } || all=1`),
    'exit $all',
    '',
  ].join('\n');
}

/** Where a site's parts are, as the wizard put them (src/engine/commands.ts appPaths), and who serves it. */
export interface SiteParts {
  user: string;
  serverName: string;
  appDir: string;
  venv: string;
  ini: string;
  socket: string;
  uwsgiLog: string;
  siteEnabled: string;
  /** nginx's worker user (www-data on Debian). */
  nginxUser: string;
}

/** A request in the uwsgi protocol straight to the socket (argv: path, host), its answer on stdout, in Python. */
const UWSGI_REQUEST = `import socket, struct, sys
path, host = sys.argv[1:3]
env = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/', 'QUERY_STRING': '', 'SERVER_PROTOCOL': 'HTTP/1.1',
       'HTTP_HOST': host, 'SERVER_NAME': host, 'SERVER_PORT': '80'}
pack = lambda text: struct.pack('<H', len(text)) + text.encode()
body = b''.join(pack(key) + pack(value) for key, value in env.items())
s = socket.socket(socket.AF_UNIX)
s.connect(path)
s.sendall(struct.pack('<BHB', 0, len(body), 0) + body)
answer = b''
while chunk := s.recv(65536):
    answer += chunk
sys.stdout.write(answer.decode('latin-1'))
`;

/**
 * The doctor's looks at a healthy site, layer by layer, as one plain script a person would write:
 * exit 0 when every one passes. nginx running and its configuration accepted, the site enabled and
 * its server block and uwsgi_pass as nginx reads them, uWSGI running with the same socket, nginx's
 * user able to write to it, something listening on it, the logs read, the app imported as its user
 * with the venv's Python, a request straight to the socket in the uwsgi protocol, then the page.
 */
export function doctorScript(site: SiteParts): string {
  const page = 'Hello There!';
  return [
    '#!/bin/bash',
    'set -e',
    'pgrep -x nginx >/dev/null',
    'nginx -t 2>/dev/null',
    'conf=$(nginx -T 2>/dev/null)',
    `grep -Eq ${q(`server_name\\s+${site.serverName};`)} <<<"$conf"`,
    `grep -Eq ${q(`uwsgi_pass\\s+unix:${site.socket};`)} <<<"$conf"`,
    `[ -L ${q(site.siteEnabled)} ]`,
    `pgrep -u ${q(site.user)} -x uwsgi >/dev/null`,
    `grep -Eq ${q(`^socket\\s*=\\s*${site.socket}$`)} ${q(site.ini)}`,
    `runuser -u ${q(site.nginxUser)} -- test -w ${q(site.socket)}`,
    `grep -q ${q(` ${site.socket}$`)} /proc/net/unix`,
    'tail -n 200 /var/log/nginx/error.log >/dev/null',
    `tail -n 200 ${q(site.uwsgiLog)} >/dev/null`,
    `(cd ${q(site.appDir)} && runuser -u ${q(site.user)} -- ${q(`${site.venv}/bin/python`)} -B -c ${q(
      "import importlib, sys; sys.path.insert(0, '.'); importlib.import_module('wsgi').application",
    )})`,
    `python3 -c ${q(UWSGI_REQUEST)} ${q(site.socket)} ${q(site.serverName)} | grep -Fq ${q(page)}`,
    `curl -fsS --max-time 5 -H ${q(`Host: ${site.serverName}`)} http://127.0.0.1/ | grep -Fq ${q(page)}`,
    '',
  ].join('\n');
}
