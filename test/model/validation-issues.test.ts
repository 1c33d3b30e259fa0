import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../../src/errors.js';
import {
  capIssues,
  issuePath,
  issuesOf,
  MAX_ISSUE_TEXT,
  MAX_LISTED_ISSUES,
  prefixIssues,
  toValidationError,
  toValidationIssues,
} from '../../src/model/validation-issues.js';

describe('validation issues', () => {
  it('turns TypeBox errors into { path, message } with "/" for the whole value', () => {
    const schema = Type.Object({ epochs: Type.Integer({ minimum: 1 }) });
    const issues = toValidationIssues(Value.Errors(schema, { epochs: 0 }));
    assert.deepEqual(
      issues.map((i) => i.path),
      ['/epochs'],
    );
    assert.deepEqual(
      toValidationIssues(Value.Errors(schema, 7)).map((i) => i.path),
      ['/'],
    );
    assert.equal(toValidationIssues(Value.Errors(schema, 7), '/querystring')[0]?.path, '/querystring');
  });

  it('turns Ajv errors into the same shape, naming a missing property', () => {
    const issues = toValidationIssues(
      [
        { instancePath: '/training/epochs', message: 'must be >= 1' },
        {
          instancePath: '',
          message: "must have required property 'name'",
          params: { missingProperty: 'name' },
        },
        { instancePath: '/x' },
      ],
      '/body',
    );
    assert.deepEqual(issues, [
      { path: '/body/training/epochs', message: 'must be >= 1' },
      { path: '/body/name', message: "must have required property 'name'" },
      { path: '/body/x', message: 'is invalid' },
    ]);
  });

  it('places issues below a prefix and builds the error that names them', () => {
    assert.equal(issuePath('', ''), '/');
    assert.deepEqual(
      prefixIssues(
        [
          { path: '/', message: 'a' },
          { path: '/b', message: 'b' },
        ],
        '/body',
      ),
      [
        { path: '/body', message: 'a' },
        { path: '/body/b', message: 'b' },
      ],
    );
    const error = toValidationError('training spec', [
      { path: '/a', message: 'is bad' },
      { path: '/b', message: 'is worse' },
    ]);
    assert.equal(error.message, 'invalid training spec: /a is bad; /b is worse');
    assert.deepEqual(issuesOf(error), [
      { path: '/a', message: 'is bad' },
      { path: '/b', message: 'is worse' },
    ]);
    assert.deepEqual(issuesOf(new ValidationError('no details')), []);
  });
});

describe('capped issue lists', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `/f${i}`, message: 'is bad' }));

  it(`lists at most ${MAX_LISTED_ISSUES} issues and one that counts the rest`, () => {
    const capped = capIssues(many(1000), '/body');
    assert.equal(capped.length, MAX_LISTED_ISSUES + 1);
    assert.deepEqual(capped.slice(0, MAX_LISTED_ISSUES), many(MAX_LISTED_ISSUES));
    assert.deepEqual(capped.at(-1), {
      path: '/body',
      message: `${1000 - MAX_LISTED_ISSUES} more issues not listed (the first ${MAX_LISTED_ISSUES} are)`,
    });
    assert.deepEqual(capIssues(capped, '/body'), capped, 'capping a capped list changes nothing');
    assert.deepEqual(
      capIssues(many(MAX_LISTED_ISSUES + 1)),
      many(MAX_LISTED_ISSUES + 1),
      'no summary for one',
    );
  });

  it('cuts long paths and messages', () => {
    const [issue] = capIssues([{ path: `/${'x'.repeat(10_000)}`, message: 'y'.repeat(10_000) }]);
    assert.equal(issue?.path.length, MAX_ISSUE_TEXT);
    assert.equal(issue?.message.length, MAX_ISSUE_TEXT);
    assert.ok(issue?.path.endsWith('...'));
  });

  it('caps TypeBox errors lazily, the prefixed list, and the message of the error', () => {
    const schema = Type.Object({}, { additionalProperties: false });
    const value = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const issues = toValidationIssues(Value.Errors(schema, value), '/body');
    assert.equal(issues.length, MAX_LISTED_ISSUES + 1);
    assert.equal(issues.at(-1)?.path, '/body');
    assert.match(issues.at(-1)!.message, new RegExp(`^${5000 - MAX_LISTED_ISSUES} more issues`));
    assert.equal(prefixIssues(many(50), '/body').length, MAX_LISTED_ISSUES + 1);
    const error = toValidationError('training spec', many(5000));
    assert.equal((error.details as unknown[]).length, MAX_LISTED_ISSUES + 1);
    assert.equal(error.message.split('; ').length, MAX_LISTED_ISSUES + 1);
    assert.match(error.message, /; \/ 4990 more issues not listed/);
  });
});
