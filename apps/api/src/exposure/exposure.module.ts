import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { ExposureResolver } from './exposure.resolver.js';

@Module({ imports: [AnalysisModule], providers: [ExposureResolver] })
export class ExposureModule {}
