/**
 * The redactor's speed: `npx tsx bench/redaction.ts [secrets...]` (default 10 50 200 1000).
 * Every log line, timeline event and notification goes through Redactor.redact, so it must stay cheap as
 * forms are added (plain, URL-encoded ×3, JSON, base64 ×3 offsets per secret). For each count of secrets
 * it times redacting 4 MiB of log-like text with no secret in it (the common case) and the same text with
 * one secret form every ~2 KiB, and prints MB/s of CPU time and the µs a typical 200-byte log line costs,
 * next to the approach the redactor avoids: one replaceAll per form per call.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Redactor } from '../src/config/index.js';

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = counts.length > 0 ? counts : [10, 50, 200, 1000];
const TEXT_BYTES = 4 * 1024 * 1024;

function secretsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i % 5 === 0 ? String(100_000_000_000 + i * 7919) : `${randomBytes(9).toString('base64')}/${i}`));
}

/** Lines like a service's log: timestamps, levels, paths, ids, some base64. */
function logText(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `2026-01-15T12:${String(i % 60).padStart(2, '0')}:07.123Z INFO req=${randomBytes(6).toString('hex')} GET /api/v1/orders/${i}?page=2 200 ${i % 900}ms ua="Mozilla/5.0" trace=${randomBytes(12).toString('base64')}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function withSecrets(text: string, secrets: string[]): string {
  const forms = (s: string) => [s, encodeURIComponent(s), encodeURI(s), Buffer.from(`user:${s}`).toString('base64')];
  const out: string[] = [];
  for (let at = 0, i = 0; at < text.length; at += 2048, i++) {
    out.push(text.slice(at, at + 2048));
    const s = secrets[i % secrets.length]!;
    out.push(` ${forms(s)[i % 4]} `);
  }
  return out.join('');
}

/** CPU ms per run (user + system), which other jobs on the machine inflate far less than wall time. */
function time(fn: () => void): number {
  fn(); // warm-up: builds the matcher, JITs the code
  const runs = 5;
  const started = process.cpuUsage();
  for (let i = 0; i < runs; i++) fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / runs;
}

/** The approach not taken: every form of every secret replaced on its own. */
function replaceEachForm(secrets: string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s), encodeURI(s), JSON.stringify(s).slice(1, -1), Buffer.from(s).toString('base64')]))];
  return (text) => {
    let out = text;
    for (const f of forms) out = out.replaceAll(f, '[REDACTED]');
    return out;
  };
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const clean = logText(TEXT_BYTES);
const MB = clean.length / 1e6;
for (const n of SIZES) {
  const secrets = secretsOf(n);
  const redactor = new Redactor(secrets);
  const dirty = withSecrets(clean, secrets);
  const line = clean.slice(0, 200);
  let redacted = '';
  const msClean = time(() => void redactor.redact(clean));
  const msDirty = time(() => void (redacted = redactor.redact(dirty)));
  const lines = 20_000;
  const msLines = time(() => {
    for (let i = 0; i < lines; i++) redactor.redact(line);
  });
  const naive = replaceEachForm(secrets);
  const msNaive = time(() => void naive(clean));
  const found = redacted.split('[REDACTED]').length - 1;
  console.log(
    `${String(n).padStart(4)} secrets: clean ${(MB / (msClean / 1000)).toFixed(0).padStart(5)} MB/s · with secrets ${(MB / (msDirty / 1000)).toFixed(0).padStart(5)} MB/s (${found} redacted) · ` +
      `200-byte line ${((msLines * 1000) / lines).toFixed(2)} µs · one replaceAll per form: ${(MB / (msNaive / 1000)).toFixed(0)} MB/s`,
  );
}
