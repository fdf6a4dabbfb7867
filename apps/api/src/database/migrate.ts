// Runs the migrations as the owner role (DATABASE_OWNER_URL, or DATABASE_URL in a single-role setup), then closes
// that connection: the server itself connects as the app role, which owns nothing and may only insert evidence.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';

export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const db = new DataSource(dataSourceOptions(ownerUrl));
  await db.initialize();
  try {
    const applied = await db.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await db.destroy();
  }
}
