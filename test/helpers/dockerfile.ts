/**
 * A small Dockerfile reader for the static checks of the images (test/docker/): instructions, build stages
 * and what an instruction runs or copies. Pure functions over the Dockerfile's text; no Docker engine needed.
 */

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  /** The instruction word, upper-cased (`RUN`, `COPY`, ...). */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the instruction's first line, for messages. */
  line: number;
}

/** A build stage: its instructions and the stage it starts from (a name, or an image). */
export interface Stage {
  /** The stage's name (`FROM image AS name`), if it has one. */
  name: string | undefined;
  /** The image or earlier stage named by its `FROM`. */
  from: string;
  /** Its instructions after the `FROM`. */
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines end nothing: Docker drops them, even inside a continuation.
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1) : trimmed;
    pending =
      pending === undefined
        ? { text: part, line: index + 1 }
        : { ...pending, text: `${pending.text} ${part}` };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
    if (match)
      instructions.push({
        keyword: (match[1] ?? '').toUpperCase(),
        args: match[2] ?? '',
        line: pending.line,
      });
    pending = undefined;
  });
  return instructions;
}

/** The stages of a Dockerfile, in order. */
export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        from: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1] : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The instructions that shape a stage: those of the stages it is built `FROM`, then its own. */
export function lineageOf(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((candidate) => candidate.name !== undefined && candidate.name === stage.from);
  return [...(parent ? lineageOf(stages, parent) : []), ...stage.instructions];
}

/** The default values of the global `ARG`s (before the first FROM), for `FROM ${ARG}`. */
export function globalArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const instruction of parseDockerfile(text)) {
    if (instruction.keyword === 'FROM') break;
    const match = /^(\w+)=(\S+)$/.exec(instruction.args.trim());
    if (instruction.keyword === 'ARG' && match) args[match[1] ?? ''] = match[2] ?? '';
  }
  return args;
}

/** `ENV` values set by a list of instructions (later ones win). */
export function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key = '', ...value] = args.trim().split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const [, key, value] of args.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)) {
      env[key ?? ''] = (value ?? '').replace(/^["']|["']$/g, '');
    }
  }
  return env;
}

/** The command line of a RUN/CMD/ENTRYPOINT/HEALTHCHECK (exec form joined with spaces), without options. */
export function commandOf(instruction: Instruction): string {
  let args = instruction.args.trim();
  if (instruction.keyword === 'HEALTHCHECK') args = args.replace(/^(?:--\S+\s+)*CMD\s+/i, '');
  if (instruction.keyword === 'RUN') args = args.replace(/^(?:--\S+\s+)*/, '');
  if (args.startsWith('[')) return (JSON.parse(args) as string[]).join(' ');
  return args;
}

/** The package.json scripts a command line runs: `npm run X`, `npm run-script X`, `npm start`. */
export function npmScriptsIn(command: string): string[] {
  const scripts: string[] = [];
  const words = command.split(/\s+|&&|\|\||;|\|/).filter((word) => word !== '');
  words.forEach((word, index) => {
    if (word !== 'npm') return;
    const verb = words[index + 1];
    if (verb === 'start' || verb === 'test') scripts.push(verb);
    if (verb === 'run' || verb === 'run-script') {
      const name = words.slice(index + 2).find((candidate) => !candidate.startsWith('-'));
      if (name !== undefined) scripts.push(name);
    }
  });
  return scripts;
}

/** Repository files a command line names (`docker/...`, `src/...`, `workers/...` paths). */
export function repoFilesIn(command: string): string[] {
  return [...command.matchAll(/(?:^|[\s"'=])((?:docker|src|workers)\/[\w./-]+\.\w+)/g)].map(
    (m) => m[1] ?? '',
  );
}

/** The sources of a COPY/ADD from the build context (none for `--from=`), as context-relative paths. */
export function copySources(instruction: Instruction): string[] {
  const args = instruction.args.trim();
  const words: string[] = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  if (words.some((word) => word.startsWith('--from='))) return [];
  const paths = words.filter((word) => !word.startsWith('--'));
  return paths.slice(0, -1);
}
