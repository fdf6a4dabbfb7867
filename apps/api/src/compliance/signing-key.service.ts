// The installation's Ed25519 signing key: created at first start, kept in the database (insert-only table), never
// replaced. Report manifests are signed with it; the public key is served at GET /api/v1/signing-key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

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

  constructor(@InjectDataSource() private readonly db: DataSource) {}

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

  /** Base64 Ed25519 signature of the bytes. */
  async sign(bytes: Uint8Array): Promise<string> {
    return sign(null, bytes, (await this.key()).privateKey).toString('base64');
  }

  private async load(): Promise<SigningKey> {
    const select = () =>
      this.db.query<{ public_key_pem: string; private_key_pem: string }[]>('SELECT public_key_pem, private_key_pem FROM signing_keys WHERE id = $1', [
        INSTALLATION_KEY_ID,
      ]);
    let rows = await select();
    if (rows.length === 0) {
      const pair = generateKeyPairSync('ed25519');
      // Two processes starting at once: the first insert wins and both read it back.
      await this.db.query(
        "INSERT INTO signing_keys (id, algorithm, public_key_pem, private_key_pem) VALUES ($1, 'ed25519', $2, $3) ON CONFLICT (id) DO NOTHING",
        [INSTALLATION_KEY_ID, pair.publicKey.export({ type: 'spki', format: 'pem' }), pair.privateKey.export({ type: 'pkcs8', format: 'pem' })],
      );
      rows = await select();
    }
    const publicKeyPem = rows[0].public_key_pem;
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    return {
      id: INSTALLATION_KEY_ID,
      publicKeyPem,
      fingerprint: createHash('sha256').update(der).digest('hex'),
      privateKey: createPrivateKey(rows[0].private_key_pem),
    };
  }
}
