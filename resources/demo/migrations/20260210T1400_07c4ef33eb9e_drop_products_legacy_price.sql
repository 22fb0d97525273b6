-- revision: 07c4ef33eb9e
-- parents: 91a7b03d14eb
-- message: drop products.legacy_price
-- created: 2026-02-10T14:00:00Z
-- phase: post-deploy

-- migrate:up
-- Contract step: run only once the release that stopped reading legacy_price is live.
ALTER TABLE products DROP COLUMN legacy_price;

-- migrate:down
-- Restores the column (empty: the old free-text prices are not kept).
ALTER TABLE products ADD COLUMN legacy_price TEXT;
