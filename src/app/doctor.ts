// `doctor`: why is the site broken? It reads the machine (src/exec/doctor-survey.ts), judges it
// layer by layer (src/engine/doctor/diagnose.ts) and says what it found with the evidence; with
// --fix it shows a finding's exact fix, makes it once confirmed (or with --yes), and looks again.
// At a terminal it says so on a screen (src/ui/Doctor.tsx), where f shows a finding's fix and y
// makes it the same way. Nothing is changed unless a person asked for it so.
import { undoCommand } from '../engine/journal.js';
import { djangoSettingsPath, djangoSettingsSource } from '../../steps/app-django.js';
import { serviceManagement } from '../../steps/service.js';
import { ownAppPaths } from '../engine/own-app/paths.js';
import { appPaths, shellLine, withPrivilege } from '../engine/commands.js';
import { type DoctorReport, diagnose } from '../engine/doctor/diagnose.js';
import type { Finding, FixAction } from '../engine/doctor/model.js';
import type { AppPlace, DoctorSurvey } from '../engine/doctor/survey.js';
import type { Lang, PlanContext } from '../engine/types.js';
import type { OpenTranscript } from '../exec/transcript.js';
import type { DoctorScreenProps } from '../ui/Doctor.js';
import { doctorReportLines, fixLines } from '../ui/doctor-report.js';
import { LABELS } from '../ui/labels.js';
import { keepScrollback } from '../ui/scrollback.js';
import { prepare } from './answers.js';
import { EXIT, type Flags } from './common.js';
import { rememberDoctorFix } from './doctor-record.js';
import { obtainSudo, orphanStopped, takeMachineLock } from './privilege.js';
import { runVisibly } from './run-visibly.js';
import type { Surroundings, SurveyPrivilege } from './surroundings.js';

/** How many times --fix fixes and looks again: each fix may uncover the next layer's problem. */
const FIX_ROUNDS = 6;

/** Where the wizard (its record, else the answers) puts this app's parts, and how it starts uWSGI. */
export function placeOf(ctx: PlanContext, recorded: boolean): AppPlace {
  const p = appPaths(ctx);
  const service = serviceManagement(ctx);
  // The start and stop lines as root runs them (the fixes run as root): without the sudo prefix.
  const bare = (line: string) => line.replace(/(^|&& )sudo /g, '$1');
  return {
    app: ctx.answers.appName,
    user: ctx.answers.user,
    webGroup: ctx.answers.webGroup,
    serverName: ctx.answers.serverName,
    appDir: p.appDir,
    venv: p.venv,
    ini: p.ini,
    wsgiPy: p.wsgiPy,
    socket: p.socket,
    runDir: p.runDir,
    pidFile: p.pidFile,
    uwsgiLog: p.uwsgiLog,
    siteAvailable: p.siteAvailable,
    siteEnabled: p.siteEnabled,
    serviceManager: ctx.platform.serviceManager,
    start: bare(service.start),
    // Without a service manager, the stop that waits for the old master to exit (as undo's does):
    // exiting, it removes the pidfile (vacuum), which must not be the new uWSGI's once started.
    stop:
      ctx.platform.serviceManager === 'none'
        ? bare(
            undoCommand(ctx, {
              kind: 'started',
              step: 'service',
              action: 'start-service',
              what: { kind: 'uwsgi-daemon', uwsgi: p.uwsgi, pidFile: p.pidFile },
            }),
          )
        : bare(service.stop),
    recorded,
    ...ownAppPlace(ctx),
  };
}

/** A person's own project (issue 17): where its static files go and, for Django, the wizard's settings. */
function ownAppPlace(ctx: PlanContext): Pick<AppPlace, 'django' | 'statics'> {
  const app = ctx.ownApp;
  if (!app) return {};
  const o = ownAppPaths(ctx, app);
  const statics = app.statics || app.django ? { statics: { url: o.staticUrl, dir: o.staticDir } } : {};
  if (!app.django) return statics;
  const django = {
    settingsFile: djangoSettingsPath(ctx, o.chdir),
    settingsSource: djangoSettingsSource(ctx),
    owner: ctx.answers.user,
    group: ctx.userGroup,
    projectSettings: `${o.chdir}/${app.django.settingsModule.replace(/\./g, '/')}.py`,
  };
  return { ...statics, django };
}

/** How the doctor runs its looks as root and as the app's account, for this plan's account. */
export function surveyPrivilege(ctx: PlanContext): SurveyPrivilege {
  return {
    asRoot: (line: string) => withPrivilege(ctx, 'root', line),
    asUser: (line: string) => withPrivilege(ctx, 'service-user', line),
  };
}

export async function runDoctor(s: Surroundings, flags: Flags): Promise<number> {
  const survey = s.machine.surveyForDoctor;
  if (!survey) throw new Error('doctor: no machine to look at');
  const { ctx, lang, record } = await prepare(s, flags, false, 'inspect');
  const l = LABELS[lang];
  if (flags.fix && !flags.yes && !s.stdinIsTTY) {
    s.stderr.write(`${l.doctorRun.fixNeedsYes}\n`);
    return EXIT.badInput;
  }
  // nginx -t, nginx's logs and the app's files need root.
  if (!ctx.privilege.isRoot) await obtainSudo(s, lang);
  const place = placeOf(ctx, record !== undefined);
  const privilege = surveyPrivilege(ctx);
  const look = async (): Promise<Looked> => {
    const seen = await survey(place, privilege);
    return { survey: seen, report: diagnose(seen) };
  };
  let looked = await look();
  const fixes = fixer(s, ctx, lang);

  // A person at a terminal gets the screen, with --fix too: the findings as a list, the evidence of
  // one at a time, a fix shown and made when asked (f, then y). Unattended (--yes) or for a script
  // (--json), --fix shows each fix and makes it in plain lines. What stays on the terminal afterwards
  // is the plain report below.
  const atTerminal = !flags.json && !flags.yes && Boolean(s.stdout.isTTY) && s.stdinIsTTY;
  if (flags.fix && !atTerminal && !looked.report.healthy) looked = await fixRounds(s, flags, lang, looked, look, fixes);
  else if (atTerminal) {
    looked = await showDoctorScreen(s, place, lang, looked, async (finding, write) => {
      const made = await fixes.make(finding, { write });
      return { made, look: await look() };
    });
  }
  await fixes.close();

  const { report } = looked;
  if (flags.json) s.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else s.stdout.write(`${doctorReportLines(report, place, lang).join('\n')}\n`);
  return report.healthy ? EXIT.ok : EXIT.stepFailed;
}

interface Looked {
  survey: DoctorSurvey;
  report: DoctorReport;
}

/** The doctor's screen until the person leaves it; resolves with what it last saw. */
async function showDoctorScreen(
  s: Surroundings,
  place: AppPlace,
  lang: Lang,
  first: Looked,
  fix: DoctorScreenProps['fix'],
): Promise<Looked> {
  // ink and React are loaded only for a terminal, as the wizard's screen is (src/app/present.ts).
  const [{ render }, { createElement }, { DoctorScreen }] = await Promise.all([
    s.loadInk(),
    import('react'),
    import('../ui/Doctor.js'),
  ]);
  const restore = keepScrollback(s.stdout);
  return new Promise((resolve, reject) => {
    const onEnd = (last: Looked, error?: unknown) => {
      // The plain report takes the screen's place: its keys must not stay above it.
      screen.clear();
      screen.unmount();
      restore();
      if (error === undefined) resolve(last);
      else reject(error);
    };
    const screen = render(createElement(DoctorScreen, { first, place, lang, fix, onEnd }), { exitOnCtrlC: false });
  });
}

/** Makes fixes, for --fix and the screen alike: the run lock and the transcript are taken at the first. */
interface Fixer {
  /** Make the finding's fix, its commands' output written to `out`; false when a part of it failed. */
  make(finding: Finding, out: Surroundings['stdout']): Promise<boolean>;
  close(): Promise<void>;
}

function fixer(s: Surroundings, ctx: PlanContext, lang: Lang): Fixer {
  let transcript: OpenTranscript | undefined;
  return {
    async make(finding, out) {
      if (!transcript) {
        const lock = s.machine.acquireRunLock(orphanStopped(s, lang));
        s.onExit(lock.release);
        if (!ctx.privilege.isRoot) await takeMachineLock(s, lang);
        transcript = s.machine.openTranscript();
      }
      transcript.write(`\n== doctor --fix: ${finding.cause}\n`);
      return applyFix(s, ctx, lang, finding, transcript, out);
    },
    close: async () => transcript?.close(),
  };
}

/** Fix the first finding, look again, until healthy, or nothing more the doctor can fix, or declined. */
async function fixRounds(
  s: Surroundings,
  flags: Flags,
  lang: Lang,
  first: Looked,
  look: () => Promise<Looked>,
  fixes: Fixer,
): Promise<Looked> {
  const l = LABELS[lang];
  const tried: string[] = [];
  let { report, survey } = first;
  for (let round = 0; round < FIX_ROUNDS && !report.healthy; round += 1) {
    const finding = report.findings.find((f) => f.fix && !tried.includes(fingerprint(f)));
    if (!finding?.fix) break;
    tried.push(fingerprint(finding));
    // Told on stderr when stdout is JSON: a script reading it still gets only the report there.
    const out = flags.json ? s.stderr : s.stdout;
    const before = (path: string) => survey.files.find((file) => file.path === path)?.text;
    out.write(`${fixLines(finding, lang, before).join('\n')}\n`);
    if (!flags.yes && !(await s.prompts.confirm({ message: l.doctorRun.fixConfirm, default: true, lang }))) break;
    if (!(await fixes.make(finding, out))) break;
    ({ report, survey } = await look());
  }
  return { report, survey };
}

/** Which finding it is: the same cause with the same particulars is not fixed twice. */
function fingerprint(finding: Finding): string {
  return `${finding.cause} ${JSON.stringify(finding.facts)}`;
}

/**
 * Make a fix's changes in order; files are written with a backup of what they held, and recorded for
 * undo. False when one failed.
 */
async function applyFix(
  s: Surroundings,
  ctx: PlanContext,
  lang: Lang,
  finding: Finding,
  transcript: Parameters<typeof runVisibly>[2],
  out: Surroundings['stdout'],
): Promise<boolean> {
  const actions: FixAction[] = finding.fix ?? [];
  for (const [i, action] of actions.entries()) {
    if (action.kind === 'file') {
      const written = await s.machine.system.writeFile({
        kind: 'file',
        id: `doctor-fix-${i}`,
        path: action.path,
        content: action.content,
        owner: action.owner,
        group: action.group,
        mode: action.mode,
        explain: { en: '', ja: '' },
      });
      transcript.write(`wrote ${action.path}${written.backup ? ` (earlier kept as ${written.backup})` : ''}\n`);
      if (written.written) {
        const { path, owner } = action;
        const kept = written.backup ? { backup: written.backup } : {};
        await rememberDoctorFix(s, ctx.answers, lang, { kind: 'file', doctor: finding.cause, path, owner, ...kept });
      }
      continue;
    }
    // A line of several commands (`nginx -t && …`) runs as root as a whole.
    const line =
      action.asRoot && !ctx.privilege.isRoot
        ? withPrivilege(ctx, 'root', shellLine('sh', '-c', action.command))
        : action.command;
    const visible = { ...s, stdout: out };
    // A reload returns once nginx has been told; its old workers serve the old configuration until
    // they finish. The fix is in effect (and the doctor may look again) when they have.
    const reloads = /\bnginx\b.*\breload\b/.test(action.command);
    const oldWorkers = reloads ? await s.machine.processesNamed('nginx: worker process') : [];
    if ((await runVisibly(visible, line, transcript)) !== 0) return false;
    if (reloads) await s.machine.processesEnded(oldWorkers, 10_000);
  }
  return true;
}
