// Errors of the images area.
import { DomainError } from '../domain-error.js';

export class ImageNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(readonly image: string) {
    super(`image ${image} not found`);
  }
}

export class ImageExistsError extends DomainError {
  readonly kind = 'already-exists';

  constructor(readonly image: string) {
    super(`image ${image} already exists`);
  }
}

/** The upload is not what it says: a malformed stream, a format its bytes do not match. */
export class ImageUploadError extends DomainError {
  readonly kind = 'invalid-argument';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export class ImageTooLargeError extends DomainError {
  readonly kind = 'resource-exhausted';

  constructor(readonly limit: number) {
    super(`the image is larger than this coordinator accepts (imageMaxBytes ${limit})`);
  }
}

/** A deployment uses the image: the message names the machines. */
export class ImageInUseError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly image: string,
    readonly machines: readonly string[],
  ) {
    super(`image ${image} is in use by a deployment to machine ${machines.join(', ')}`);
  }
}
