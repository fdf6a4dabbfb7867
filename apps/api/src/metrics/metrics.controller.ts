import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Metrics } from './metrics.service.js';

/**
 * Prometheus text format. Needs an API token like every route (any role: give Prometheus a `viewer` token as a
 * bearer credential); the metrics carry no cluster or object names, but a token keeps them off the open network.
 */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @ApiExcludeEndpoint()
  async scrape(@Res() res: ServerResponse): Promise<void> {
    const text = await this.metrics.registry.metrics();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.end(text);
  }
}
