import { Firestore } from '@google-cloud/firestore';
import { FirestoreStore } from '../../adapters/firestore/firestore-store.ts';
import { logger } from '../../observability/logger.ts';
import { CloudConfigSchema } from './config.ts';

/**
 * Once, after the deployment that seals PESELs: rewrites the patient documents written before it,
 * which still hold the PESEL in clear. The functions read both shapes, so it may run while they
 * serve, and again (it touches only documents still in clear). Run by an operator with access to the
 * database and the PESEL key, from the repository root:
 *
 *   GOOGLE_CLOUD_PROJECT=… FIRESTORE_DATABASE='(default)' PESEL_HMAC_SECRET="$(gcloud secrets versions access latest --secret pesel-hmac-secret)" \
 *     node --conditions=source functions/src/runtime/cloud/seal-pesels.ts
 */
async function main(): Promise<void> {
  const config = CloudConfigSchema.pick({
    GOOGLE_CLOUD_PROJECT: true,
    FIRESTORE_DATABASE: true,
    PESEL_HMAC_SECRET: true,
  })
    .required({ PESEL_HMAC_SECRET: true })
    .parse(process.env);
  const firestore = new Firestore({ projectId: config.GOOGLE_CLOUD_PROJECT, databaseId: config.FIRESTORE_DATABASE });
  const store = new FirestoreStore(firestore, { peselSecret: config.PESEL_HMAC_SECRET });
  try {
    const sealed = await store.sealClearPesels({ onProgress: (n) => console.log(`${n} patient documents sealed`) });
    console.log(`Done: ${sealed} patient documents sealed; none holds a PESEL in clear.`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  logger.error('Sealing PESELs failed.', { error });
  process.exitCode = 1;
});
