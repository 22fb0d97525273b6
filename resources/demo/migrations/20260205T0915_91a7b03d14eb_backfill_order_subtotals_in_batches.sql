-- revision: 91a7b03d14eb
-- parents: 288e26f3e7ab
-- message: backfill order subtotals in batches
-- created: 2026-02-05T09:15:00Z
-- transaction: none

-- migrate:up
-- Outside a transaction each batch commits on its own, so checkout keeps writing orders
-- while this runs. Every batch only touches rows still NULL: after a failure the run
-- resumes from the failed statement and redoes nothing.
ALTER TABLE orders ADD COLUMN subtotal_cents INTEGER;
UPDATE orders
   SET subtotal_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0)
                           FROM order_items WHERE order_items.order_id = orders.id)
 WHERE id BETWEEN 1 AND 50000 AND subtotal_cents IS NULL;
UPDATE orders
   SET subtotal_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0)
                           FROM order_items WHERE order_items.order_id = orders.id)
 WHERE id BETWEEN 50001 AND 100000 AND subtotal_cents IS NULL;
UPDATE orders
   SET subtotal_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0)
                           FROM order_items WHERE order_items.order_id = orders.id)
 WHERE id BETWEEN 100001 AND 150000 AND subtotal_cents IS NULL;
UPDATE orders
   SET subtotal_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0)
                           FROM order_items WHERE order_items.order_id = orders.id)
 WHERE subtotal_cents IS NULL;

-- migrate:down
ALTER TABLE orders DROP COLUMN subtotal_cents;
