// Guide section 2: what the WSGI specification asks of an application.
import { text } from '../src/engine/commands.js';
import type { StepDefinition } from '../src/engine/types.js';

export const wsgiSpec: StepDefinition = {
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
};
