/**
 * Text from outside (alert bodies, API requests, check errors) may carry control characters: a NUL byte
 * PostgreSQL refuses in a text column, escape sequences that repaint a terminal. Medic keeps tab and
 * newline (multi-line descriptions) and drops every other C0 control, the same way on both engines.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F]/g;
// eslint-disable-next-line no-control-regex -- as above
const HAS_CONTROL = /[\u0000-\u0008\u000B-\u001F]/;

/** Whether `text` has a C0 control character other than tab and newline. */
export const hasControl = (text: string): boolean => HAS_CONTROL.test(text);

/** `text` without C0 control characters other than tab and newline. */
export function stripControls(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(CONTROLS, '') : text;
}

/**
 * Cuts `text` to at most `max` characters, ending in a marker that says how much was cut, so a reader
 * sees that the value is not whole. Never splits a surrogate pair.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = (cut: number) => `…[${cut} characters cut]`;
  let keep = Math.max(0, max - marker(text.length).length);
  if (keep > 0 && isHighSurrogate(text.charCodeAt(keep - 1))) keep--;
  return text.slice(0, keep) + marker(text.length - keep);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `text` on one line: every run of whitespace, line breaks included, becomes one space. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** `text` cut to at most `max` characters with a plain "…" — for a line meant to be glanced at. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
