-- revision: da1c1a50a7d0
-- parents: e43f81c82cbc
-- message: index orders by user and date
-- created: 2026-01-15T09:45:00Z

-- migrate:up
-- The "my orders" page lists a user's orders newest first.
CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);

-- migrate:down
DROP INDEX orders_user_id_created_at_idx;
