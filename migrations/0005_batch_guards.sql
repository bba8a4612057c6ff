-- Guards of D1 batches (storage/d1/guards.ts). D1 has no interactive transactions: a change and
-- its audit entry go as one batch, which any failing statement rolls back whole. A guard inserts
-- its name here when the state the batch was prepared against has moved on; the insert always
-- fails, with a message naming the guard, so nothing of the batch is written and the adapter
-- can tell which answer the port gives. No row is ever stored. Literal messages, one trigger per
-- guard: RAISE takes an expression only in recent SQLite versions.
CREATE TABLE batch_guards (
  guard TEXT NOT NULL CHECK (guard IN ('audit_race', 'no_change'))
) STRICT;
CREATE TRIGGER batch_guard_audit_race BEFORE INSERT ON batch_guards
  WHEN NEW.guard = 'audit_race'
  BEGIN SELECT RAISE(ABORT, 'batch guard failed: audit_race'); END;
CREATE TRIGGER batch_guard_no_change BEFORE INSERT ON batch_guards
  WHEN NEW.guard = 'no_change'
  BEGIN SELECT RAISE(ABORT, 'batch guard failed: no_change'); END;
