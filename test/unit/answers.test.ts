// The answers are the only input that reaches commands and config files: every hostile value is
// refused before anything runs, with the field named so the person knows what to fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANSWER_REASONS,
  answerProblem,
  answersFromFile,
  AnswersFileError,
  defaultsFromRecord,
  FLAG_NAMES,
  GUIDE_PLACEHOLDER_SERVER_NAME,
  InvalidAnswerError,
  localizeReason,
  validateAnswer,
  type AnswerKey,
} from '../../src/engine/answers.js';

function assertRefused(key: AnswerKey, value: unknown, reason?: RegExp): void {
  assert.throws(
    () => validateAnswer(key, value),
    (error: unknown) => {
      assert.ok(error instanceof InvalidAnswerError, String(error));
      assert.equal(error.field, FLAG_NAMES[key]);
      assert.match(error.message, new RegExp(`^--${FLAG_NAMES[key]}: `));
      if (reason) assert.match(error.reason, reason);
      return true;
    },
  );
}

/** Values that would break a command line, a path or a config file if they got through. */
const HOSTILE_TEXT = ['my app', 'app;reboot', '$(id)', '`id`', "it's", 'say"hi"', 'line\nbreak', '..', ''];

const TEXT_FIELDS: AnswerKey[] = ['appName', 'user', 'appDir', 'webGroup', 'serverName'];
const NUMBER_FIELDS: AnswerKey[] = ['processes', 'testPort'];

describe('validateAnswer refuses hostile values, naming the field', () => {
  for (const key of TEXT_FIELDS) {
    for (const value of HOSTILE_TEXT) {
      it(`${FLAG_NAMES[key]} = ${JSON.stringify(value)}`, () => assertRefused(key, value));
    }
  }
  for (const key of NUMBER_FIELDS) {
    for (const value of ['five', '5; reboot', '$(id)', '5 6', '2.5', '', "'5'"]) {
      it(`${FLAG_NAMES[key]} = ${JSON.stringify(value)}`, () => assertRefused(key, value));
    }
  }

  it('an app directory with hostile characters inside an absolute path', () => {
    for (const dir of [
      '/home/demo/my app',
      '/home/demo/a;b',
      '/home/demo/$(id)',
      '/home/demo/../root',
      '/srv/../etc',
      "/home/demo/it's",
      '/home/demo/x\ny',
    ]) {
      assertRefused('appDir', dir);
    }
  });

  it('a relative app directory, and / itself', () => {
    assertRefused('appDir', 'home/demo/myapp', /absolute/);
    assertRefused('appDir', '/', /not be \//);
    assertRefused('appDir', '///', /not be \//);
  });

  it("the guide's placeholder server_domain_or_IP, with a message saying to replace it", () => {
    assertRefused('serverName', GUIDE_PLACEHOLDER_SERVER_NAME, /placeholder/);
  });

  it('0 processes, and too many', () => {
    assertRefused('processes', 0, /at least 1/);
    assertRefused('processes', '0', /at least 1/);
    assertRefused('processes', 65, /at most 64/);
    assertRefused('processes', -1);
  });

  it('privileged ports, port 80, and ports that do not exist', () => {
    for (const port of [80, '80', 22, 443, 1023, 0, 65536, -8080]) assertRefused('testPort', port);
  });

  it('numbers written any way but in plain digits', () => {
    for (const value of ['0x1F90', '1e3', '8080.0', true, ' ', '']) assertRefused('testPort', value, /whole number/);
    for (const value of ['0x5', true, 2.5]) assertRefused('processes', value);
  });
});

describe('validateAnswer accepts valid values', () => {
  it('returns the value, normalised', () => {
    assert.equal(validateAnswer('appName', 'myapp'), 'myapp');
    assert.equal(validateAnswer('appName', 'my-app_2'), 'my-app_2');
    assert.equal(validateAnswer('user', 'demo'), 'demo');
    assert.equal(validateAnswer('user', '_uwsgi'), '_uwsgi');
    assert.equal(validateAnswer('webGroup', 'www-data'), 'www-data');
    assert.equal(validateAnswer('appDir', '/home/demo/myapp'), '/home/demo/myapp');
    assert.equal(validateAnswer('appDir', '/srv/my.app/'), '/srv/my.app', 'a trailing slash is dropped');
    assert.equal(validateAnswer('serverName', 'example.com'), 'example.com');
    assert.equal(validateAnswer('serverName', '203.0.113.10'), '203.0.113.10');
    assert.equal(validateAnswer('serverName', 'localhost'), 'localhost');
    assert.equal(validateAnswer('processes', '5'), 5);
    assert.equal(validateAnswer('processes', 1), 1);
    assert.equal(validateAnswer('testPort', '8080'), 8080);
    assert.equal(validateAnswer('testPort', 1024), 1024);
    assert.equal(validateAnswer('testPort', 65535), 65535);
  });

  it('ignores spaces around a typed value', () => {
    assert.equal(validateAnswer('appName', '  myapp '), 'myapp');
    assert.equal(validateAnswer('testPort', ' 9090 '), 9090);
  });
});

describe('answersFromFile', () => {
  it('reads keys written like the flags (kebab case)', () => {
    assert.deepEqual(
      answersFromFile(
        {
          'app-name': 'shop',
          'app-dir': '/srv/shop',
          'web-group': 'nginx',
          'server-name': 'shop.example.com',
          'test-port': 9000,
        },
        'a.yaml',
      ),
      {
        appName: 'shop',
        appDir: '/srv/shop',
        webGroup: 'nginx',
        serverName: 'shop.example.com',
        testPort: 9000,
      },
    );
  });

  it('reads keys written in camel case', () => {
    assert.deepEqual(
      answersFromFile(
        { appName: 'shop', user: 'demo', serverName: 'example.org', processes: 3, testPort: '8081' },
        'a.json',
      ),
      {
        appName: 'shop',
        user: 'demo',
        serverName: 'example.org',
        processes: 3,
        testPort: 8081,
      },
    );
  });

  it('an empty file gives no answers', () => {
    assert.deepEqual(answersFromFile(null, 'a.yaml'), {});
  });

  it('refuses an unknown key, naming it and the known key it most likely meant', () => {
    const refusal = (data: Record<string, unknown>) => {
      try {
        answersFromFile(data, 'answers.yaml');
      } catch (error) {
        assert.ok(error instanceof AnswersFileError, String(error));
        return error.problem;
      }
      throw new Error('not refused');
    };
    assert.deepEqual(refusal({ 'app-nmae': 'shop' }), { kind: 'unknown-key', key: 'app-nmae', near: 'app-name' });
    assert.deepEqual(refusal({ proceses: 2 }), { kind: 'unknown-key', key: 'proceses', near: 'processes' });
    assert.deepEqual(refusal({ colour: 'red' }), { kind: 'unknown-key', key: 'colour', near: undefined });
  });

  it('refuses a file that is not a mapping', () => {
    const notMapping = (error: unknown) => error instanceof AnswersFileError && error.problem.kind === 'not-mapping';
    assert.throws(() => answersFromFile(['shop'], 'a.yaml'), notMapping);
    assert.throws(() => answersFromFile('shop', 'a.yaml'), notMapping);
  });

  it('refuses a hostile value, naming the file and its key as written, not a flag', () => {
    assert.throws(
      () => answersFromFile({ 'server-name': 'example.com; reboot' }, 'a.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidAnswerError);
        assert.equal(error.field, 'server-name');
        assert.match(error.message, /^a\.yaml: server-name: "example\.com; reboot": /);
        return true;
      },
    );
    assert.throws(() => answersFromFile({ appDir: '/home/demo/../../etc' }, 'a.yaml'), /^Error: a\.yaml: appDir: /);
    assert.throws(
      () => answersFromFile({ processes: 100 }, 'a.yaml'),
      (error: unknown) => error instanceof Error && !error.message.includes('--processes'),
    );
  });
});

describe('the reasons for a refusal, in both languages', () => {
  it('every reason has Japanese text, different from the English', () => {
    for (const reason of ANSWER_REASONS) {
      assert.match(reason.ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${reason.en} has Japanese`);
      assert.notEqual(reason.ja, reason.en);
    }
  });

  it('a refused answer is explained in Japanese under a Japanese question, in English otherwise', () => {
    const ja = answerProblem('testPort', '80', 'ja');
    assert.equal(typeof ja, 'string');
    assert.match(String(ja), /ポート/);
    assert.doesNotMatch(String(ja), /use a port/);
    assert.match(String(answerProblem('testPort', '80')), /use a port from 1024 to 65535/);
  });

  it('a whole message naming the flag keeps the flag and the value, with the reason translated', () => {
    const error = (() => {
      try {
        validateAnswer('appName', 'a b');
      } catch (e) {
        return e as InvalidAnswerError;
      }
      throw new Error('not refused');
    })();
    const text = localizeReason(error.message, 'ja');
    assert.ok(text.startsWith('--app-name: "a b": '), text);
    assert.match(text, /英小文字で始まる/);
  });
});

describe('defaultsFromRecord: what an earlier run may suggest', () => {
  const recorded = {
    appName: 'undoapp',
    user: 'demo',
    appDir: '/home/demo/undoapp',
    webGroup: 'www-data',
    serverName: 'undo.example.test',
    processes: 2,
    testPort: 8098,
  };

  it('offers the recorded app to a returning person, before anything is chosen', () => {
    assert.deepEqual(defaultsFromRecord(recorded, {}), { appName: 'undoapp' });
  });

  it('offers nothing of another app: not its directory, not its server name', () => {
    assert.deepEqual(defaultsFromRecord(recorded, { appName: 'revapp' }), {});
    assert.deepEqual(defaultsFromRecord(recorded, { appName: 'revapp', user: 'demo' }), {});
  });

  it('offers the same app everything it recorded, only for the same account', () => {
    assert.deepEqual(defaultsFromRecord(recorded, { appName: 'undoapp' }), { appName: 'undoapp', user: 'demo' });
    assert.deepEqual(defaultsFromRecord(recorded, { appName: 'undoapp', user: 'demo' }), recorded);
    assert.deepEqual(defaultsFromRecord(recorded, { appName: 'undoapp', user: 'revuser' }), {});
  });

  it('offers nothing without a record', () => {
    assert.deepEqual(defaultsFromRecord(undefined, { appName: 'myapp', user: 'demo' }), {});
  });
});
