// Errors of the PKI area.
import { DomainError } from '../domain-error.js';

export class InvalidCsrError extends DomainError {
  readonly kind = 'invalid-argument';

  constructor(readonly problem: string) {
    super(`csr: ${problem}`);
  }
}
