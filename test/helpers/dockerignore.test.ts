import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIgnored, parseDockerignore } from './dockerignore.js';

/** A .dockerignore text and, per path, whether Docker leaves that path out of the build context. */
interface IgnoreCase {
  what: string;
  dockerignore: string;
  paths: Record<string, boolean>;
}

const CASES: IgnoreCase[] = [
  {
    what: 'blank lines and comments are skipped; the context root is never ignored',
    dockerignore: '# a comment\n\n  node_modules  \n',
    paths: { node_modules: true, '.': false, './': false, '# a comment': false },
  },
  {
    what: 'a pattern is anchored at the root, and what lies below a matching directory is excluded',
    dockerignore: 'data\n/dist/\n',
    paths: {
      'data/synth/a.png': true,
      'src/data/index.ts': false,
      './dist/main.js': true,
      'database.ts': false,
    },
  },
  {
    what: '* and ? match within one path segment',
    dockerignore: 'docker/*.Dockerfile\n*.lo?\n',
    paths: {
      'docker/api.Dockerfile': true,
      'docker/healthcheck.mjs': false,
      'docker/x/api.Dockerfile': false,
      'npm.log': true,
      'npm.logs': false,
      'logs/npm.log': false,
    },
  },
  {
    what: '** matches any number of whole directories, none included; a trailing ** everything below',
    dockerignore: 'bench/**/results\ndocs/**\n**/*.tmp\n',
    paths: {
      'bench/results/kernels.md': true,
      'bench/a/b/results': true,
      'bench/a/xresults': false,
      'docs/images/a.png': true,
      'a.tmp': true,
      'a/b/c.tmp': true,
    },
  },
  {
    what: 'a later ! rule re-includes, and the last matching rule wins',
    dockerignore: 'docker/*\n!docker/healthcheck.mjs\nsrc/*\n!src/*.ts\nsrc/main.ts\n',
    paths: {
      'docker/redis.conf': true,
      'docker/healthcheck.mjs': false,
      'src/config.ts': false,
      'src/main.ts': true,
    },
  },
];

for (const { what, dockerignore, paths } of CASES) {
  test(`parseDockerignore and isIgnored: ${what}`, () => {
    const rules = parseDockerignore(dockerignore);
    for (const [path, ignored] of Object.entries(paths)) {
      assert.equal(isIgnored(rules, path), ignored, `${JSON.stringify(dockerignore)}: ${path}`);
    }
  });
}
