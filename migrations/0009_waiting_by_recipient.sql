-- The mailbox-depth gauge counts what waits per tenant and recipient at every scrape: partial, so
-- its cost follows what waits, not every message ever kept. The same as the SQLite schema's
-- fourteenth step.
CREATE INDEX mailbox_waiting_by_recipient ON mailbox_messages (tenant_id, recipient)
  WHERE state IN ('queued', 'delivered');
