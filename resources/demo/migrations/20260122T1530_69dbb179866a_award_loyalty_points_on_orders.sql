-- revision: 69dbb179866a
-- parents: 96be933a6b58
-- message: award loyalty points on orders
-- created: 2026-01-22T15:30:00Z

-- migrate:up
ALTER TABLE loyalty_accounts ADD COLUMN points INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0);

-- One point per whole euro. Checkout inserts an order with its final total, so an insert
-- trigger is enough; members only (users without an account earn nothing).
CREATE TRIGGER orders_award_loyalty_points
AFTER INSERT ON orders
FOR EACH ROW
WHEN NEW.total_cents >= 100
BEGIN
  UPDATE loyalty_accounts
     SET points = points + NEW.total_cents / 100
   WHERE user_id = NEW.user_id;
END;

-- migrate:down
-- The trigger reads the column, so it goes first.
DROP TRIGGER orders_award_loyalty_points;
ALTER TABLE loyalty_accounts DROP COLUMN points;
