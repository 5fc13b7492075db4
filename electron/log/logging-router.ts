import type { Router } from '../router.js';
import { collectSecrets } from './redact.js';
import type { Redactor } from './redact.js';

/**
 * The router, with every request's secret-named input values (a host password, a key
 * passphrase, a sudo password) handed to the log's redactor before the request runs, so
 * nothing logged while handling it, or later, can carry them.
 */
export function redactingRouter(router: Router, redact: Redactor): Router {
  return {
    handle(channel, input, caller) {
      collectSecrets(input, redact);
      return router.handle(channel, input, caller);
    },
  };
}
