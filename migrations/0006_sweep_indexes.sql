-- Each query of the minute sweep reads along one of these: ends of consents and request codes,
-- and waiting messages by retention and by arrival (partial, so past messages do not count).
-- Without them every sweep read whole tables. The same as the SQLite schema's eleventh step.
CREATE INDEX consents_by_end ON consents (valid_until, id);
CREATE INDEX consent_requests_by_code_end ON consent_requests (code_expires_at, id);
CREATE INDEX mailbox_waiting_by_retention ON mailbox_messages (retain_until, id)
  WHERE state IN ('queued', 'delivered');
CREATE INDEX mailbox_waiting_by_arrival ON mailbox_messages (received_at, id)
  WHERE state IN ('queued', 'delivered');
