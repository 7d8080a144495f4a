'use strict';

/**
 * Every failure the client reports, as a rejected promise or an `error` event. `code` is stable and matches the
 * server's codes where the server gave one (`invalid_secret`, `webhook_not_found`, `invalid_data`), so apps can
 * branch on it; `webhookId` names the webhook when the failure concerns one.
 *
 * Codes of the client itself: `unauthorized` (4401: the stored Homey credentials were refused), `replaced`
 * (4409: another client connected with the same credentials), `closed` (close() was called), `enrollment_failed`,
 * `connection_failed`, `handler_failed` (a message handler threw; the message is not acknowledged), `protocol`.
 */
class SwitchboardError extends Error {
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    if (details.webhookId !== undefined) {
      this.webhookId = details.webhookId;
    }
    if (details.closeCode !== undefined) {
      this.closeCode = details.closeCode;
    }
    if (details.messageId !== undefined) {
      this.messageId = details.messageId;
    }
  }
}

module.exports = { SwitchboardError };
