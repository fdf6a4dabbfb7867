import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import type { SnapshotCounts } from './snapshot-counts.js';

/** One row per upload (immutable: see the migration's triggers). */
@Entity({ name: 'snapshots' })
export class SnapshotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Upload order; breaks ties between equal capture times (the later upload wins). */
  @Column({ name: 'upload_seq', type: 'bigint', insert: false, update: false })
  uploadSeq: string;

  @Column({ name: 'cluster_id', type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: ClusterEntity;

  @Column({ name: 'captured_at', type: 'timestamptz' })
  capturedAt: Date;

  @Column({ name: 'uploaded_at', type: 'timestamptz', insert: false, update: false })
  uploadedAt: Date;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'content_sha256', type: 'char', length: 64 })
  contentSha256: string;

  @Column({ type: 'jsonb' })
  counts: SnapshotCounts;

  @Column({ type: 'boolean' })
  deduplicated: boolean;

  /** The API token that uploaded it; null for the demo loader, OIDC users and uploads before tokens existed. */
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy: string | null;

  /** The client address of the upload. */
  @Column({ name: 'uploaded_from', type: 'text', nullable: true })
  uploadedFrom: string | null;
}
