import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigText } from '../../src/config/index.js';
import { quickRead } from '../../src/config/quick-read.js';

/**
 * The quick read must give exactly what yaml's Document gives, or step aside (undefined): these compare
 * the two on the scalars and structures where YAML parsers are known to part, and on every medic.yaml here.
 */

const typeWhole = (v: string) => parse(v) as unknown;
const quick = (text: string, env: NodeJS.ProcessEnv = {}) => quickRead(text, env, typeWhole);
const documentValue = (text: string) => (parse(text, { uniqueKeys: true }) as unknown) ?? {};

const SCALARS = [
  '1', '-0', '+12', '017', '0o17', '0x1F', '0xff', '1_000', '0b101', '-0x1F', '-0o7', '+0x1', '00', '0009',
  '1.', '.5', '-.5', '+.5', '1.0', '0.', '1e3', '1E3', '-1.5e-3', '1e', '0e0', '0.1_0',
  '.inf', '+.inf', '-.Inf', '.INF', '.nan', '.NaN', '.NAN', 'nan', 'inf',
  '~', 'null', 'Null', 'NULL', 'nULL', '', 'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'no', 'on', 'off', 'y', 'n',
  '2024-01-01', '2024-01-01T10:00:00Z', '1:20', '12:30:00', '10s', '=', '<<', '"a\\x41\\u00e9\\t"', "'it''s'",
  '"multi\n  line"', 'plain\n  folded', '"#not a comment"', 'a #comment', "'\\n'", '"\\n"', '12345678901234567890',
];

describe('quick read of medic.yaml', () => {
  it.each(SCALARS)('resolves %j as the Document path does, or steps aside', (v) => {
    const text = `k: ${v}\n`;
    const got = quick(text);
    if (got !== undefined) expect(Object.is((got.raw as { k: unknown }).k, (documentValue(text) as { k: unknown }).k) || JSON.stringify(got.raw) === JSON.stringify(documentValue(text))).toBe(true);
  });

  it('reads the same structures', () => {
    for (const text of ['a: |\n  x\n  y\n', 'a: >-\n  x\n  y\n', 'a: |+\n  x\n\n', '{a: 1, b: [1, 2,]}\n', 'a:\n  - 1\n  -\n  - {b: c}\n', "1: a\ntrue: b\n0x1F: c\n'x': e\n", 'a: [x, "y", \'z\']\n', '', '# only a comment\n', '- 1\n- 2\n']) {
      expect(quick(text)?.raw, JSON.stringify(text)).toEqual(documentValue(text));
    }
  });

  it('steps aside for directives, tags, complex keys, anchors and aliases, and for anything it cannot parse', () => {
    for (const text of ['%YAML 1.1\n---\na: yes\n', 'a: !!binary aGk=\n', 'a: !!str 12\n', '? [1, 2]\n: x\n', 'a: &x {b: 1}\nc: *x\n', 'a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', 'a: b: c\n', 'e: [${X}]\n', 'null: c\n', '~: c\n', '{null: 1}\n']) {
      expect(quick(text, { X: 'abcdefgh' }), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('substitutes ${ENV} in values, types an unquoted whole reference, and never touches keys', () => {
    const env = { PORT: '80808080', QUOTED: '80808080', TOKEN: 'secret-token-value' };
    const got = quick('port: ${PORT}\nquoted: "${QUOTED}"\nurl: http://x:${TOKEN}@h/\n${KEY}: k\nliteral: $${PORT}\nfallback: ${NOPE:-dflt}\n', env);
    expect(got?.raw).toEqual({ port: 80808080, quoted: '80808080', url: 'http://x:secret-token-value@h/', '${KEY}': 'k', literal: '${PORT}', fallback: 'dflt' });
    expect(got?.secrets.sort()).toEqual(['80808080', '80808080', 'secret-token-value'].sort());
  });

  it('leaves to the Document path what needs a line and column: an unset variable, a short secret, a reference written both plain and quoted', () => {
    expect(quick('a: ${MISSING}\n')).toBeUndefined();
    expect(quick('port: ${PORT}\n', { PORT: '8080' })).toBeUndefined();
    expect(quick('flag: ${FLAG}\n', { FLAG: 'true' })).toBeUndefined();
    expect(quick('a: ${LONG}\nb: "${LONG}"\n', { LONG: '12345678' })).toBeUndefined();
  });

  it.each(['examples/medic.yaml', 'examples/payment-service.yaml', 'examples/payment-diagnostics.yaml', 'examples/demo/medic.demo.yaml', 'test/config/fixtures/article.yaml'])('reads %s as the Document path does', (file) => {
    // The demo's file is a template the demo fills in; every variable is set to a value its field takes.
    const text = readFileSync(file, 'utf8').replace(/\{\{SHOP\}\}/g, 'http://127.0.0.1:8081').replace(/\{\{SHOP_HOSTPORT\}\}/g, '127.0.0.1:8081').replace(/\{\{DATA\}\}/g, 'data');
    const value = (name: string) => (/URL|WEBHOOK/.test(name) ? `https://hooks.example.com/${name}` : `value-of-${name}`);
    const env = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? value(name) : undefined) }) as NodeJS.ProcessEnv;
    const got = quick(text, env);
    // Both paths through the whole loader: a comment with what looks like an alias makes the quick one step aside.
    const options = { env, baseDir: path.dirname(file) };
    expect(loadConfigText(text, options).config).toEqual(loadConfigText(`${text}\n# * the Document path\n`, options).config);
    if (got !== undefined && !text.includes('${')) expect(got.raw).toEqual(documentValue(text));
  });
});
