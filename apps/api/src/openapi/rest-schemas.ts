// Response shapes of the REST API, for the OpenAPI document only (the controllers build plain objects; the
// snapshot-views and ingest result types are the source of truth and these classes mirror them).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SnapshotCountsSchema {
  @ApiProperty() namespaces: number;
  @ApiProperty({ description: 'Pods as analysis counts them: Pod objects, or the replicas a controller stands for.' }) pods: number;
  @ApiProperty({ description: 'Top-level controllers, and Pods with none.' }) workloads: number;
  @ApiProperty() policies: number;
}

export class SnapshotSchema {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'prod-eu' }) cluster: string;
  @ApiProperty({ format: 'date-time' }) capturedAt: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ enum: ['rest', 'graphql', 'demo'] }) source: string;
  @ApiProperty({ description: 'Lowercase hex SHA-256 of the stored content (GET …/content).', pattern: '^[0-9a-f]{64}$' }) contentSha256: string;
  @ApiProperty({ description: 'True when an earlier upload had the same content.' }) deduplicated: boolean;
  @ApiProperty({ type: SnapshotCountsSchema }) counts: SnapshotCountsSchema;
}

export class ClusterSummarySchema {
  @ApiProperty({ example: 'prod-eu' }) name: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { env: 'prod' } }) labels: Record<string, string>;
  @ApiProperty({ type: String, nullable: true, example: 'eks' }) provider: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'cilium' }) cni: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['user', 'collector'], description: 'Who set `cni` (a detection never overrides a user).' }) cniSource: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() snapshotCount: number;
  @ApiProperty({ type: SnapshotSchema, nullable: true }) latestSnapshot: SnapshotSchema | null;
}

export class ClusterListSchema {
  @ApiProperty({ type: [ClusterSummarySchema], description: 'Sorted by name.' }) clusters: ClusterSummarySchema[];
}

export class IssueSchema {
  @ApiProperty({ example: 'INVALID_VALUE' }) code: string;
  @ApiProperty({ enum: ['error', 'warning'] }) severity: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ example: 'request-body' }) file?: string;
  @ApiProperty({ description: 'YAML document index from 0 (JSON: 0).' }) document: number;
  @ApiProperty({ example: 'items[3].spec.ingress[0].from[1].ipBlock.except[0]' }) path: string;
  @ApiPropertyOptional() line?: number;
  @ApiPropertyOptional({ description: '1-based column, where the parser knows it (YAML syntax errors).' }) column?: number;
}

export class IngestResultSchema {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() cluster: string;
  @ApiProperty({ format: 'date-time' }) capturedAt: string;
  @ApiProperty() contentSha256: string;
  @ApiProperty() deduplicated: boolean;
  @ApiProperty({ type: SnapshotCountsSchema }) counts: SnapshotCountsSchema;
  @ApiProperty({ type: [IssueSchema] }) warnings: IssueSchema[];
}

export class ErrorSchema {
  @ApiProperty({ description: 'The HTTP status.' }) statusCode: number;
  @ApiProperty({ description: 'The status\'s name: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR…', example: 'NOT_FOUND' })
  error: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: [IssueSchema], description: 'Located problems (400 unparseable, 413 too many objects, 422 invalid): the first 1,000.' }) issues?: IssueSchema[];
  @ApiPropertyOptional({ description: 'How many issues were left out of `issues`.' }) issuesOmitted?: number;
  @ApiPropertyOptional({ description: '413: the limit in bytes.' }) limit?: number;
}
