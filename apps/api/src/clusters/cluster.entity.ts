import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'clusters' })
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  labels: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  provider: string | null;

  @Column({ type: 'text', nullable: true })
  cni: string | null;

  /** Who set `cni`: `user` or `collector` (a detection never overrides a user's choice); null when unset. */
  @Column({ name: 'cni_source', type: 'text', nullable: true })
  cniSource: 'user' | 'collector' | null;

  /** The cluster group (tenant) whose tokens may see it. */
  @Column({ type: 'text', default: 'default' })
  tenant: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
