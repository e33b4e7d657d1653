/** Errors in the shapes the real services answer with. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Why, for the emulator's own log only (the service says less). */
    readonly reason = message,
  ) {
    super(message);
  }
}

export const denied = (message: string, reason?: string) =>
  new ServiceError(403, 'AccessDeniedException', message, reason);
export const invalid = (message: string) => new ServiceError(400, 'ValidationException', message);
export const notFound = (message: string) => new ServiceError(404, 'ResourceNotFoundException', message);
export const throttled = () => new ServiceError(429, 'ThrottlingException', 'Rate exceeded');
export const UNTRUSTED = 'Untrusted Signing Certificate';
