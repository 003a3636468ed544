// mooring.v1.PoolService. Members list every pool (they name pools in allocation constraints) but
// see a pool's auto-reservation only when it is for them or one of their groups: other holders are
// user and group names a member may not list.
import type { PoolServiceHandlers } from '../../../proto/generated/index.js';
import { isHeldBy } from '../tenancy/access.js';
import type { Pool, PoolRegistry } from '../tenancy/pool-registry.js';
import type { Principal } from '../tenancy/user.js';
import { unary, type ApiContext } from './call-handler.js';
import { createPoolSchema, emptySchema, poolRefSchema, setPoolEraseModeSchema, setPoolReservationSchema } from './request-schemas.js';
import { poolToWire } from './wire.js';

export function poolService(ctx: ApiContext, pools: PoolRegistry): PoolServiceHandlers {
  return {
    CreatePool: unary(ctx, 'CreatePool', createPoolSchema, async (principal, request) =>
      poolToWire(await pools.create(principal, request)),
    ),
    ListPools: unary(ctx, 'ListPools', emptySchema, (principal) => ({
      pools: pools.list().map((pool) => poolToWire(asSeenBy(principal, pool))),
    })),
    DeletePool: unary(ctx, 'DeletePool', poolRefSchema, async (principal, { name }) => {
      await pools.delete(principal, name);
      return {};
    }),
    SetPoolReservation: unary(ctx, 'SetPoolReservation', setPoolReservationSchema, async (principal, request) =>
      poolToWire(await pools.setReservation(principal, request.name, request.autoReserveFor)),
    ),
    SetPoolEraseMode: unary(ctx, 'SetPoolEraseMode', setPoolEraseModeSchema, async (principal, request) =>
      poolToWire(await pools.setEraseMode(principal, request.name, request.eraseMode)),
    ),
  };
}

function asSeenBy(principal: Principal, pool: Pool): Pool {
  if (principal.role !== 'member' || pool.autoReserveFor === null || isHeldBy(principal, pool.autoReserveFor)) return pool;
  return { ...pool, autoReserveFor: null };
}
