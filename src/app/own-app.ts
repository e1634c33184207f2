// A person's own project (`--app-source`, `--app-module`, issue 17): read as the app's account
// (System.readSource), its app found without running it (src/engine/own-app/find.ts), and every
// reason it cannot be deployed said before anything runs (exit 2), naming what was looked at.
import { findApp, namedApp } from '../engine/own-app/find.js';
import type { FoundApp } from '../engine/own-app/found.js';
import type { System } from '../engine/ports.js';
import type { Labels, Said } from '../ui/labels.js';
import { UserError } from './user-error.js';

/**
 * The app found, or the catalogue's words for why not: `about` the source itself (no such
 * directory, unreadable, no Python) or which app in it (none found, several, a --app-module not there).
 */
export type OwnAppLookup =
  | { kind: 'found'; app: FoundApp }
  | { kind: 'refused'; about: 'source' | 'app'; words: (l: Labels) => Said };

/**
 * Who reads the project: the app's account when the wizard is root (uWSGI will read it so, and a
 * link in it must not make root read another's file); the wizard's own account otherwise.
 */
export function readerOf(privilege: { isRoot: boolean }, user: string): string | undefined {
  return privilege.isRoot && user !== 'root' ? user : undefined;
}

/**
 * Look for the app in `source` (absolute), as `asUser`; `appModule` (module:callable) names it when
 * the person chose. `user`: the app's account, named in a refusal.
 */
export async function lookForOwnApp(
  system: System,
  source: string,
  appModule: string | undefined,
  asUser: string | undefined,
  user: string,
): Promise<OwnAppLookup> {
  const refused = (words: (l: Labels) => Said, about: 'source' | 'app' = 'source'): OwnAppLookup => ({
    kind: 'refused',
    about,
    words,
  });
  const reading = await system.readSource(source, asUser);
  if (reading.kind === 'missing') return refused((l) => l.ownApp.missing({ path: source }));
  if (reading.kind === 'not-a-directory') return refused((l) => l.ownApp.notDirectory({ path: source }));
  if (reading.kind === 'unreadable') {
    return refused((l) => l.ownApp.unreadable({ path: source, user: asUser ?? user, error: reading.error }));
  }
  // FoundApp.root: where the plan copies from, the directory that was read (a link to it resolved).
  const { tree } = reading;
  const list = (paths: readonly string[]) => paths.join(', ');
  if (appModule !== undefined) {
    const named = namedApp(tree, appModule);
    if (named.kind === 'found') return { kind: 'found', app: { ...named.app, root: reading.root } };
    if (named.kind === 'no-module') {
      return refused((l) => l.ownApp.noModule({ spec: appModule, lookedAt: named.lookedAt.join(' / ') }), 'app');
    }
    const callable = appModule.split(':')[1]!;
    return refused((l) => l.ownApp.noCallable({ spec: appModule, file: named.file, callable }), 'app');
  }
  const result = findApp(tree);
  if (result.kind === 'found') return { kind: 'found', app: { ...result.app, root: reading.root } };
  if (!tree.files.some((file) => file.endsWith('.py'))) {
    return refused((l) => l.ownApp.noPython({ path: source, lookedAt: list(result.lookedAt) }));
  }
  if (result.kind === 'none') {
    return refused((l) => l.ownApp.none({ path: source, lookedAt: list(result.lookedAt) }), 'app');
  }
  const specs = result.candidates.map(({ module, callable, file }) => `${module}:${callable} (${file})`);
  const first = `${result.candidates[0]!.module}:${result.candidates[0]!.callable}`;
  return refused((l) => l.ownApp.several({ path: source, candidates: specs.join(', '), first }), 'app');
}

/** The app, or the refusal thrown (exit 2: nothing has run yet). */
export async function ownAppOrRefuse(...args: Parameters<typeof lookForOwnApp>): Promise<FoundApp> {
  const lookup = await lookForOwnApp(...args);
  if (lookup.kind === 'refused') throw UserError.of(lookup.words);
  return lookup.app;
}

/** `mysite.wsgi:application (Django)`: how an app found is named in a sentence. */
export function ownAppName(app: FoundApp): string {
  const framework = { flask: 'Flask', django: 'Django', wsgi: 'WSGI' }[app.framework];
  return `${app.module}:${app.callable} (${framework}${app.shim ? `, ${app.shim.factory}()` : ''})`;
}
