// mooring.v1.PoolService.
import type * as grpc from '@grpc/grpc-js';
import type { PoolRegistry } from '../tenancy/pool-registry.js';
import { unary, type ApiContext } from './call-handler.js';
import { createPoolSchema, emptySchema, poolRefSchema, setPoolReservationSchema } from './request-schemas.js';
import { poolToWire } from './wire.js';

export function poolService(ctx: ApiContext, pools: PoolRegistry): grpc.UntypedServiceImplementation {
  return {
    CreatePool: unary(ctx, 'CreatePool', createPoolSchema, async (principal, request) => poolToWire(await pools.create(principal, request))),
    ListPools: unary(ctx, 'ListPools', emptySchema, () => ({ pools: pools.list().map(poolToWire) })),
    DeletePool: unary(ctx, 'DeletePool', poolRefSchema, async (principal, { name }) => {
      await pools.delete(principal, name);
      return {};
    }),
    SetPoolReservation: unary(ctx, 'SetPoolReservation', setPoolReservationSchema, async (principal, request) =>
      poolToWire(await pools.setReservation(principal, request.name, request.autoReserveFor)),
    ),
  };
}
