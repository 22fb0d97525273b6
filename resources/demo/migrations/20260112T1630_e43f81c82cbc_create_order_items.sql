-- revision: e43f81c82cbc
-- parents: 78021f4ccd8f
-- message: create order items
-- created: 2026-01-12T16:30:00Z

-- migrate:up
CREATE TABLE order_items (
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id       INTEGER NOT NULL REFERENCES products (id),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, product_id)
);

-- migrate:down
DROP TABLE order_items;
