import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Exactly the bytes that were hashed, once per SHA-256 (immutable: see the migration's triggers). */
@Entity({ name: 'snapshot_contents' })
export class SnapshotContentEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea' })
  content: Buffer;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
