/**
 * Keeps credentials a journey handles out of check results. A login step's `assert_json_path: "$.token"`
 * or `extract: { session: "$.session_id" }` would otherwise copy a live token of the monitoring account
 * into the database, the UI and incident timelines, where the config's own secrets are already redacted.
 */

const SECRET_NAME = /token|secret|passw(or)?d|api[_-]?key|auth(?!or)|session|cookie|jwt|credential/i;

/** The value, or a mask that keeps only its length, when the name or JSONPath looks like a credential. */
export function maskIfSecret(name: string, value: string): string {
  return SECRET_NAME.test(name) ? `[masked, ${value.length} chars]` : value;
}
