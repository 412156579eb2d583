-- Every effect of a denial (¶24, ¶32), the end of a role's validity told
-- (¶32.1), and a lift that requires a new password (¶32.3, ¶32.6).

-- A denial of a person suspends their approved IMK ('imk': the
-- application's id), recorded and restored like the other effects.
ALTER TABLE denial_effects DROP CONSTRAINT denial_effects_known;
ALTER TABLE denial_effects ADD CONSTRAINT denial_effects_known
    CHECK (effect IN ('sign_in', 'assignment', 'institution', 'operator', 'imk'));

-- A lift may require the institution password users it reaches to change
-- their password at the next sign-in; a lift waiting for a second officer
-- keeps the choice here until it is approved.
ALTER TABLE denials ADD COLUMN lift_password_change boolean NOT NULL DEFAULT false;
ALTER TABLE platform_users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN platform_users.password_change_required IS
    'The portal makes the user choose a new password at the next sign-in (set by a lift, ¶32.3, ¶32.6).';
ALTER TABLE platform_users ADD CONSTRAINT platform_users_password_change_for_password
    CHECK (NOT password_change_required OR kind = 'password');

-- role_expiry_warnings with days = 0 is the notice that the role ended
-- (¶32.1): sent once per assignment, whichever sweep or instance ends it.
COMMENT ON TABLE role_expiry_warnings IS
    'Warnings of a role''s end (¶32.1): days 30 and 7 before it, 0 for the notice that it ended; each sent once.';
