import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { SecretValue, SecretVariable } from './config.ts';

/** One value in Secret Manager and the environment variable a function reads it into. */
export interface DeployedSecret {
  variable: SecretVariable;
  secret: gcp.secretmanager.Secret;
  version: gcp.secretmanager.SecretVersion;
}

/** The secret's id: its variable in kebab case (TWILIO_AUTH_TOKEN → `twilio-auth-token`). */
export const secretIdOf = (variable: string) => variable.toLowerCase().replaceAll('_', '-');

/**
 * One Secret Manager secret per value, with the stack's (encrypted) config value as its version.
 * Functions mount the version this creates, so a changed value rolls out new instances with it; an
 * immutable value's secret and version are protected (with `protectData`), so `pulumi up` refuses to
 * replace them.
 */
export function deploySecrets(
  args: { project: string; values: SecretValue[]; protectData: boolean },
  opts: pulumi.CustomResourceOptions,
): DeployedSecret[] {
  const { project } = args;
  return args.values.map(({ variable, value, immutable }) => {
    const secretId = secretIdOf(variable);
    const guarded = { ...opts, protect: immutable && args.protectData };
    const secret = new gcp.secretmanager.Secret(
      secretId,
      { project, secretId, replication: { auto: {} }, labels: { app: 'ereg' } },
      guarded,
    );
    const version = new gcp.secretmanager.SecretVersion(secretId, { secret: secret.id, secretData: value }, guarded);
    return { variable, secret, version };
  });
}
