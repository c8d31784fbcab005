import { RateLimitsSetting } from '@ereg/shared';
import { z } from 'zod';

const LocalConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  DEMO_SEED: z.coerce.number().int().default(2021),
  DEMO_CENTRES: z.coerce.number().int().min(16).max(20000).default(160),
  DEMO_CITIZENS: z.coerce.number().int().min(10).max(5_000_000).default(5000),
  SESSION_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  RATE_LIMITS: z.string().default('').pipe(RateLimitsSetting),
  // Proxies in front of the server whose X-Forwarded-For entry names the client; 0 believes no header.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // `off` records no metrics (the benchmark's baseline for what they cost); /metrics is then empty.
  METRICS: z.enum(['on', 'off']).default('on'),
});

export type LocalConfig = z.infer<typeof LocalConfigSchema>;

/** Reads the local runtime's configuration from the environment once; a bad value stops start-up with its name. */
export function loadLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const parsed = LocalConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Configuration error in ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The settings tests run with: an ephemeral port and a small data set. */
export const TEST_CONFIG: LocalConfig = loadLocalConfig({
  PORT: '0',
  DEMO_CENTRES: '16',
  DEMO_CITIZENS: '50',
  LOG_LEVEL: 'error',
});
