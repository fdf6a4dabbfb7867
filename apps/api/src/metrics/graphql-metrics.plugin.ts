// Times every GraphQL operation for Metrics (registered with Apollo through @Plugin, so app.module's GraphQL
// configuration stays as it is).
import { Plugin } from '@nestjs/apollo';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Metrics } from './metrics.service.js';

@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: Metrics) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const started = performance.now();
    const metrics = this.metrics;
    return {
      async willSendResponse(context) {
        metrics.observeGraphql(context.operationName, context.operation?.operation, (performance.now() - started) / 1000);
      },
    };
  }
}
