-- Registered enterprises: their profile (JSON), one account per credit code.
ALTER TABLE users ADD COLUMN profile TEXT;
CREATE UNIQUE INDEX users_enterprise ON users (org) WHERE role = 'enterprise';
