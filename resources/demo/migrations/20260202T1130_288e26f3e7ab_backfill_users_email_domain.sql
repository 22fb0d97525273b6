-- revision: 288e26f3e7ab
-- parents: ddc82543fe3b
-- message: backfill users.email_domain
-- created: 2026-02-02T11:30:00Z

-- migrate:up
-- Marketing segments customers by e-mail provider; derive the domain once instead of
-- running substr() over every row of every report.
ALTER TABLE users ADD COLUMN email_domain TEXT;
UPDATE users
   SET email_domain = lower(substr(email, instr(email, '@') + 1))
 WHERE instr(email, '@') > 0;
CREATE INDEX users_email_domain_idx ON users (email_domain);

-- migrate:down
DROP INDEX users_email_domain_idx;
ALTER TABLE users DROP COLUMN email_domain;
