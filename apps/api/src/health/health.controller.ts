import { Controller, Get, HttpCode, HttpException } from '@nestjs/common';
import { Public } from '../auth/permission.guard.js';
import { HealthService, type Readiness } from './health.service.js';

@Controller()
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers HTTP. */
  @Get('healthz')
  @HttpCode(200)
  alive() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every migration is applied; 503 otherwise. */
  @Get('readyz')
  async ready(): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (!readiness.ready) throw new HttpException(readiness, 503);
    return readiness;
  }
}
