// Guide section 2: what the WSGI specification asks of an application.
import { text } from '../src/engine/commands.js';
import { defineStep, right, wrong } from './step.js';

export const wsgiSpec = defineStep({
  id: 'wsgi-spec',
  section: 2,
  title: text('What a WSGI application has to do', 'WSGI アプリケーションに求められること'),
  plan() {
    return {
      explain: text(
        [
          'WSGI splits the work in two. The server side (here uWSGI) turns each client request into',
          'a function call; the application side only has to offer something it can call.',
          '',
          'That "callable" receives two arguments:',
          '  • environ         – a dictionary describing the request (path, headers, CGI-style keys);',
          '  • start_response  – a function supplied by the server.',
          '',
          'The application must:',
          '  1. call start_response(status, headers): the status line such as "200 OK", and a list',
          '     of (name, value) tuples for the response headers;',
          '  2. return an iterable; each item it yields is a piece of the response body.',
          '',
          'Because both sides only agree on this small contract, either one can be replaced',
          '(another server, another framework) without touching the other.',
        ].join('\n'),
        [
          'WSGI は仕事を二つに分けます。サーバー側(ここでは uWSGI)はクライアントのリクエストを',
          '関数呼び出しに変え、アプリ側は呼び出せるもの(callable)を一つ用意するだけです。',
          '',
          'この callable は二つの引数を受け取ります。',
          '  • environ         – リクエストを表す辞書(パス、ヘッダー、CGI 風のキー)',
          '  • start_response  – サーバーが渡してくる関数',
          '',
          'アプリがすべきことは二つです。',
          '  1. start_response(status, headers) を呼ぶ。status は "200 OK" のようなステータス行、',
          '     headers はレスポンスヘッダーを表す (名前, 値) のタプルのリスト。',
          '  2. イテラブルを返す。そこから取り出される要素が、順にレスポンス本文になります。',
          '',
          '両者が約束するのはこれだけなので、サーバーもフレームワークも、相手に手を入れずに',
          '取り替えられます。',
        ].join('\n'),
      ),
      notes: [],
      actions: [],
      checks: [],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'start-response',
      question: text(
        'What does the application pass to start_response?',
        'アプリケーションは start_response に何を渡しますか?',
      ),
      choices: [
        wrong(
          text('The body of the page', 'ページの本文'),
          text(
            'The body is not passed to start_response: the application returns it, as an iterable of pieces.',
            '本文は start_response には渡しません。アプリケーションが戻り値として、断片のイテラブルで返します。',
          ),
        ),
        wrong(
          text('environ and the path that was asked for', 'environ と、求められたパス'),
          text(
            'environ comes the other way: the server gives it to the application, which reads the path from it.',
            'environ は逆向きです。サーバーがアプリケーションに渡し、アプリケーションはそこからパスを読みます。',
          ),
        ),
        wrong(
          text('The number 200 and a dictionary of headers', '数値の 200 とヘッダーの辞書'),
          text(
            'Close, but the status is a whole status line as a string, "200 OK", and the headers are a list of (name, value) tuples, not a dict.',
            '惜しいです。ステータスは "200 OK" のような文字列のステータス行で、ヘッダーは辞書ではなく (名前, 値) のタプルのリストです。',
          ),
        ),
        right(
          text(
            'A status line such as "200 OK" and a list of (name, value) header tuples',
            '"200 OK" のようなステータス行と、(名前, 値) のヘッダーのタプルのリスト',
          ),
          text(
            "start_response('200 OK', [('Content-Type', 'text/html')]) in wsgi.py is exactly that. The body comes back as the return value.",
            "wsgi.py の start_response('200 OK', [('Content-Type', 'text/html')]) がまさにそれです。本文は戻り値で返します。",
          ),
        ),
      ],
    },
    {
      id: 'app-returns',
      question: text(
        'Under Python 3, what must the application return?',
        'Python 3 では、アプリケーションは何を返さなければなりませんか?',
      ),
      choices: [
        right(
          text('An iterable whose items are bytes: the pieces of the body', '要素が bytes のイテラブル (本文の断片)'),
          text(
            'The server sends each item to the client in turn. The wizard\'s wsgi.py returns [b"…"], a list holding one bytes object.',
            'サーバーは要素を順にクライアントへ送ります。ウィザードの wsgi.py は bytes を一つ入れたリスト [b"…"] を返します。',
          ),
        ),
        wrong(
          text('The status code, 200', 'ステータスコードの 200'),
          text(
            'The status goes to start_response; the return value is the body.',
            'ステータスは start_response に渡します。戻り値は本文です。',
          ),
        ),
        wrong(
          text('A list of str, as the guide wrote for Python 2', 'ガイドが Python 2 向けに書いたとおり、str のリスト'),
          text(
            'Under Python 3 a body of str is refused by uWSGI ("Unhandled object from iterator") and the page comes out empty: the body must be bytes.',
            'Python 3 では str の本文を uWSGI が受け付けず ("Unhandled object from iterator")、ページは空になります。本文は bytes でなければなりません。',
          ),
        ),
        wrong(
          text('Nothing: printing the page is enough', '何も返さない。ページを print すればよい'),
          text(
            "What the application prints goes to uWSGI's log, not to the browser. Only what it returns becomes the page.",
            'アプリケーションが print したものは uWSGI のログに出るだけで、ブラウザーには届きません。ページになるのは戻り値だけです。',
          ),
        ),
      ],
    },
  ],
});
