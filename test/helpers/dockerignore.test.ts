import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIgnored, parseDockerignore } from './dockerignore.js';

describe('parseDockerignore and isIgnored', () => {
  it('skips blank lines and comments, and never ignores the context root', () => {
    const rules = parseDockerignore('# a comment\n\n  node_modules  \n');
    assert.equal(rules.length, 1);
    assert.equal(isIgnored(rules, 'node_modules'), true);
    assert.equal(isIgnored(rules, '.'), false);
    assert.equal(isIgnored(rules, './'), false);
  });

  it('anchors a pattern at the context root and excludes what lies below a matching directory', () => {
    const rules = parseDockerignore('data\n/dist/\n');
    assert.equal(isIgnored(rules, 'data/synth/a.png'), true);
    assert.equal(isIgnored(rules, 'src/data/index.ts'), false);
    assert.equal(isIgnored(rules, './dist/main.js'), true);
    assert.equal(isIgnored(rules, 'database.ts'), false);
  });

  it('matches * and ? within one path segment and ** across segments', () => {
    const rules = parseDockerignore('docker/*.Dockerfile\n*.lo?\nbench/**/results\n');
    assert.equal(isIgnored(rules, 'docker/api.Dockerfile'), true);
    assert.equal(isIgnored(rules, 'docker/healthcheck.mjs'), false);
    assert.equal(isIgnored(rules, 'docker/x/api.Dockerfile'), false);
    assert.equal(isIgnored(rules, 'npm.log'), true);
    assert.equal(isIgnored(rules, 'npm.logs'), false);
    assert.equal(isIgnored(rules, 'logs/npm.log'), false);
    assert.equal(isIgnored(rules, 'bench/results/kernels.md'), true);
    assert.equal(isIgnored(rules, 'bench/a/b/results'), true);
    assert.equal(isIgnored(rules, 'bench/a/xresults'), false, '** spans whole directories only');
    assert.equal(isIgnored(parseDockerignore('docs/**'), 'docs/images/a.png'), true);
    assert.equal(isIgnored(parseDockerignore('**/*.log'), 'npm.log'), true);
    assert.equal(isIgnored(parseDockerignore('**/*.log'), 'a/b/npm.log'), true);
  });

  it('lets a later ! rule re-include, and the last matching rule win', () => {
    const rules = parseDockerignore('docker/*\n!docker/healthcheck.mjs\n');
    assert.equal(isIgnored(rules, 'docker/redis.conf'), true);
    assert.equal(isIgnored(rules, 'docker/healthcheck.mjs'), false);
    const reExcluded = parseDockerignore('docker/*\n!docker/healthcheck.mjs\ndocker/healthcheck.*\n');
    assert.equal(isIgnored(reExcluded, 'docker/healthcheck.mjs'), true);
  });
});
