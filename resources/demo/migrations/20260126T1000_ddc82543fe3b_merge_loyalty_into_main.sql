-- revision: ddc82543fe3b
-- parents: 69dbb179866a 1dbda2d8df9c
-- message: merge loyalty into main
-- created: 2026-01-26T10:00:00Z

-- migrate:up
-- The support screen needs both lines of work: verified e-mail (main) and points (loyalty).
CREATE VIEW customer_overview AS
SELECT u.id,
       u.name,
       u.email,
       u.email_verified,
       COALESCE(l.tier, 'none') AS tier,
       COALESCE(l.points, 0)    AS points
  FROM users AS u
  LEFT JOIN loyalty_accounts AS l ON l.user_id = u.id;

-- migrate:down
DROP VIEW customer_overview;
