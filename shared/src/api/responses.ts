import type { Eligibility } from '../eligibility.ts';
import type { Patient, Referral } from '../model.ts';
import type { Session } from '../ports.ts';

/** What the web apps need to know to log someone in: where the identity provider is, and the kind of session. */
export interface WebLoginConfig {
  idpLoginUrl: string;
  session: { kind: 'bearer' } | { kind: 'firebase'; apiKey: string };
}

/** The answer of `POST /api/login`. */
export interface LoginResponse {
  token: string;
  expiresAt: string;
  tokenKind: Session['kind'];
  patient: Patient;
  eligibility: Eligibility;
  referral: Referral | null;
}
