import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Snapshot } from '../snapshots/snapshot.model.js';

export enum ManifestFormat {
  AUTO = 'AUTO',
  YAML = 'YAML',
  JSON = 'JSON',
}

registerEnumType(ManifestFormat, {
  name: 'ManifestFormat',
  description: 'How `manifests` is read: AUTO (JSON when it starts like JSON, else YAML), YAML (multi-document or a List), JSON.',
});

@ObjectType({ description: 'A located problem in uploaded manifests (the REST `issues` entries).' })
export class ManifestIssue {
  @Field()
  code: string;

  @Field({ description: 'error or warning.' })
  severity: string;

  @Field()
  message: string;

  @Field(() => String, { nullable: true })
  file?: string;

  @Field(() => Int, { description: 'YAML document index from 0 (JSON: 0).' })
  document: number;

  @Field({ description: 'Field path, e.g. `spec.ingress[0].from[1].ipBlock.except[0]` ("" for the document).' })
  path: string;

  @Field(() => Int, { nullable: true })
  line?: number;
}

@ObjectType({ description: 'The snapshot an upload created.' })
export class IngestSnapshotResult {
  @Field(() => Snapshot)
  snapshot: Snapshot;

  @Field({ description: 'True when an earlier upload had the same content (stored once).' })
  deduplicated: boolean;

  @Field(() => [ManifestIssue], { description: 'Warnings, e.g. documents of kinds analysis does not use (skipped).' })
  warnings: readonly ManifestIssue[];
}
