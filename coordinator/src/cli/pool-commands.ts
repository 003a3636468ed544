// moorctl pool ...
import { Command } from 'commander';
import type { EraseMode, Holder__Output, Pool__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { emit, holderText, printJson } from './output.js';

const POOL_HEADERS = ['NAME', 'AUTO-RESERVE FOR', 'ERASE', 'DESCRIPTION'];
const poolRow = (p: Pool__Output): string[] => [p.name, holderText(p.autoReserveFor), eraseText(p.eraseMode), p.description];

const ERASE_MODES: Record<string, EraseMode> = { quick: 'ERASE_MODE_QUICK', secure: 'ERASE_MODE_SECURE' };

/** --erase quick|secure (release cleans the disks this way); absent: the server's default (quick). */
function eraseMode(value: string | undefined): EraseMode {
  if (value === undefined) return 'ERASE_MODE_UNSPECIFIED';
  const mode = ERASE_MODES[value];
  if (!mode) throw new UsageError(`--erase: ${JSON.stringify(value)} is not quick or secure`);
  return mode;
}

function eraseText(mode: Pool__Output['eraseMode']): string {
  return mode === 'ERASE_MODE_SECURE' ? 'secure' : 'quick';
}

function holder(o: { reserveForUser?: string; reserveForGroup?: string }): Holder__Output | null {
  if (o.reserveForUser && o.reserveForGroup) throw new UsageError('give at most one of --reserve-for-user and --reserve-for-group');
  if (o.reserveForUser) return { kind: 'user', user: o.reserveForUser };
  if (o.reserveForGroup) return { kind: 'group', group: o.reserveForGroup };
  return null;
}

export function poolCommand(): Command {
  const pool = new Command('pool').description('resource pools and their auto-reservation rules');
  pool
    .command('create <name>')
    .description('create a pool (admin)')
    .option('--description <text>', 'description', '')
    .option('--reserve-for-user <user>', 'reserve machines becoming READY in this pool for this user')
    .option('--reserve-for-group <group>', 'reserve machines becoming READY in this pool for this group')
    .option('--erase <mode>', 'how release cleans the disks: quick (discard, first and last MiB zeroed; the default) or secure')
    .action(
      async (
        name: string,
        o: { description: string; reserveForUser?: string; reserveForGroup?: string; erase?: string },
        command: Command,
      ) =>
        withClient(command, async (client, out) => {
          const created = await client.call('PoolService', 'CreatePool', {
            name,
            description: o.description,
            autoReserveFor: holder(o),
            eraseMode: eraseMode(o.erase),
          });
          emit(out, created, POOL_HEADERS, [poolRow(created)]);
        }),
    );
  pool.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { pools } = await client.call('PoolService', 'ListPools', {});
      emit(out, { pools }, POOL_HEADERS, pools.map(poolRow));
    }),
  );
  pool
    .command('set-reservation <name>')
    .description('set or (with neither option) clear the auto-reservation rule (admin)')
    .option('--reserve-for-user <user>', 'user')
    .option('--reserve-for-group <group>', 'group')
    .action(async (name: string, o: { reserveForUser?: string; reserveForGroup?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const updated = await client.call('PoolService', 'SetPoolReservation', { name, autoReserveFor: holder(o) });
        emit(out, updated, POOL_HEADERS, [poolRow(updated)]);
      }),
    );
  pool
    .command('edit <name>')
    .description("change a pool's erase mode (admin)")
    .requiredOption('--erase <mode>', 'quick or secure')
    .action(async (name: string, o: { erase: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const updated = await client.call('PoolService', 'SetPoolEraseMode', { name, eraseMode: eraseMode(o.erase) });
        emit(out, updated, POOL_HEADERS, [poolRow(updated)]);
      }),
    );
  pool.command('delete <name>').action(async (name: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      await client.call('PoolService', 'DeletePool', { name });
      if (out.json) printJson(out, { deleted: name });
      else out.write(`deleted pool ${name}\n`);
    }),
  );
  return pool;
}
