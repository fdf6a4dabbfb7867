import { Controller, Get, HttpException, HttpStatus, Inject, Logger, Param, Query, Res } from '@nestjs/common';
import { CONNLIST_FORMATS, connlistChunks, type ConnlistFormat } from '@netpol-atlas/engine';
import type { ServerResponse } from 'node:http';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorSchema } from '../openapi/rest-schemas.js';
import { AnalysisService, SnapshotNotAnalysableError } from '../analysis/analysis.service.js';
import { tableRows, type ConnectivityTable } from '../analysis/connectivity-table.js';
import { ListingTooLargeError } from '../analysis/listing-bound.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { clusterEngineOptions } from '../analysis/snapshot-lookup.js';
import { attachment, snapshotDownloadName } from '../snapshots/download-name.js';
import { CNI_PROFILE_NOTE_HEADER } from '../analysis/cni-profile-answer.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RenderPool } from '../compliance/render-pool.js';
import { MessageChannel } from 'node:worker_threads';
import { pipeConnlist } from './connlist-stream.js';
import { drainOrClose, yieldToEventLoop } from '../http/send-body.js';

const CONTENT_TYPES: Record<ConnlistFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
};
/** Chunks are gathered up to this many characters per write. */
const WRITE_BATCH = 1 << 16;
/**
 * Formatting gives the event loop back at least this often (ms), drained or not: a local client drains as fast as
 * the rows are formatted, so waiting for 'drain' alone let a 10k-pod table's text (~0.2–0.4 s) run in one go while
 * every other request waited. Several downloads take turns, and a cheap request needs a few turns (its token's row,
 * then its answer): 3 ms slices gave a cheap query's p99 85–90 ms against 117–159 ms with 10 ms slices while three
 * cold 10k-pod downloads ran (`npm run bench:api -- --size M --cold`, alternated, load 1.4–2.7); a turn costs ~µs.
 */
export const FORMAT_SLICE_MS = 3;
/** Tables of at least this many rows are formatted in a render thread (connlist-stream.ts); smaller ones here, in a
 *  few ms (the thread's hop and, after 30 s idle, its start would cost more). */
export const CONNLIST_THREAD_FROM_ROWS = 10_000;

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpException({ statusCode: status, error: HttpStatus[status], message, ...extra }, status);
}

function ipv6Rows(table: ConnectivityTable): number {
  const isV6 = table.peers.map((peer) => peer.type === 'ip' && peer.family === 6);
  let n = 0;
  for (let i = 0; i < table.src.length; i++) if (isV6[table.src[i]] || isV6[table.dst[i]]) n++;
  return n;
}

@ApiTags('snapshots')
@Controller('api/v1/snapshots')
export class ConnectivityController {
  private readonly logger = new Logger('ConnectivityController');
  private readonly formatSliceMs: number;
  private readonly threadFromRows: number;

  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly analyses: AnalysisService,
    private readonly render: RenderPool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.formatSliceMs = config.formatSliceMs ?? FORMAT_SLICE_MS;
    this.threadFromRows = config.connlistThreadFromRows ?? CONNLIST_THREAD_FROM_ROWS;
  }

  /**
   * Every allowed connection at workload level in np-guard's formats (`netpol list -o FORMAT`; np-guard names).
   * txt and json leave IPv6 rows out as np-guard does (`X-Netpol-Ipv6-Rows-Omitted` counts them).
   * `X-Netpol-Analysis-Cache` says where the analysis came from: memory, store (Postgres) or computed.
   */
  @Get(':id/connectivity')
  @ApiOperation({ summary: 'Every allowed connection between workloads and IP ranges, in the CLI\'s np-guard formats (streamed)' })
  @ApiParam({ name: 'id', description: 'Snapshot id (UUID)', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: [...CONNLIST_FORMATS], description: 'Default txt (as `netpol list -o FORMAT`).' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({
    description:
      'The report. Headers: X-Netpol-Analysis-Cache (memory | store | computed); X-Netpol-Cni-Profile (the CNI profile ' +
      "that produced it: the cluster's CNI, else the one its content implies); X-Netpol-Cni-Profile-Note (only when the " +
      "profile's name alone would mislead: no CNI declared and Calico policies evaluated under np-guard's reading); for txt " +
      'and json, X-Netpol-Ipv6-Rows-Omitted.',
    schema: { type: 'string' },
  })
  @ApiBadRequestResponse({ type: ErrorSchema, description: 'The id is not a UUID, or an unknown format.' })
  @ApiNotFoundResponse({ type: ErrorSchema, description: 'No such snapshot.' })
  @ApiUnprocessableEntityResponse({
    type: ErrorSchema,
    description: 'The engine cannot analyse the snapshot (with `issues`), or its listing would have more workload pairs than the server lists (with `rows` and `maxRows`).',
  })
  async connectivity(@Param('id') id: string, @Query('format') formatText: string | undefined, @Res() res: ServerResponse): Promise<void> {
    const format = (formatText ?? 'txt') as ConnlistFormat;
    if (!CONNLIST_FORMATS.includes(format)) fail(400, `format must be one of ${CONNLIST_FORMATS.join(', ')}, got ${JSON.stringify(formatText)}`);
    if (!this.snapshots.isSnapshotId(id)) fail(400, `snapshot id must be a UUID, got ${JSON.stringify(id)}`);
    const snapshot = await this.snapshots.findById(id);
    if (!snapshot) fail(404, `snapshot ${id} not found`);
    const options = clusterEngineOptions(snapshot.cluster?.cni);
    let cached;
    let cniProfile;
    try {
      cached = await this.analyses.connectivity(snapshot.contentSha256, options);
      cniProfile = await this.analyses.cniProfileAnswer(snapshot.contentSha256, options);
    } catch (error) {
      if (error instanceof SnapshotNotAnalysableError) {
        fail(422, error.message, { issues: error.issues.map((i) => ({ code: i.code, severity: i.severity, message: i.message, path: i.path })) });
      }
      if (error instanceof ListingTooLargeError) fail(422, error.message, { rows: error.rows, maxRows: error.maxRows });
      throw error;
    }
    const table = cached.value;
    const begin = () => {
      res.statusCode = 200;
      res.setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Content-Disposition', attachment(snapshotDownloadName(snapshot, 'connectivity', format)));
      res.setHeader('X-Netpol-Analysis-Cache', cached.source);
      res.setHeader('X-Netpol-Cni-Profile', cniProfile.cniProfile);
      // The body keeps np-guard's exact format: the note rides in a header too.
      if (cniProfile.cniProfileNote) res.setHeader(CNI_PROFILE_NOTE_HEADER, cniProfile.cniProfileNote);
      if (format === 'txt' || format === 'json') res.setHeader('X-Netpol-Ipv6-Rows-Omitted', String(ipv6Rows(table)));
    };
    if (table.src.length >= this.threadFromRows) {
      const { port1, port2 } = new MessageChannel();
      const cut = await pipeConnlist(port1, res, begin, this.render.connlist(table, format, port2));
      if (cut) this.logger.error(`connectivity download of snapshot ${id} cut: ${cut.message}`, cut.stack);
      return;
    }
    begin();
    let buffer = '';
    let sliceStart = performance.now();
    for (const chunk of connlistChunks(tableRows(table), format, undefined, table.showsIcmp)) {
      buffer += chunk;
      if (buffer.length >= WRITE_BATCH) {
        const drained = res.write(buffer);
        buffer = '';
        if (!drained) await drainOrClose(res);
        else if (performance.now() - sliceStart >= this.formatSliceMs) await yieldToEventLoop();
        else continue; // the client takes more and the slice is not over: format on
        if (res.destroyed) return;
        sliceStart = performance.now();
      }
    }
    res.end(buffer);
  }
}
