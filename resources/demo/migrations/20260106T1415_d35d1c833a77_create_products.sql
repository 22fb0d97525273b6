-- revision: d35d1c833a77
-- parents: a787cda37d02
-- message: create products
-- created: 2026-01-06T14:15:00Z

-- migrate:up
-- legacy_price is the free-text price imported from the old spreadsheet ("12,99 EUR");
-- the application reads price_cents and legacy_price is dropped once nothing reads it.
CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  sku          TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  legacy_price TEXT
);

-- migrate:down
DROP TABLE products;
