// The files of a FileDescriptorSet indexed the ways gRPC server reflection asks for them
// (grpc/reflection/v1/reflection.proto): by file name, by a symbol's full name, by an extension of
// a message, and the extension numbers of a message. Each answer is the file followed by every file
// it imports, directly or not, so a client can build it without asking again.
import { DESCRIPTOR_SET_BASE64 } from '../generated/descriptor-set.js';
import { IncompleteDescriptorSetError } from './errors.js';
import { readDescriptorSet, type DescribedFile } from './file-descriptors.js';

export class DescriptorIndex {
  private readonly byName = new Map<string, DescribedFile>();
  private readonly bySymbol = new Map<string, DescribedFile>();
  private readonly messages = new Set<string>();
  private readonly serviceNames = new Set<string>();
  /** extendee -> extension number -> the file declaring the extension */
  private readonly extensions = new Map<string, Map<number, DescribedFile>>();

  /** Checks that the files are whole: every import present, no name declared twice. */
  constructor(files: readonly DescribedFile[]) {
    for (const file of files) {
      if (this.byName.has(file.name)) throw new IncompleteDescriptorSetError(`${file.name} is in the descriptor set twice`);
      this.byName.set(file.name, file);
    }
    for (const file of files) {
      for (const dependency of file.dependencies) {
        if (!this.byName.has(dependency))
          throw new IncompleteDescriptorSetError(`${file.name} imports ${dependency}, which the descriptor set does not hold`);
      }
      for (const symbol of file.symbols) {
        const other = this.bySymbol.get(symbol);
        if (other) throw new IncompleteDescriptorSetError(`${symbol} is declared by both ${other.name} and ${file.name}`);
        this.bySymbol.set(symbol, file);
      }
      for (const message of file.messages) this.messages.add(message);
      for (const service of file.services) this.serviceNames.add(service);
      for (const extension of file.extensions) {
        const numbers = this.extensions.get(extension.extendee) ?? new Map<number, DescribedFile>();
        numbers.set(extension.number, file);
        this.extensions.set(extension.extendee, numbers);
      }
    }
  }

  static fromDescriptorSet(bytes: Uint8Array): DescriptorIndex {
    return new DescriptorIndex(readDescriptorSet(bytes));
  }

  /** Full names of every service the files declare. */
  get services(): ReadonlySet<string> {
    return this.serviceNames;
  }

  /** The file of that name and its imports, or null. */
  fileByName(name: string): DescribedFile[] | null {
    const file = this.byName.get(name);
    return file ? this.withImports(file) : null;
  }

  /** The file declaring that full name (a leading dot allowed) and its imports, or null. */
  fileContainingSymbol(symbol: string): DescribedFile[] | null {
    const file = this.bySymbol.get(symbol.startsWith('.') ? symbol.slice(1) : symbol);
    return file ? this.withImports(file) : null;
  }

  /** The file declaring extension `number` of `message` and its imports, or null. */
  fileContainingExtension(message: string, number: number): DescribedFile[] | null {
    const file = this.extensions.get(message)?.get(number);
    return file ? this.withImports(file) : null;
  }

  /** The extension numbers of a message, ascending; null when no file declares that message. */
  extensionNumbers(message: string): number[] | null {
    if (!this.messages.has(message)) return null;
    return [...(this.extensions.get(message)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The file first, then its imports, each once (breadth first, in declaration order). */
  private withImports(file: DescribedFile): DescribedFile[] {
    const out = [file];
    const seen = new Set([file.name]);
    for (let i = 0; i < out.length; i++) {
      for (const dependency of (out[i] as DescribedFile).dependencies) {
        if (seen.has(dependency)) continue;
        seen.add(dependency);
        out.push(this.byName.get(dependency) as DescribedFile); // present: checked by the constructor
      }
    }
    return out;
  }
}

let served: DescriptorIndex | undefined;

/**
 * The files the coordinator describes through reflection: mooring/v1/*.proto with their imports,
 * grpc/health/v1/health.proto and grpc/reflection/v1{,alpha}/reflection.proto, as protoc compiled
 * them at build time (proto/gen-types.sh writes proto/generated/descriptor-set.ts).
 */
export function servedDescriptors(): DescriptorIndex {
  served ??= DescriptorIndex.fromDescriptorSet(Buffer.from(DESCRIPTOR_SET_BASE64, 'base64'));
  return served;
}

/** The serialized set itself (what servedDescriptors() indexes). */
export function servedDescriptorSet(): Buffer {
  return Buffer.from(DESCRIPTOR_SET_BASE64, 'base64');
}
