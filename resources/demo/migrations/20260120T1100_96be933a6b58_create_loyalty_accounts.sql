-- revision: 96be933a6b58
-- parents: da1c1a50a7d0
-- message: create loyalty accounts
-- created: 2026-01-20T11:00:00Z
-- branch-labels: loyalty

-- migrate:up
CREATE TABLE loyalty_accounts (
  user_id   INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  tier      TEXT NOT NULL DEFAULT 'bronze' CHECK (tier IN ('bronze', 'silver', 'gold')),
  joined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- migrate:down
DROP TABLE loyalty_accounts;
