import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { isWholeReference, substituteEnv } from './env.js';
import { ConfigError, formatPath, type ConfigProblem } from './errors.js';
import { friendlyIssues } from './issues.js';
import { quickRead } from './quick-read.js';
import { configSchema, type MedicConfig } from './schema/index.js';
import { isRedactable, MIN_SECRET_LENGTH, Redactor } from './secrets.js';

/** A loaded config: the typed values, where they came from, and the secrets they hold. */
export interface LoadedConfig {
  config: MedicConfig;
  /** Absolute path of the file, or "<inline>". */
  file: string;
  /** Folder that relative paths in the config (scripts, sqlite files) are resolved against. */
  baseDir: string;
  redactor: Redactor;
  /** What is valid but worth telling (`medic validate` prints them): `${ENV}` values too short to redact. */
  warnings: ConfigProblem[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Name shown in errors when loading text rather than a file. */
  file?: string;
  baseDir?: string;
}

export function loadConfigFile(file: string, options: Omit<LoadOptions, 'file'> = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: 0, column: 0, path: '', message: `cannot read config: ${(err as Error).message}` }]);
  }
  return loadConfigText(text, { ...options, file, baseDir: options.baseDir ?? path.dirname(path.resolve(file)) });
}

export function loadConfigText(text: string, options: LoadOptions = {}): LoadedConfig {
  const file = options.file ?? '<inline>';
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  // The quick read gives the same values when it answers; the Document below is for everything else
  // and for every mistake, whose report names a line, a column and a key.
  const quick = quickRead(text, env, typedValue);
  const valid = quick && configSchema.safeParse(quick.raw);
  if (quick && valid?.success) return loaded(valid.data, file, baseDir, new Redactor(quick.secrets), []);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };

  const problems: ConfigProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    problems.push({ file, ...at(e.pos[0]), path: '', message: e.message.split('\n')[0]! });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const redactor = new Redactor();
  const warnings: ConfigProblem[] = [];
  const locate = (node: Node, message: string): ConfigProblem => ({ file, ...at(node.range?.[0]), path: pathOf(doc, node), message });
  substituteInDocument(
    doc,
    env,
    redactor,
    (node, message) => problems.push(locate(node, message)),
    (node, message) => warnings.push(locate(node, message)),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (err) {
    // An alias to an anchor that does not exist, or an alias bomb: the document is not data.
    throw new ConfigError([{ file, ...at(firstAliasOffset(doc)), path: '', message: (err as Error).message }]);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of friendlyIssues(parsed.error.issues, configSchema, raw)) {
      const node = nodeAt(doc, issue.path, issue.key);
      problems.push({ file, ...at(node?.range?.[0]), path: formatPath(issue.path), message: issue.message });
    }
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(problems);
  }
  return loaded(parsed.data, file, baseDir, redactor, warnings);
}

function loaded(config: MedicConfig, file: string, baseDir: string, redactor: Redactor, warnings: ConfigProblem[]): LoadedConfig {
  for (const t of config.auth.tokens) redactor.add(t.token);
  return { config, file, baseDir, redactor, warnings };
}

/** Replaces `${ENV}` in every scalar, in place, so positions stay those of the file. */
function substituteInDocument(doc: Document, env: NodeJS.ProcessEnv, redactor: Redactor, report: (node: Node, message: string) => void, warn: (node: Node, message: string) => void) {
  const warned = new Set<string>();
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const original = node.value;
      const result = substituteEnv(original, env);
      for (const name of result.missing) report(node, `environment variable ${name} is not set (use \${${name}:-default} for a default)`);
      for (const { name, value } of result.secrets) {
        redactor.add(value);
        // Named, never shown: the value is the secret the warning is about. Once per variable.
        if (value !== '' && !isRedactable(value) && !warned.has(name)) {
          warned.add(name);
          warn(node, `\${${name}} is shorter than ${MIN_SECRET_LENGTH} characters, so it is not redacted from logs, timelines and notifications (fine for a port or a name, not for a secret)`);
        }
      }
      if (result.value === original) return;
      // An unquoted `port: ${PORT}` should give a number, as if the value had been written there.
      if (node.type === 'PLAIN' && isWholeReference(original)) node.value = typedValue(result.value);
      else node.value = result.value;
    },
  });
}

/** What an unquoted value would have been had it been written there: a number, a boolean, null or text. */
function typedValue(value: string): unknown {
  const typed = parseDocument(value).contents;
  return isScalar(typed) ? typed.value : value;
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset ??= node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** The node for a key path; for an unknown key, the key itself. */
function nodeAt(doc: Document, path: readonly PropertyKey[], key?: string): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const keys = path.slice(0, n) as (string | number)[];
    if (key !== undefined && n === path.length) {
      const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key)) return pair.key;
      }
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return undefined;
}

/** The key path of a node, found by walking the document (only used to name a bad `${ENV}`). */
function pathOf(doc: Document, target: Node): string {
  const walk = (node: unknown, trail: (string | number)[]): (string | number)[] | undefined => {
    if (node === target) return trail;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isScalar(pair.key) ? String(pair.key.value) : '?';
        const found = walk(pair.value, [...trail, k]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = walk(node.items[i], [...trail, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return formatPath(walk(doc.contents, []) ?? []);
}
