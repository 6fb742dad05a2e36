import { GatewayError } from '../../protocols/wire/errors';

/** A store operation failed (database closed, disk full, constraint...): `cause` holds the driver's error. */
export class StoreError extends GatewayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE', message, options);
  }
}
