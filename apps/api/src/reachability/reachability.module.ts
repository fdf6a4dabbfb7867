import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { ReachabilityResolver } from './reachability.resolver.js';

@Module({ imports: [AnalysisModule], providers: [ReachabilityResolver] })
export class ReachabilityModule {}
