/**
 * `${ENV}` substitution in medic.yaml values.
 *
 *   ${NAME}            the variable's value; an error naming NAME when it is not set
 *   ${NAME:-default}   the default when NAME is unset or empty
 *   $${NAME}           a literal ${NAME} (for text that reaches a program that does its own expansion)
 *   $NAME              left alone, so shell commands in runbooks keep their own variables
 *
 * Every value taken from the environment is remembered as a secret (see secrets.ts): a config should not
 * have to say which of its variables are passwords for them to stay out of logs and timelines.
 */

const PATTERN = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^}\\]|\\.)*))?\}/g;

export interface EnvValue {
  name: string;
  value: string;
}

export interface Substitution {
  value: string;
  /** Values that came from the environment (not defaults), with the variable each came from. */
  secrets: EnvValue[];
  /** Variables referenced without a default and not set. */
  missing: string[];
}

export function substituteEnv(text: string, env: NodeJS.ProcessEnv): Substitution {
  const secrets: EnvValue[] = [];
  const missing: string[] = [];
  const value = text.replace(PATTERN, (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    const fromEnv = env[name];
    if (fromEnv !== undefined && (fromEnv !== '' || fallback === undefined)) {
      secrets.push({ name, value: fromEnv });
      return fromEnv;
    }
    if (fallback !== undefined) return fallback.replace(/\\(.)/g, '$1');
    missing.push(name);
    return whole;
  });
  return { value, secrets, missing };
}

/** True when the text is exactly one `${…}` reference, so the result may be a number or boolean. */
export function isWholeReference(text: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-(?:[^}\\]|\\.)*)?\}$/.test(text.trim());
}
