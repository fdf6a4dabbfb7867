// One guard for REST and GraphQL: every controller method and root resolver needs `read` unless it says otherwise
// with @Requires(...) or @Public(). Anonymous requests get 401 / UNAUTHENTICATED, a role without the permission
// 403 / FORBIDDEN. Field resolvers are not guarded (they only run under an allowed root field).
import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GraphQLError } from 'graphql';
import { can, currentPrincipal, type Permission } from './principal.js';

const PERMISSION = 'netpol:permission';

export const Requires = (permission: Permission) => SetMetadata(PERMISSION, permission);
/** Health probes, the whoami endpoint: no credentials needed. */
export const Public = () => SetMetadata(PERMISSION, 'public');

@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<Permission | 'public' | undefined>(PERMISSION, [context.getHandler(), context.getClass()]) ?? 'read';
    if (needed === 'public') return true;
    const principal = currentPrincipal();
    const graphql = context.getType<string>() === 'graphql';
    if (principal.kind === 'anonymous') {
      const message = 'authentication required: send `Authorization: Bearer <token>`';
      if (graphql) throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      throw new UnauthorizedException(message);
    }
    if (can(principal, needed)) return true;
    const message = `the role ${principal.role ?? 'none'} may not ${needed === 'read' ? 'read' : needed === 'ingest' ? 'upload snapshots' : needed === 'report' ? 'generate reports or download evidence packs' : 'administer'}`;
    if (graphql) throw new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
    throw new ForbiddenException(message);
  }
}
