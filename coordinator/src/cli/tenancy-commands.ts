// moorctl user ..., group ..., token ..., whoami.
import { Command, Option } from 'commander';
import type { Role__Output, Token__Output } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { emit, printJson, short } from './output.js';
import { parseDurationSeconds } from './sizes.js';

const tokenRow = (t: Token__Output): string[] => [t.id, t.user, t.description, t.createdAt, t.expiresAt || 'never', t.revokedAt];
const TOKEN_HEADERS = ['ID', 'USER', 'DESCRIPTION', 'CREATED', 'EXPIRES', 'REVOKED'];

export function tenancyCommands(): Command[] {
  const user = new Command('user').description('users (admin)');
  user
    .command('create <name>')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'member', 'observer']).default('member'))
    .action(async (name: string, o: { role: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const created = await client.call('TenancyService', 'CreateUser', { name, role: `ROLE_${o.role.toUpperCase()}` as Role__Output });
        emit(out, created, ['NAME', 'ROLE'], [[created.name, short(created.role, 'ROLE_').toLowerCase()]]);
      }),
    );
  user
    .command('set-role <name>')
    .description("change a user's role (admin; not your own)")
    .addOption(new Option('--role <role>', 'the new role').choices(['admin', 'member', 'observer']).makeOptionMandatory())
    .action(async (name: string, o: { role: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const updated = await client.call('TenancyService', 'SetUserRole', { name, role: `ROLE_${o.role.toUpperCase()}` as Role__Output });
        emit(out, updated, ['NAME', 'ROLE'], [[updated.name, short(updated.role, 'ROLE_').toLowerCase()]]);
      }),
    );
  user
    .command('delete <name>')
    .description('delete a user and its tokens (admin; refused while it owns or holds machines)')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('TenancyService', 'DeleteUser', { name });
        if (out.json) printJson(out, { deleted: name });
        else out.write(`deleted user ${name}\n`);
      }),
    );
  user.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { users } = await client.call('TenancyService', 'ListUsers', {});
      emit(
        out,
        { users },
        ['NAME', 'ROLE', 'GROUPS'],
        users.map((u) => [u.name, short(u.role, 'ROLE_').toLowerCase(), u.groups.join(',')]),
      );
    }),
  );

  const group = new Command('group').description('groups of users (admin)');
  group.command('create <name>').action(async (name: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const created = await client.call('TenancyService', 'CreateGroup', { name });
      emit(out, created, ['NAME'], [[created.name]]);
    }),
  );
  group.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { groups } = await client.call('TenancyService', 'ListGroups', {});
      emit(
        out,
        { groups },
        ['NAME', 'MEMBERS'],
        groups.map((g) => [g.name, g.members.join(',')]),
      );
    }),
  );
  for (const [name, method] of [
    ['add-member', 'AddGroupMember'],
    ['remove-member', 'RemoveGroupMember'],
  ] as const) {
    group.command(`${name} <group> <user>`).action(async (groupName: string, userName: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        const updated = await client.call('TenancyService', method, { group: groupName, user: userName });
        emit(out, updated, ['NAME', 'MEMBERS'], [[updated.name, updated.members.join(',')]]);
      }),
    );
  }

  const token = new Command('token').description('API tokens');
  token
    .command('create')
    .description('create a token; the secret is printed once')
    .option('--user <user>', 'for this user (admin; default: yourself)')
    .option('--description <text>', 'what it is for', '')
    .option('--expires-in <duration>', 'e.g. 90d, 12h (default: never)')
    .action(async (o: { user?: string; description: string; expiresIn?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const created = await client.call('TenancyService', 'CreateToken', {
          user: o.user ?? '',
          description: o.description,
          expiresInSeconds: o.expiresIn ? parseDurationSeconds(o.expiresIn, '--expires-in') : 0,
        });
        if (out.json) return printJson(out, created);
        out.write(`token ${created.token?.id ?? ''} for ${created.token?.user ?? ''} (shown once, store it now):\n${created.secret}\n`);
      }),
    );
  token
    .command('list')
    .option('--user <user>', 'tokens of this user (admin; default: yours)')
    .action(async (o: { user?: string }, command: Command) =>
      withClient(command, async (client, out) => {
        const { tokens } = await client.call('TenancyService', 'ListTokens', { user: o.user ?? '' });
        emit(out, { tokens }, TOKEN_HEADERS, tokens.map(tokenRow));
      }),
    );
  token.command('revoke <id>').action(async (id: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const revoked = await client.call('TenancyService', 'RevokeToken', { id });
      emit(out, revoked, TOKEN_HEADERS, [tokenRow(revoked)]);
    }),
  );

  const whoami = new Command('whoami').description('the user your token belongs to').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const me = await client.call('TenancyService', 'WhoAmI', {});
      emit(out, me, ['NAME', 'ROLE', 'GROUPS'], [[me.name, short(me.role, 'ROLE_').toLowerCase(), me.groups.join(',')]]);
    }),
  );

  return [user, group, token, whoami];
}
