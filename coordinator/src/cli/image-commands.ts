// moorctl image ...: add (streams the file(s) to the coordinator), list, show, delete.
import { open } from 'node:fs/promises';
import { Command } from 'commander';
import type { Image__Output, ImageUploadChunk } from '../../../proto/generated/index.js';
import { withClient } from './command-context.js';
import { UsageError } from './connection.js';
import { emit, printJson, renderTable } from './output.js';

/** Bytes per upload message: under the method's 1 MiB limit with room for the framing. */
const CHUNK_BYTES = 512 * 1024;
/** An upload's deadline: large images take long; the coordinator bounds the size instead. */
const UPLOAD_TIMEOUT_MS = 24 * 3600_000;

const IMAGE_HEADERS = ['NAME', 'ARCH', 'FORMAT', 'SIZE', 'PARTS', 'HOLDER', 'CREATED'];
const imageRow = (i: Image__Output): string[] => [
  i.name,
  i.arch,
  i.format,
  String(i.size),
  i.parts.map((p) => p.role).join('+'),
  i.holder,
  i.createdAt,
];

interface AddOptions {
  disk?: string;
  kernel?: string;
  initrd?: string;
  rootfs?: string;
  arch: string;
  format?: string;
}

/** The parts to upload, in the order the coordinator wants them. */
function partsOf(o: AddOptions): { role: string; file: string }[] {
  const split = [o.kernel, o.initrd, o.rootfs];
  if (o.disk !== undefined) {
    if (split.some((f) => f !== undefined)) throw new UsageError('give --disk, or --kernel, --initrd and --rootfs, not both');
    return [{ role: 'disk', file: o.disk }];
  }
  if (split.some((f) => f === undefined)) throw new UsageError('give --disk FILE, or all of --kernel, --initrd and --rootfs');
  return [
    { role: 'kernel', file: o.kernel! },
    { role: 'initrd', file: o.initrd! },
    { role: 'rootfs', file: o.rootfs! },
  ];
}

async function* uploadChunks(name: string, o: AddOptions, parts: { role: string; file: string }[]): AsyncGenerator<ImageUploadChunk> {
  yield { header: { name, arch: o.arch, format: o.format ?? '', roles: parts.map((p) => p.role) } };
  for (const { role, file } of parts) {
    const fh = await open(file, 'r').catch((error: unknown) => {
      throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    });
    try {
      for (;;) {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        const { bytesRead } = await fh.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        yield { data: { role, data: buffer.subarray(0, bytesRead) } };
      }
    } finally {
      await fh.close();
    }
  }
}

function showText(i: Image__Output): string {
  const fields = [
    ['NAME', i.name],
    ['ARCH', i.arch],
    ['FORMAT', i.format],
    ['SIZE', String(i.size)],
    ['CREATED', i.createdAt],
    ['HOLDER', i.holder],
    ['BOOT URL', i.bootUrl || '(the holder had no boot service)'],
  ];
  const width = Math.max(...fields.map(([k]) => k!.length));
  const head = fields.map(([k, v]) => `${k!.padEnd(width)}  ${v}`).join('\n');
  return `${head}\n\n${renderTable(
    ['PART', 'SIZE', 'SHA256'],
    i.parts.map((p) => [p.role, String(p.size), p.sha256]),
  )}`;
}

export function imageCommand(): Command {
  const image = new Command('image').description('operating system images deployments write to machines');
  image
    .command('add <name>')
    .description('upload an image (admin): one disk image, or a kernel, initrd and root filesystem')
    .option('--disk <file>', 'a whole disk image (raw or qcow2)')
    .option('--kernel <file>', 'kernel (with --initrd and --rootfs)')
    .option('--initrd <file>', 'initrd')
    .option('--rootfs <file>', 'root filesystem image')
    .option('--arch <arch>', 'amd64 or arm64', 'amd64')
    .option('--format <format>', 'raw or qcow2 (default: read from the bytes)')
    .action(async (name: string, o: AddOptions, command: Command) => {
      const parts = partsOf(o);
      if (o.format !== undefined && o.format !== 'raw' && o.format !== 'qcow2')
        throw new UsageError(`--format: expected raw or qcow2, got ${o.format}`);
      await withClient(command, async (client, out) => {
        const added = await client.clientStream('ImageService', 'AddImage', uploadChunks(name, o, parts), UPLOAD_TIMEOUT_MS);
        emit(out, added, IMAGE_HEADERS, [imageRow(added)]);
      });
    });
  image.command('list').action(async (_o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const { images } = await client.call('ImageService', 'ListImages', {});
      emit(out, { images }, IMAGE_HEADERS, images.map(imageRow));
    }),
  );
  image.command('show <name>').action(async (name: string, _o: unknown, command: Command) =>
    withClient(command, async (client, out) => {
      const found = await client.call('ImageService', 'GetImage', { name });
      if (out.json) printJson(out, found);
      else out.write(showText(found));
    }),
  );
  image
    .command('delete <name>')
    .description('delete an image (admin); refused while a deployment uses it')
    .action(async (name: string, _o: unknown, command: Command) =>
      withClient(command, async (client, out) => {
        await client.call('ImageService', 'DeleteImage', { name });
        if (out.json) printJson(out, { deleted: name });
        else out.write(`deleted image ${name}\n`);
      }),
    );
  return image;
}
