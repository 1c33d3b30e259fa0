/**
 * The malformed values the fuzz test sends: text for path, query and header parameters (as it goes on the
 * wire), JSON fragments for body fields, whole bodies, content types and Authorization headers.
 */

/** A value as written on the wire (already percent-encoded where it goes into a URL). */
export interface WireValue {
  /** For the failure report. */
  label: string;
  /** The bytes, as a latin1 string. */
  wire: string;
}

/** Percent-encodes `text` for a URL (UTF-8), leaving nothing unescaped that could end the segment. */
const url = (text: string): string => encodeURIComponent(text);

/** Long texts. Why 8000: long, yet with the rest of the request line under Node's 16 KiB header limit. */
const LONG = 'a'.repeat(8000);

/** Malformed values of a URL parameter (path segment or query value). */
export const MALFORMED_URL_VALUES: readonly WireValue[] = [
  { label: 'empty', wire: '' },
  { label: 'a word', wire: 'abc' },
  { label: 'true', wire: 'true' },
  { label: 'null', wire: 'null' },
  { label: 'an object', wire: url('{"a":1}') },
  { label: 'an array', wire: url('[1,2]') },
  { label: '-1', wire: '-1' },
  { label: '0', wire: '0' },
  { label: '-0', wire: '-0' },
  { label: '1.5', wire: '1.5' },
  { label: '1e400', wire: '1e400' },
  { label: '-1e400', wire: '-1e400' },
  { label: 'Infinity', wire: 'Infinity' },
  { label: '-Infinity', wire: '-Infinity' },
  { label: 'NaN', wire: 'NaN' },
  { label: '1e308', wire: '1e308' },
  { label: '2^53+1', wire: '9007199254740993' },
  { label: '400 nines', wire: '9'.repeat(400) },
  { label: 'hex', wire: '0x10' },
  { label: 'a space', wire: '%201' },
  { label: 'a long text', wire: LONG },
  { label: 'unicode', wire: url('é💥\u202e\uffff') },
  { label: 'a NUL', wire: '%00' },
  { label: 'a bad escape', wire: '%zz' },
  { label: 'a cut escape', wire: '%e' },
  { label: 'invalid UTF-8', wire: '%ED%A0%80%C0%AF' },
  { label: 'a path climb', wire: url('../../etc/passwd') },
  { label: 'an encoded slash', wire: '%2F%2E%2E' },
  { label: 'a comma list', wire: 'a,b,,c' },
  { label: 'SQL', wire: url("' OR 1=1 --") },
  { label: 'a script', wire: url('<script>alert(1)</script>') },
  { label: 'a percent', wire: '100%25' },
  { label: 'a format string', wire: '%25s%25n' },
];

/** Malformed values of a header (any byte but CR and LF, which would end the header). */
export const MALFORMED_HEADER_VALUES: readonly WireValue[] = [
  { label: 'empty', wire: '' },
  { label: 'a space inside', wire: 'has space' },
  { label: 'a long text', wire: LONG },
  { label: 'over 16 KiB', wire: 'h'.repeat(17_000) },
  { label: 'non-ASCII bytes', wire: '\xe9\xff\x80' },
  { label: 'a NUL', wire: 'a\x00b' },
  { label: 'a tab', wire: 'a\tb' },
  { label: 'JSON', wire: '{"a":[1]}' },
  { label: 'a number', wire: '1e400' },
];

/** Malformed JSON values of a body field, as JSON text. */
export const MALFORMED_JSON_VALUES: readonly string[] = [
  'null',
  'true',
  '"abc"',
  '""',
  JSON.stringify('x'.repeat(10_000)),
  '"\\u0000"',
  '"\\ud800"',
  JSON.stringify('é💥\u202e'),
  '[]',
  '[1,2,3]',
  '[null]',
  '{}',
  '{"a":{"b":{"c":{}}}}',
  `${'['.repeat(500)}${']'.repeat(500)}`,
  '0',
  '-1',
  '-0',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '1e308',
  '2147483648',
  '9007199254740993',
  '123456789012345678901234567890',
];

/** Whole bodies that are not a JSON object of the right shape. */
export const MALFORMED_BODIES: readonly { label: string; body: string }[] = [
  { label: 'empty', body: '' },
  { label: 'a cut object', body: '{"dataset":' },
  { label: 'null', body: 'null' },
  { label: 'an array', body: '[]' },
  { label: 'a string', body: '"spec"' },
  { label: 'a number', body: '1e400' },
  { label: 'a byte-order mark', body: '\ufeff{}' },
  { label: 'trailing garbage', body: '{}}}' },
  { label: 'single quotes', body: "{'a':1}" },
  { label: 'a comment', body: '{/* x */}' },
  { label: '__proto__', body: '{"__proto__":{"polluted":1}}' },
  { label: 'constructor.prototype', body: '{"constructor":{"prototype":{"polluted":1}}}' },
  { label: 'duplicate keys', body: '{"tasks":[],"tasks":["depth"]}' },
  { label: 'deep arrays', body: `${'['.repeat(30_000)}${']'.repeat(30_000)}` },
  { label: 'deep objects', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
  { label: 'over 64 KiB', body: JSON.stringify({ pad: 'p'.repeat(70_000) }) },
  { label: 'binary', body: '\x00\x01\x02\xff' },
];

/** Content types a body is sent with (the operation's own first). */
export const CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'image/gif',
  'image/png',
  'image/jpeg',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/mixed; boundary=x',
  'a/b/c',
  ';;;',
  'application/json; boundary="x',
  '*/*',
];

/** Authorization headers other than the valid key (`undefined`: none at all). */
export function badAuthorizations(key: string): (string | undefined)[] {
  return [
    undefined,
    'Bearer wrong-key',
    `Bearer ${key}x`,
    `Basic ${Buffer.from(`user:${key}`).toString('base64')}`,
    'Bearer',
    'Bearer ',
    `Bearer ${key} extra`,
    `Bearer ${'k'.repeat(8000)}`,
    `Bearer \xe9\xff`,
    key,
  ];
}
