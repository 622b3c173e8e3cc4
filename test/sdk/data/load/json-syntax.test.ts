import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxError } from '../../../../sdk/src/data/load/json-syntax';

test('valid JSON has no error; each kind of error gets its offset and reason', () => {
  for (const ok of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0']) assert.equal(findJsonSyntaxError(ok), undefined, ok);
  const cases: [string, number, string][] = [
    ['{"a": 01}', 7, "expected ',' or '}' in an object; found '1'"],
    ['{"a": "x\ny"}', 8, 'unescaped control character (e.g. a line break) inside a string'],
    ['["\\q"]', 3, "bad escape '\\q' in a string"],
    ['["\\u12"]', 3, 'bad \\u escape in a string'],
    ['[1 2]', 3, "expected ',' or ']' in an array; found '2'"],
    ['{"a" 1}', 5, "expected ':' after a property name; found '1'"],
    ['[tru]', 1, 'unexpected \'t\' (a value must be a string, number, object, array, true, false or null)'],
    ['[-]', 1, "unexpected '-'"],
    ['', 0, 'unexpected end of input where a value was expected'],
    ['{"a": 1', 7, "expected ',' or '}' in an object; found end of input"],
  ];
  for (const [text, offset, message] of cases) assert.deepEqual(findJsonSyntaxError(text), { offset, message }, text);
});

test('nesting too deep to scan: no position rather than a crash', () => {
  assert.equal(findJsonSyntaxError('['.repeat(200000)), undefined);
});
