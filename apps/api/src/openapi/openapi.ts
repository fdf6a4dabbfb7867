// The OpenAPI document of the REST API, generated from the controllers' decorators at start: Swagger UI at
// /api/docs, the JSON at /api/docs-json.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Netpol Atlas REST API')
    .setDescription('Snapshot uploads and reads. The full API (inventory, reachability, connectivity, exposure) is GraphQL at /graphql.')
    .setVersion('v1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'api/docs-yaml' });
}
