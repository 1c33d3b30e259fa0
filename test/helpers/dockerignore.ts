/**
 * A .dockerignore matcher as Docker reads the file, for the static checks of the build context
 * (test/docker/): which paths a `COPY` from the context can see. Pure functions; no Docker engine needed.
 */
import { posix } from 'node:path';

/** A .dockerignore rule: a path pattern, negated with a leading `!`. */
export interface IgnoreRule {
  /** The pattern as an anchored regular expression over a context-relative path. */
  pattern: RegExp;
  /** Whether the rule re-includes what it matches (a leading `!`). */
  negated: boolean;
}

/**
 * Parses the text of a .dockerignore (Go `filepath.Match` patterns relative to the context, plus `**`);
 * blank lines and `#` comments are skipped.
 */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const cleaned = posix.normalize(line.slice(negated ? 1 : 0).trim()).replace(/^\/+|\/+$/g, '');
      let regex = '';
      for (let i = 0; i < cleaned.length; i++) {
        const char = cleaned[i] ?? '';
        if (char === '*' && cleaned[i + 1] === '*') {
          // As Docker's patternmatcher: a trailing `**` matches everything, any other `**` (or `**/`) any
          // number of whole directories, none included.
          i += cleaned[i + 2] === '/' ? 2 : 1;
          regex += i === cleaned.length - 1 ? '.*' : '(?:.*/)?';
        } else if (char === '*') regex += '[^/]*';
        else if (char === '?') regex += '[^/]';
        else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { pattern: new RegExp(`^${regex}$`), negated };
    });
}

/** Whether .dockerignore keeps `path` (context-relative) out of the build context. */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const cleaned = posix.normalize(path).replace(/^\.\/|\/+$/g, '');
  if (cleaned === '.' || cleaned === '') return false;
  // A path is excluded when it, or a directory above it, matches; the last matching rule wins.
  const parts = cleaned.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}
