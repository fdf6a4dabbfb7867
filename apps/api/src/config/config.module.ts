import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RateLimiter } from '../security/rate-limit.js';
import { APP_CONFIG, type AppConfig } from './app-config.js';

/** The configuration and the one rate limiter (HTTP middleware and GraphQL cost charge), visible to every feature. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, rateLimiter: RateLimiter): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RateLimiter, useValue: rateLimiter },
      ],
      exports: [APP_CONFIG, RateLimiter],
    };
  }
}
