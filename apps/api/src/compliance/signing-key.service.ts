// The installation's Ed25519 signing key: created at first start, kept in the database (insert-only table), never
// replaced. Report manifests are signed with it; the public key is served at GET /api/v1/signing-key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ComplianceRepository } from './compliance.repository.js';

export const INSTALLATION_KEY_ID = 'installation';

export interface SigningKey {
  /** Row id in signing_keys. */
  readonly id: string;
  readonly publicKeyPem: string;
  /** Lowercase hex SHA-256 of the public key's SPKI DER: names the key in manifests. */
  readonly fingerprint: string;
  readonly privateKey: KeyObject;
}

@Injectable()
export class SigningKeyService implements OnApplicationBootstrap {
  private loaded?: Promise<SigningKey>;

  constructor(private readonly store: ComplianceRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.key();
  }

  key(): Promise<SigningKey> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async load(): Promise<SigningKey> {
    let row = await this.store.signingKey(INSTALLATION_KEY_ID);
    if (!row) {
      const pair = generateKeyPairSync('ed25519');
      await this.store.insertSigningKeyOnce(
        INSTALLATION_KEY_ID,
        pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
        pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      );
      row = await this.store.signingKey(INSTALLATION_KEY_ID);
      if (!row) throw new Error('the installation signing key could not be stored');
    }
    const publicKeyPem = row.publicKeyPem;
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    return {
      id: INSTALLATION_KEY_ID,
      publicKeyPem,
      fingerprint: createHash('sha256').update(der).digest('hex'),
      privateKey: createPrivateKey(row.privateKeyPem),
    };
  }
}
