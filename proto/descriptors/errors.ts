// Typed errors of the descriptor reader. Every one means the descriptor set built into the
// coordinator (proto/generated/descriptor-set.ts) is not what protoc writes: a build fault, found
// when the coordinator starts, never while it answers a reflection request.

export type DescriptorErrorCode = 'descriptor-malformed' | 'descriptor-incomplete';

export abstract class DescriptorError extends Error {
  abstract readonly code: DescriptorErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not protobuf wire format, or a field has a wire type descriptor.proto does not give it. */
export class MalformedDescriptorError extends DescriptorError {
  readonly code = 'descriptor-malformed';

  constructor(reason: string) {
    super(`malformed descriptor: ${reason}`);
  }
}

/** A file imports one the set does not hold, a name is given twice, or a served service is not described. */
export class IncompleteDescriptorSetError extends DescriptorError {
  readonly code = 'descriptor-incomplete';
}
