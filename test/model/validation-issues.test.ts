import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../../src/errors.js';
import {
  issuePath,
  issuesOf,
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
