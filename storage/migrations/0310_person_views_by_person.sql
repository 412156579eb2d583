-- A person's data on request (issue 18, GDPR Art. 15): the export lists
-- which staff opened a person's record, read from person_views by the
-- person's key. The table's only index leads with the operator; without
-- this one each export would read the whole table.
CREATE INDEX person_views_person_idx ON person_views (person_key, at);
