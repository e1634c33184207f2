// Guide section 5 (first half): the smallest WSGI application, in wsgi.py.
import { appPaths, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { defineStep } from './step.js';
import { foundOutsideAppDir } from './wrong-moves.js';
import { asServiceUser } from './hands-on.js';

/** The guide's application. Python 3 wants the body as bytes (pitfalls #5); Python 2 had str. */
export function wsgiSource(pythonMajor: 2 | 3): string {
  const body = `${pythonMajor === 3 ? 'b' : ''}"<h1 style='color:blue'>Hello There!</h1>"`;
  return [
    'def application(environ, start_response):',
    "    start_response('200 OK', [('Content-Type', 'text/html')])",
    `    return [${body}]`,
    '',
  ].join('\n');
}

// Calls the application the way a server would and insists on bytes: the check fails on a str
// body, which uWSGI would answer with an empty page under Python 3.
const CALL_LIKE_A_SERVER = [
  'import wsgi',
  'seen = []',
  'body = list(wsgi.application({}, lambda status, headers: seen.append(status)))',
  "assert seen == ['200 OK'], 'start_response was called with %r' % (seen,)",
  "assert all(isinstance(part, bytes) for part in body), 'the body must be bytes, got %r' % (body,)",
  "print(b''.join(body).decode())",
].join('; ');

export const wsgiApp = defineStep({
  id: 'wsgi-app',
  section: 5,
  // A person's own project brings its code (steps/app-code.ts).
  applies: (ctx) => ctx.ownApp === undefined,
  title: text('Write the WSGI application', 'WSGI アプリケーションを書く'),
  plan(ctx) {
    const p = appPaths(ctx);
    const content = wsgiSource(ctx.platform.pythonMajor);
    return {
      explain: text(
        [
          'wsgi.py holds the whole application: one function called application, the name uWSGI',
          'looks for by default. It takes environ and start_response (the names used in PEP 333),',
          'calls start_response with "200 OK" and a Content-Type header, and returns a list with one',
          'piece of HTML, so uWSGI sends the body in a single go.',
          '',
          'In a real project this file is only the doorway: Django, for example, generates a wsgi.py',
          'that hands each request to the rest of the code. The doorway stays this small.',
        ].join('\n'),
        [
          'wsgi.py がアプリのすべてです。uWSGI が既定で探す名前 application の関数が一つだけあります。',
          '引数は environ と start_response (PEP 333 の例と同じ名前) で、"200 OK" と Content-Type',
          'ヘッダーを start_response に渡し、HTML 一つを入れたリストを返します。リストなので uWSGI は',
          '本文を一度に送れます。',
          '',
          '実際のプロジェクトでは、このファイルは入り口にすぎません。たとえば Django が作る wsgi.py は',
          '各リクエストを残りのコードへ渡します。入り口はこのくらい小さいままです。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        {
          kind: 'file',
          id: 'write-wsgi-py',
          path: p.wsgiPy,
          content,
          owner: ctx.answers.user,
          group: ctx.userGroup,
          mode: 0o644,
          guidePath: `~/${ctx.answers.appName}/wsgi.py`,
          whyDifferent:
            ctx.platform.pythonMajor === 3
              ? text(
                  'The guide returns a str, which was right for Python 2. Under Python 3 a WSGI body must be bytes, hence the b before the string; with a str uWSGI logs "Unhandled object from iterator" and sends an empty page.',
                  'ガイドは str を返していますが、それは Python 2 での話です。Python 3 の WSGI では本文は bytes でなければならないため、文字列の前に b を付けます。str のままだと uWSGI は "Unhandled object from iterator" と記録し、空のページを返します。',
                )
              : undefined,
          explain: text(
            'The application, in the app directory.',
            'アプリのディレクトリに置くアプリケーション本体です。',
          ),
        },
      ],
      checks: [
        // Not the file's bytes: what matters is that the app's account owns it and that it works, which the next check
        // proves by calling it. A student who types double quotes or other spacing has done the step.
        {
          id: 'wsgi-file',
          title: text(
            `${p.wsgiPy} is there, owned by ${ctx.answers.user}`,
            `${p.wsgiPy} があり、所有者は ${ctx.answers.user}`,
          ),
          probe: { kind: 'file', path: p.wsgiPy, owner: ctx.answers.user },
          tryThis: text(
            `Create it in ${p.appDir} as ${ctx.answers.user}, or run this step again to write it.`,
            `${ctx.answers.user} として ${p.appDir} に作るか、このステップをやり直して書いてください。`,
          ),
        },
        {
          id: 'wsgi-returns-bytes',
          title: text(
            'wsgi.py is valid Python and its application answers "Hello There!" as bytes',
            'wsgi.py が Python として正しく、application が "Hello There!" を bytes で返す',
          ),
          probe: {
            kind: 'command',
            cwd: p.appDir,
            // -B: a check changes nothing, not even a __pycache__ directory.
            command: withPrivilege(ctx, 'service-user', shellLine(p.python, '-B', '-c', CALL_LIKE_A_SERVER)),
            expectOutput: 'Hello There!',
          },
          tryThis: text(
            'Read the Python error above: an IndentationError points at the line to fix; "the body must be bytes" means a b"…" is missing.',
            '上の Python のエラーを読んでください。IndentationError は直す行を示します。"the body must be bytes" なら b"…" の b が抜けています。',
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  whatToDo(ctx) {
    const p = appPaths(ctx);
    return text(
      `${asServiceUser(ctx).en}, cd ${p.appDir} and create wsgi.py there with an editor (nano wsgi.py), with exactly the content shown.`,
      `${asServiceUser(ctx).ja}、cd ${p.appDir} してから、エディター (nano wsgi.py) で示した内容どおりに wsgi.py を作ります。`,
    );
  },
  wrongMoves: [
    // Wrong directory: wsgi.py written where the shell happened to be.
    (ctx) => {
      const { appDir, wsgiPy } = appPaths(ctx);
      return {
        id: 'wsgi-in-wrong-directory',
        probe: foundOutsideAppDir(ctx, 'wsgi.py'),
        hint: text(
          `wsgi.py was written in another directory than the app's: your shell was not in ${appDir}. uWSGI looks for the module wsgi in the directory it starts in, the app directory. Move it: \`mv\` the file below to ${wsgiPy} (owned by ${ctx.answers.user}).`,
          `wsgi.py がアプリとは別のディレクトリに書かれています。シェルが ${appDir} にいませんでした。uWSGI はモジュール wsgi を起動したディレクトリ、つまりアプリのディレクトリで探します。下のファイルを \`mv\` で ${wsgiPy} に移してください (所有者は ${ctx.answers.user})。`,
        ),
      };
    },
  ],
});
