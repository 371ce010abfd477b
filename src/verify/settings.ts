import type { MedicConfig, ServiceConfig, VerificationConfig } from '../config/index.js';

/** The verification settings of a service: its own `verification:` keys on top of the top-level ones. */
export function verificationSettings(config: Pick<MedicConfig, 'verification' | 'services'>, service: string | null): VerificationConfig {
  const own: ServiceConfig['verification'] = service ? config.services.find((s) => s.name === service)?.verification : undefined;
  const out: VerificationConfig = { ...config.verification };
  for (const [key, value] of Object.entries(own ?? {})) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
