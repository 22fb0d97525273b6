-- revision: 1dbda2d8df9c
-- parents: da1c1a50a7d0
-- message: add email_verified to users
-- created: 2026-01-21T09:00:00Z

-- migrate:up
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1));

-- migrate:down
ALTER TABLE users DROP COLUMN email_verified;
