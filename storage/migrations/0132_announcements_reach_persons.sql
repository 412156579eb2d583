-- ¶23 (issue 16): announcements for everyone reach IMK clients too. After
-- the Platform users (mail_after_user), the e-mails walk the persons who
-- have no Platform account but an active IMK application, by person id
-- (mail_after_person), one mail per person, to the address of their
-- latest application.
ALTER TABLE announcements
    ADD COLUMN mail_users_done   boolean NOT NULL DEFAULT false,
    ADD COLUMN mail_after_person bigint  NOT NULL DEFAULT 0;
